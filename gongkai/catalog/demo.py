"""Demo catalog of the demo city (issue 5 §10): items in every category, issues, channels, visits.

``profile=""`` (default) builds 30 000 items (about 20 s here); ``profile="mianyang-2017"``
builds the seed report's 327 899 (概况6850、计划总结3942、规范性文件2315、工作动态107363、人事3865、
财政5904、行政执法25754、其他171906; PUB-8), 24 期政府公报, 142 期政务要情, 英文网站343条, 微信微博
1113+768+1925 条, 报送省政府网站1050条（采用200条）, 网站访问量740万次, 政务公开栏访问量120万人次.
``count`` overrides the number of items (same proportions). Running it again changes nothing.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max

from gongkai import search
from gongkai.catalog import rules, tree
from gongkai.catalog.enums import Channel, DocKind, JobStatus, Legacy, SeriesKind, Status, Validity
from gongkai.catalog.models import (
    Distribution,
    ImportJob,
    IndexSequence,
    Issue,
    Item,
    ProvincialSubmission,
    Visit,
)
from gongkai.catalog.services import document
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import subtree

SEED = {
    Legacy.OVERVIEW: 6850,
    Legacy.PLANS: 3942,
    Legacy.NORMATIVE: 2315,
    Legacy.NEWS: 107363,
    Legacy.PERSONNEL: 3865,
    Legacy.FINANCE: 5904,
    Legacy.ENFORCEMENT: 25754,
    Legacy.OTHER: 171906,
}
SEED_TOTAL = sum(SEED.values())  # 327 899
DEFAULT_COUNT = 30000
# The seed's 3848 微信/微博 posts: 1113 + 768 + 1925 of its three kinds, and 42 of none of them
# (服务信息), so the total exceeds its stated parts just as in the seed (RPT-24/26).
NEWMEDIA = {"activities": 1113, "policy": 768, "progress": 1925, "": 42}
FIGURES = {
    "gazette": 24,
    "bulletin": 142,
    "english": 343,
    "provincial": 1050,
    "adopted": 200,
    "views": 7_400_000,
    "visitors": 1_200_000,
}
BATCH = 5000

TITLES = {
    Legacy.OVERVIEW: [
        "{org}机构职能",
        "{org}领导信息",
        "{org}内设机构及联系方式",
        "{org}办公地址和办公时间",
    ],
    Legacy.PLANS: [
        "{org}{year}年工作要点",
        "{org}{year}年上半年工作总结",
        "{org}“十三五”专项规划中期评估",
    ],
    Legacy.NORMATIVE: [
        "{org}关于印发《{topic}管理办法》的通知",
        "{org}关于进一步规范{topic}工作的意见",
    ],
    Legacy.NEWS: [
        "{org}召开{topic}工作推进会",
        "{org}开展{topic}专项检查",
        "{org}部署{topic}重点工作",
    ],
    Legacy.PERSONNEL: [
        "{org}{year}年公开招聘工作人员公告",
        "{org}干部任前公示",
        "{org}公务员拟录用人员公示",
    ],
    Legacy.FINANCE: [
        "{org}{year}年部门预算",
        "{org}{year}年部门决算",
        "{org}{year}年“三公”经费预算",
    ],
    Legacy.ENFORCEMENT: [
        "{org}行政处罚决定书（第{n}号）",
        "{org}行政许可结果公示（第{n}批）",
        "{org}{topic}双随机抽查结果",
    ],
    Legacy.OTHER: ["{org}关于{topic}的公告", "{org}{topic}信息公示", "{org}{topic}办事指南"],
}
TOPICS = [
    "拆迁补偿", "征地补偿", "社会救助", "义务教育", "医疗卫生", "安全生产", "环境保护",
    "食品药品", "扶贫开发", "就业创业", "养老服务", "保障性住房", "公共资源交易", "城乡规划",
    "农村危房改造", "涉农补贴", "户籍管理", "社会保险", "市政服务", "公共文化服务",
]  # fmt: skip
LEAVES = {
    Legacy.OVERVIEW: "机构职能", Legacy.PLANS: "规划计划", Legacy.NORMATIVE: "政策文件",
    Legacy.NEWS: "工作动态", Legacy.PERSONNEL: "人事信息", Legacy.FINANCE: "财政信息",
    Legacy.ENFORCEMENT: "行政执法", Legacy.OTHER: "其他信息",
}  # fmt: skip
ABBREV = "绵"


def _author(city: Org) -> User:
    user, created = User.objects.get_or_create(
        username="catalog_demo", defaults={"full_name": "演示数据导入"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _counts(total: int) -> dict[str, int]:
    counts = {k: v * total // SEED_TOTAL for k, v in SEED.items()}
    counts[Legacy.OTHER] += total - sum(counts.values())
    return counts


def build_demo(
    *, city: Org, year: int = 2017, today=None, profile: str = "", say=print, count=None
):
    """Build the demo catalog for ``city``'s subtree in ``year``; idempotent."""
    total = count or (SEED_TOTAL if profile == "mianyang-2017" else DEFAULT_COUNT)
    marker = f"demo:{city.pk}:{year}"
    if ImportJob.objects.filter(digest=marker, status=JobStatus.DONE).exists():
        say(f"主动公开演示数据已存在（{year}年），跳过")
        return
    ImportJob.objects.filter(digest=marker).exclude(status=JobStatus.DONE).delete()
    Item.objects.filter(import_job__isnull=True, author__username="catalog_demo").delete()
    rng = random.Random(f"{city.pk}-{year}-{total}")
    author = _author(city)
    orgs = list(subtree(city).order_by("path"))
    job = ImportJob.objects.create(
        org=city, filename=f"演示数据 {year}", digest=marker, created_by=None
    )
    leaves = {}
    for org in orgs:
        root = tree.create_node(org, "法定主动公开内容")
        leaves[org.pk] = {k: tree.create_node(org, name, root).pk for k, name in LEAVES.items()}
    say(f"主动公开：生成 {total} 条信息（{len(orgs)} 个机关）")
    counts = _counts(total)
    plan = [cat for cat, n in counts.items() for _ in range(n)]
    rng.shuffle(plan)
    serial = {
        org_id: last
        for org_id, last in IndexSequence.objects.filter(org__in=orgs, year=year).values_list(
            "org_id", "last"
        )
    }
    # Nothing dated after ``today``: this year's demo stops at today, a past year at 12-31.
    start, until = date(year, 1, 1), min(date(year, 12, 31), today or date(year, 12, 31))
    days = (until - start).days + 1
    n_done = 0
    numbers: dict[int, int] = {}
    for offset in range(0, total, BATCH):
        items = []
        for i, category in enumerate(plan[offset : offset + BATCH], start=offset):
            # The city government and its office publish more than a township does.
            org = (
                orgs[min(int(rng.paretovariate(1.2)) - 1, len(orgs) - 1)]
                if rng.random() < 0.5
                else rng.choice(orgs)
            )
            published_on = start + timedelta(days=rng.randrange(days))
            formed_on = published_on - timedelta(days=rng.choice((0, 1, 2, 3, 5, 7, 10, 14, 30)))
            if formed_on.year != year:
                formed_on = start
            serial[org.pk] = serial.get(org.pk, 0) + 1
            topic = rng.choice(TOPICS)
            title = rng.choice(TITLES[category]).format(
                org=org.short_name or org.name, year=year, topic=topic, n=i + 1
            )
            kind, validity, number = DocKind.OTHER, "", ""
            if category == Legacy.NORMATIVE:
                kind, validity = DocKind.NORMATIVE, Validity.VALID
                numbers[org.pk] = numbers.get(org.pk, 0) + 1
                number = f"{(org.short_name or org.name)[:4]}规〔{year}〕{numbers[org.pk]}号"
            body = (
                f"<p>为做好{topic}工作，根据有关法律法规和上级部署，{org.name}"
                f"于{published_on:%Y年%m月%d日}公开本信息。</p><p>{topic}相关事项详见正文。</p>"
            )
            items.append(
                Item(
                    org=org,
                    node_id=leaves[org.pk][category],
                    index_no=rules.index_number(
                        "{org_code}/{year}-{serial:05d}",
                        org_code=rules.org_code(org.credit_code, org.pk),
                        year=year,
                        serial=serial[org.pk],
                    ),
                    title=title,
                    number=number,
                    formed_on=formed_on,
                    published_on=published_on,
                    subject="综合政务\\政务公开",
                    kind=kind,
                    validity=validity,
                    effective_on=published_on if kind == DocKind.NORMATIVE else None,
                    legacy_category=category,
                    body_html=body,
                    body_text=rules.html_text(body),
                    title_en="",
                    status=Status.PUBLISHED,
                    author=author,
                    import_job=job,
                )
            )
        with transaction.atomic():
            created = Item.objects.bulk_create(items)
            if any(item.pk is None for item in created):
                created = list(Item.objects.filter(import_job=job).order_by("-pk")[: len(items)])
            search.index([document(item, []) for item in created])
        n_done += len(items)
        say(f"  {n_done}/{total}")
    for org_id, last in serial.items():
        IndexSequence.objects.update_or_create(org_id=org_id, year=year, defaults={"last": last})
    _interpretations(job, rng, say)
    _extras(city, orgs, job, year, rng, until, say)
    job.status, job.total, job.done = JobStatus.DONE, total, total
    job.save()
    say("主动公开演示数据完成")


INTERPRETED = 0.6  # share of the demo's 规范性文件 published with an interpretation (INT-6)
FORMS = ("文字解读", "文字解读", "图表图解", "视频", "新闻发布会")  # INT-5, weighted


def _interpretations(job, rng, say) -> None:
    """INT-2/5/6: most 规范性文件 get an interpretation, published the same day by the same
    org: an item of 其他信息 of the demo becomes it (the seed's category totals stay)."""
    policies = list(
        Item.objects.filter(import_job=job, kind=DocKind.NORMATIVE).values_list(
            "pk", "org_id", "title", "published_on"
        )
    )
    spare = {}
    for pk, org_id in (
        Item.objects.filter(import_job=job, kind=DocKind.OTHER, legacy_category=Legacy.OTHER)
        .order_by("pk")
        .values_list("pk", "org_id")
    ):
        spare.setdefault(org_id, []).append(pk)
    chosen = []
    for pk, org_id, title, day in policies:
        if rng.random() < INTERPRETED and spare.get(org_id):
            chosen.append((spare[org_id].pop(), pk, title, day))
    items = Item.objects.in_bulk([c[0] for c in chosen])
    changed = []
    for item_pk, policy_pk, title, day in chosen:
        item = items[item_pk]
        item.kind, item.policy_id, item.published_on = DocKind.INTERPRETATION, policy_pk, day
        item.formed_on = min(item.formed_on, day)
        item.title = f"《{title}》政策解读"[:300]
        item.interpretation_form = rng.choice(FORMS)
        changed.append(item)
    fields = ["kind", "policy", "published_on", "formed_on", "title", "interpretation_form"]
    with transaction.atomic():
        Item.objects.bulk_update(changed, fields, batch_size=1000)
        search.index([document(item, []) for item in changed])
    say(f"主动公开：{len(changed)} 份政策解读（{len(policies)} 件规范性文件）")


def _extras(city, orgs, job, year, rng, until: date, say):
    """Issues, channels, provincial submissions and visits of the seed report, up to ``until``."""
    start = date(year, 1, 1)
    days = (until - start).days + 1
    ids = list(Item.objects.filter(import_job=job).values_list("pk", flat=True))
    news = list(
        Item.objects.filter(import_job=job, legacy_category=Legacy.NEWS).values_list(
            "pk", "published_on"
        )[:5000]
    )
    rows = Item.objects.filter(import_job=job)
    order = ids[:]
    rng.shuffle(order)
    dates = dict(rows.values_list("pk", "published_on"))
    english = order[: FIGURES["english"]]
    Item.objects.filter(pk__in=english).update(title_en="Government information (English)")
    dists = [Distribution(item_id=pk, channel=Channel.ENGLISH, on=dates[pk]) for pk in english]
    # Each item can go out once on 微信 and once on 微博.
    posts = [kind for kind, n in NEWMEDIA.items() for _ in range(n)][: 2 * len(order)]
    for j, kind in enumerate(posts):
        pk = order[j % len(order)]
        channel = Channel.WECHAT if (j // len(order)) % 2 == 0 else Channel.WEIBO
        dists.append(Distribution(item_id=pk, channel=channel, kind=kind, on=dates[pk]))
    Distribution.objects.bulk_create(dists, batch_size=2000, ignore_conflicts=True)
    subs = [
        ProvincialSubmission(
            item_id=pk,
            submitted_on=on,
            adopted=i < FIGURES["adopted"],
            decided_on=on + timedelta(days=3) if on + timedelta(days=3) <= until else on,
        )
        for i, (pk, on) in enumerate(news[: FIGURES["provincial"]])
    ]
    ProvincialSubmission.objects.bulk_create(subs)
    first = (Issue.objects.filter(org=city).aggregate(m=Max("number"))["m"] or 0) + 1
    for series in (SeriesKind.GAZETTE, SeriesKind.BULLETIN):
        n = FIGURES[series]
        for k in range(1, n + 1):
            day = start + timedelta(days=(k - 1) * days // n)
            if not Issue.objects.filter(org=city, series=series, year=year, number=k).exists():
                issue = Issue.objects.create(
                    org=city, series=series, year=year, number=k, published_on=day
                )
                issue.items.set(rng.sample(ids, min(5, len(ids))))
    del first
    visits = []
    for d in range(days):
        day = start + timedelta(days=d)

        def share(total: int, d: int = d) -> int:
            return total // days + (1 if d < total % days else 0)

        xxgk_views = share(FIGURES["views"]) // 4
        visits.append(Visit(day=day, column="home", views=share(FIGURES["views"]) - xxgk_views))
        visits.append(
            Visit(day=day, column="xxgk", views=xxgk_views, visitors=share(FIGURES["visitors"]))
        )
    Visit.objects.bulk_create(visits, ignore_conflicts=True)
    say("主动公开：公报、要情、渠道、报送、访问量已生成")
