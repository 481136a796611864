"""Annual-report figures from the interaction records (``reports.external.FIGURES`` keys).

A key is present only when the year has records behind it, so a figure entered by hand is
not overwritten by a zero from an empty table.

- ``mailbox.letters`` / ``mailbox.replies``: valid letters and replies of the 书记市长信箱
  (mailboxes marked ``leader``) of ``orgs`` (MBX-1, MBX-3);
- ``hotline.calls`` in 万件 (calls ÷ 10 000, two decimals, RPT-25 half-up), ``hotline.closed_rate``
  and ``hotline.satisfaction`` in % (MBX-6);
- ``npc.*`` / ``cppcc.*``: proposals of the year led by ``orgs`` and how many are closed (MBX-5).
"""

from decimal import ROUND_HALF_UP, Decimal

from gongkai.interaction import queries
from gongkai.interaction.models import Mailbox

TEN_THOUSAND = Decimal(10000)


def wan(count: int) -> Decimal:
    """A count in 万 with two decimals: 203 700 → 20.37."""
    return (Decimal(count) / TEN_THOUSAND).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def report_figures(orgs, year: int, *, root=None, mode: str = "half_up") -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    leader_orgs = Mailbox.objects.filter(org__in=orgs, leader=True).values("org")
    mail = queries.figures(leader_orgs, year, mode=mode)
    if mail.received:
        out["mailbox.letters"] = Decimal(mail.valid)
        out["mailbox.replies"] = Decimal(mail.replied)
    hotline = queries.hotline_figures(orgs, year, mode=mode)
    if hotline.calls:
        out["hotline.calls"] = wan(hotline.calls)
        out["hotline.closed_rate"] = hotline.closed_rate
        if hotline.satisfaction_rate is not None:
            out["hotline.satisfaction"] = hotline.satisfaction_rate
    for kind, figures in queries.proposal_figures(orgs, year, mode=mode).items():
        if figures.handled:
            handled_key = "npc.suggestions" if kind == "npc" else "cppcc.proposals"
            out[handled_key] = Decimal(figures.handled)
            out[f"{kind}.closed"] = Decimal(figures.closed)
    return out
