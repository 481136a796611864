"""Registry, runs, false positives, 纠错 tickets, spot checks and figures (MON-1…22)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from gongkai.audit.models import Entry
from gongkai.lib.crypto import decrypt
from gongkai.monitor import figures, queries, services
from gongkai.monitor.crawl.result import ColumnObservation, CrawlResult
from gongkai.monitor.enums import SiteStatus, SiteType, TicketStatus
from gongkai.monitor.models import Column, Run, Site, Ticket
from gongkai.orgs import services as org_services
from gongkai.orgs.enums import Kind, Level
from gongkai.orgs.models import Org

POINT = date(2017, 12, 29)


def crawl(site, *columns, nav=()):
    at = datetime(2017, 12, 29, 2, tzinfo=UTC)
    return CrawlResult(
        site_url=site.url,
        started=at,
        finished=at,
        columns=list(columns),
        nav=list(nav),
        pages_fetched=5,
    )


def column(site, path, name, newest):
    return ColumnObservation(
        url=site.url + path, name=name, entries=1, dates=[newest], newest=newest
    )


def test_mon_1_sites_are_registered_from_org_websites(city, dept):
    Org.objects.filter(pk=city.pk).update(website="http://www.my.gov.cn/")
    Org.objects.filter(pk=dept.pk).update(website="http://zrzyj.my.gov.cn/")
    county = org_services.create_org(
        name="涪城区人民政府", level=Level.COUNTY, kind=Kind.GOVERNMENT, parent=city
    )
    Org.objects.filter(pk=county.pk).update(website="http://www.fc.gov.cn/")
    city.refresh_from_db()
    created = services.sync_sites(city)
    assert sorted((s.url, s.site_type) for s in created) == [
        ("http://www.fc.gov.cn/", SiteType.PORTAL),
        ("http://www.my.gov.cn/", SiteType.PORTAL),
        ("http://zrzyj.my.gov.cn/", SiteType.DEPARTMENT),
    ]
    assert services.sync_sites(city) == []  # idempotent
    assert figures.report_figures(Org.objects.all(), 2017, root=city) == {
        "websites.total": Decimal(3),
        "websites.city_portal": Decimal(1),
        "websites.city_departments": Decimal(1),
        "websites.county_portals": Decimal(1),
    }


def test_mon_3_columns_are_proposed_from_navigation_and_confirmed_by_staff(dept_site, city_office):
    nav = [("工作动态", dept_site.url + "gzdt/"), ("走进我局", dept_site.url + "about/")]
    run = services.store_run(dept_site, crawl(dept_site, nav=nav), today=POINT)
    assert run.pk
    proposed = {c.name: (c.kind, c.confirmed) for c in dept_site.columns.all()}
    assert proposed == {"工作动态": ("NEWS", False), "走进我局": ("OTHER", False)}
    about = dept_site.columns.get(name="走进我局")
    services.confirm_column(about, actor=city_office, kind="OTHER", historical=True)
    about.refresh_from_db()
    assert (about.confirmed, about.historical) == (True, True)
    assert Entry.objects.filter(action="monitor.column.confirm").count() == 1


def test_runs_keep_evidence_and_false_positives_are_respected_next_time(dept_site, dept_staff):
    Column.objects.create(
        site=dept_site,
        name="工作动态",
        url=dept_site.url + "gzdt/",
        kind="NEWS",
        homepage=True,
        confirmed=True,
    )
    stale = crawl(dept_site, column(dept_site, "gzdt/", "工作动态", date(2017, 11, 1)))
    first = services.store_run(dept_site, stale, today=POINT)
    assert first.veto == ["MON-9"]
    assert first.flag == "SLEEPING"
    finding = first.findings.get(rule="MON-9")
    assert finding.evidence["newest"] == "2017-11-01"
    with pytest.raises(ValueError):
        services.mark_false_positive(finding, reason=" ", actor=dept_staff)
    services.mark_false_positive(finding, reason="栏目已改版，新地址另行登记", actor=dept_staff)
    second = services.store_run(dept_site, stale, today=POINT + timedelta(days=1))
    assert second.veto == []
    assert second.findings.get(rule="MON-9").dismissed is True
    entry = Entry.objects.get(action="monitor.finding.false_positive")
    assert entry.summary["reason"] == "栏目已改版，新地址另行登记"
    assert entry.actor == "dept_staff"


def test_mon_22_sleeping_in_two_periods_is_zombie(dept_site):
    stale = crawl(dept_site, column(dept_site, "gzdt/", "工作动态", date(2017, 1, 1)))
    assert services.store_run(dept_site, stale, today=date(2017, 12, 1)).flag == "SLEEPING"
    assert services.store_run(dept_site, stale, today=POINT).flag == "ZOMBIE"


def test_store_run_uses_the_weeks_probes_for_mon_8(dept_site):
    start = datetime(2017, 12, 22, 16, 0, tzinfo=UTC)  # 12-23 00:00 in Shanghai
    for i in range(336):
        services.record_probe(
            dept_site,
            services.ProbeResult(
                at=start + timedelta(minutes=30 * i),
                ok=i >= 17,
                status=200 if i >= 17 else None,
                latency_ms=500.0,
            ),
        )
    run = services.store_run(
        dept_site, crawl(dept_site, column(dept_site, "gzdt/", "动态", POINT)), today=POINT
    )
    assert (run.availability["total"], run.availability["failed"]) == (336, 17)
    assert run.veto == ["MON-8"]
    assert run.flag == "ZOMBIE"


# --- 网民纠错 (MON-18) -------------------------------------------------------------------


def file(site, today=date(2017, 9, 29), contact="13800001234"):
    return services.file_ticket(
        site=site,
        page_url=site.url + "a.html",
        category="typo",
        description="错字",
        contact=contact,
        today=today,
    )


@pytest.mark.parametrize(
    ("received", "due"),
    (
        (date(2017, 9, 29), date(2017, 10, 10)),  # 国庆中秋: 10-01…10-08 off, 09-30 worked
        (date(2017, 12, 27), date(2018, 1, 2)),
        (date(2026, 3, 2), date(2026, 3, 5)),
    ),
)
def test_mon_18_reply_due_three_working_days_after_receipt(calendar, dept_site, received, due):
    assert file(dept_site, received).due_on == due


def test_mon_18_without_the_years_calendar_the_deadline_is_pending(dept_site):
    assert file(dept_site).due_on is None


def test_mon_18_contact_is_encrypted_and_masked(calendar, dept_site):
    ticket = file(dept_site)
    assert ticket.contact_masked == "138****1234"
    assert "13800001234" not in ticket.contact_enc
    assert decrypt(ticket.contact_enc) == "13800001234"
    assert file(dept_site, contact="zhang.san@example.com").contact_masked == (
        "z********@example.com"
    )
    assert Entry.objects.filter(action="monitor.ticket.file").last().summary["contact"] == (
        "z********@example.com"
    )


def test_mon_18_statuses_in_order_and_overdue_list(calendar, dept_site, city_office):
    ticket = file(dept_site)
    assert ticket.org == dept_site.org
    with pytest.raises(services.TransitionError):
        services.advance(ticket, "reply", actor=city_office, text="x", today=date(2017, 10, 9))
    tickets = Ticket.objects.all()
    assert list(queries.overdue_tickets(tickets, on=date(2017, 10, 10))) == []
    assert list(queries.overdue_tickets(tickets, on=date(2017, 10, 11))) == [ticket]
    for action in ("assign", "reject", "review"):
        ticket = services.advance(
            ticket, action, actor=city_office, text="非错误", today=date(2017, 10, 9)
        )
    ticket = services.advance(
        ticket, "reply", actor=city_office, text="经核实不是错误", today=date(2017, 10, 11)
    )
    assert ticket.status == TicketStatus.REPLIED
    assert ticket.on_time is False
    assert list(queries.overdue_tickets(tickets, on=date(2017, 10, 12))) == []
    assert figures.report_figures(Org.objects.all(), 2017)["corrections.closed"] == Decimal(1)


def test_staff_see_only_their_subtree(dept_site, other_site, dept_staff, city_office):
    file(dept_site)
    assert list(queries.sites_visible_to(dept_staff)) == [dept_site]
    assert queries.tickets_visible_to(dept_staff).count() == 1
    assert queries.sites_visible_to(city_office).count() == 2


# --- spot checks (MON-20) and reposting (MON-19) -----------------------------------------


def test_mon_20_spot_check_draws_at_least_30_percent_reproducibly(city, city_office):
    for i in range(10):
        Site.objects.create(
            org=city, name=f"站{i}", url=f"http://s{i}.example/", site_type=SiteType.DEPARTMENT
        )
    Site.objects.filter(name="站9").update(status=SiteStatus.CLOSED)
    with pytest.raises(ValueError):
        services.spot_check(root=city, quarter="2017Q4", actor=city_office, share=Decimal("0.2"))
    check = services.spot_check(root=city, quarter="2017Q4", actor=city_office, public_random="318")
    assert len(check.population) == 9
    assert len(check.site_ids) == 3  # ceil(9 × 30%)
    assert services.draw_sample(check.population, share=check.share, seed=check.seed) == (
        check.site_ids
    )
    again = services.spot_check(root=city, quarter="2017Q4", actor=city_office, public_random="318")
    assert again.seed == check.seed and again.site_ids == check.site_ids


def test_mon_19_reposts_later_than_24_hours_are_listed(city_site):
    published = datetime(2017, 6, 1, 10, tzinfo=UTC)
    services.record_repost(
        site=city_site,
        title="国务院常务会议",
        source_url="http://gov.cn/1",
        published_at=published,
        reposted_at=published + timedelta(hours=24),
    )
    late = services.record_repost(
        site=city_site,
        title="国务院通知",
        source_url="http://gov.cn/2",
        published_at=published,
        reposted_at=published + timedelta(hours=25),
    )
    missing = services.record_repost(
        site=city_site, title="国办意见", source_url="http://gov.cn/3", published_at=published
    )
    now = published + timedelta(days=2)
    assert {r.pk for r in queries.late_reposts(Site.objects.all(), now=now)} == {
        late.pk,
        missing.pk,
    }


def test_run_history_is_kept_per_period(dept_site):
    for day in (date(2017, 10, 1), date(2017, 11, 1), POINT):
        services.store_run(
            dept_site, crawl(dept_site, column(dept_site, "x/", "要闻", day)), today=day
        )
    assert list(Run.objects.filter(site=dept_site).values_list("point", flat=True)) == [
        POINT,
        date(2017, 11, 1),
        date(2017, 10, 1),
    ]


def test_mon_12_reads_the_mailbox_of_the_interaction_app(calendar, city_site, city_office):
    from zoneinfo import ZoneInfo

    from gongkai.interaction import services as mail
    from gongkai.interaction.enums import Category
    from gongkai.interaction.models import Mailbox

    box = Mailbox.objects.create(name="市长信箱", org=city_site.org)
    data = {
        "category": Category.CONSULT,
        "subject": "停车位咨询",
        "content": "请问何时开放？",
        "writer_name": "李四",
        "contact": "13800001234",
        "may_publish": True,
    }
    letter = mail.submit(box, data, at=datetime(2017, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    mail.accept(letter.letter, by=city_office)
    fresh = crawl(city_site, column(city_site, "gzdt/", "要闻", POINT))
    run = services.store_run(city_site, fresh, today=POINT)
    assert run.veto == ["MON-12"]
    assert run.findings.get(rule="MON-12").evidence["late"][0]["received"] == "2017-03-01"
