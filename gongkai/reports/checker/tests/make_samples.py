"""Regenerate the samples built from ``synthetic``: ``python -m gongkai.reports.checker.tests.make_samples``.

Writes ``samples/2021.html``, ``samples/2021_pdftotext.txt`` (the HTML printed by
WeasyPrint with a CJK font and read back by ``pdftotext -layout``: page headers, footers and
repeated table headers included)
and ``samples/2020_trial_webcopy.txt`` (a 2019-trial-format report as a browser copies it).
Needs WeasyPrint and poppler-utils; the tests only read the files it wrote.
"""

import subprocess
from pathlib import Path

from gongkai.reports.checker.tests import synthetic

SAMPLES = Path(__file__).parent / "samples"
PRINT_CSS = """
@page { size: A4; margin: 25mm 20mm;
        @top-right { content: "临江区政府信息公开年报"; font-size: 9pt; }
        @bottom-center { content: "— " counter(page) " —"; font-size: 10pt; } }
body { font-family: "Noto Serif CJK SC", serif; font-size: 11pt; line-height: 1.6; }
table { border-collapse: collapse; width: 100%; margin: 8pt 0; }
td { border: 0.5pt solid black; padding: 2pt; text-align: center; font-size: 9pt; }
"""


def main() -> None:
    from weasyprint import CSS, HTML

    page = synthetic.report_html()
    (SAMPLES / "2021.html").write_text(page, encoding="utf-8")
    pdf = HTML(string=page).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    (SAMPLES / "2021_pdftotext.txt").write_text(text, encoding="utf-8")
    trial = synthetic.trial_webcopy_text()
    (SAMPLES / "2020_trial_webcopy.txt").write_text(trial, encoding="utf-8")


if __name__ == "__main__":
    main()
