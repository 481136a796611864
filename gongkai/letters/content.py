"""What a letter says, independent of its format (REQ-27)."""

from dataclasses import dataclass
from datetime import date


def chinese_date(d: date) -> str:
    """GB/T 9704-2012 dates in Arabic numerals, without leading zeros: 2026年3月2日."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True, kw_only=True)
class Letter:
    """One notice or reply letter.

    ``title`` may contain a line break ("\\n") where a two-line title should break.
    Each paragraph is indented two characters; a line break inside a paragraph starts a new
    indented paragraph (so a value listing 补正事项 one per line reads as a list).
    ``items`` is a small two-column table shown after the body.
    ``seal_text`` defaults to the issuer; pass "" for no seal (the PDF draws it as an outline).
    """

    title: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    issuer: str
    issued_on: date
    items: tuple[tuple[str, str], ...] = ()
    seal_text: str | None = None
    contact: str = ""
    cc: str = ""

    @property
    def salutation(self) -> str:
        """The addressee with one full-width colon: "张三：" whether or not one was given."""
        return self.addressee.strip().rstrip(":：") + "："

    @property
    def title_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.title.splitlines() if line.strip())

    @property
    def blocks(self) -> tuple[str, ...]:
        """The body as indented paragraphs: lines split out, blank ones dropped."""
        return tuple(
            line.strip() for text in self.paragraphs for line in text.splitlines() if line.strip()
        )

    @property
    def date_text(self) -> str:
        return chinese_date(self.issued_on)

    @property
    def seal(self) -> str:
        return self.issuer if self.seal_text is None else self.seal_text.strip()

    @property
    def contact_note(self) -> str:
        """GB/T 9704 附注: the contact line in full-width parentheses, or ""."""
        text = self.contact.strip()
        if not text or (text.startswith("（") and text.endswith("）")):
            return text
        return f"（{text}）"

    @property
    def cc_line(self) -> str:
        """GB/T 9704 版记: "抄送：甲，乙。" or ""."""
        text = self.cc.strip().removeprefix("抄送：").rstrip("。.")
        return f"抄送：{text}。" if text else ""
