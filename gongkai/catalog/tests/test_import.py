"""Bulk import (issue 5 §9): all or nothing, line-numbered errors, resumable, progress."""

import io

import pytest
from django.core.management import CommandError, call_command

from gongkai import search
from gongkai.catalog import importer
from gongkai.catalog.models import ImportJob, Item
from gongkai.orgs.models import Org
from gongkai.search.api import Query

HEADER = "索引号,信息名称,发布机构,文号,成文日期,发布日期,目录分类,信息类别,文件类型,正文\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


GOOD = csv_bytes(
    ",关于征收补偿标准的通知,绵阳市自然资源和规划局,绵自然资发〔2017〕5号,2017-03-01,2017-03-05,法定主动公开内容/政策文件,规范性文件信息,行政规范性文件,<p>拆迁补偿</p>",
    "X/2017-9,2017年工作总结,绵阳市自然资源和规划局,,2017-12-20,2017-12-28,,计划总结信息,,<p>总结<script>alert(1)</script></p>",
    ",招生简章,绵阳市教育和体育局,,2017年4月1日,2017/4/2,,other,,",
)
# Only the handler's own org: staff import within their subtree.
OWN = b"\n".join(GOOD.split(b"\n")[:3]) + b"\n"


@pytest.fixture
def staff(dept_staff, leaf, other_dept):
    return dept_staff


def test_import_writes_every_row_and_indexes_them(staff, city):
    seen = []
    job = importer.run(
        "items.csv",
        GOOD,
        orgs=Org.objects.all(),
        author=staff,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    assert seen == [(0, 3), (3, 3)]
    rows = list(
        Item.objects.order_by("pk").values_list(
            "index_no", "legacy_category", "kind", "validity", "body_html"
        )
    )
    dept = Org.objects.get(name="绵阳市自然资源和规划局")
    other = Org.objects.get(name="绵阳市教育和体育局")
    assert rows == [
        (f"{dept.pk:09d}/2017-00001", "normative", "normative", "valid", "<p>拆迁补偿</p>"),
        ("X/2017-9", "plans", "other", "", "<p>总结</p>"),
        (f"{other.pk:09d}/2017-00001", "other", "other", "", ""),
    ]
    assert Item.objects.get(title="关于征收补偿标准的通知").node.name == "政策文件"
    assert search.search(Query(text="拆迁")).total == 1


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            ",标题,绵阳市自然资源和规划局,,2017-02-30,2017-03-05,,,,",
            "第2行：成文日期：日期不存在：“2017-02-30”",
        ),
        (
            ",标题,绵阳市自然资源和规划局,,2017-03-06,2017-03-05,,,,",
            "第2行：发布日期 2017-03-05 早于成文日期 2017-03-06",
        ),
        (
            ",,不存在的局,,2017-03-01,2017-03-05,,,,",
            "第2行：信息名称必填；发布机构“不存在的局”不存在或不在权限范围内",
        ),
        (
            ",标题,绵阳市自然资源和规划局,,2017-03-01,2017-03-05,,奇怪类别,,",
            "第2行：信息类别“奇怪类别”不正确",
        ),
        (
            ",标题,绵阳市自然资源和规划局,,2017-03-01,2017-03-05,没有的目录,,,",
            "第2行：目录分类“没有的目录”不存在",
        ),
    ],
)
def test_a_bad_row_imports_nothing(staff, row, error):
    data = csv_bytes(row, ",好的一行,绵阳市自然资源和规划局,,2017-03-01,2017-03-05,,,,")
    with pytest.raises(importer.ImportFailed) as failed:
        importer.run("items.csv", data, orgs=Org.objects.all(), author=staff)
    assert failed.value.errors == [error]
    assert Item.objects.count() == 0
    assert ImportJob.objects.get().status == "failed"


def test_duplicates_in_file_and_database_are_named(staff, published):
    existing = published(number="绵自然资发〔2017〕5号", formed_on="2026-02-24")
    data = csv_bytes(
        f"{existing.index_no},甲,绵阳市自然资源和规划局,绵自然资发〔2017〕5号,2017-03-01,2017-03-05,,,,",
        "Y-1,乙,绵阳市自然资源和规划局,绵自然资发〔2017〕6号,2017-03-01,2017-03-05,,,,",
        "Y-1,丙,绵阳市自然资源和规划局,绵自然资发〔2017〕6号,2017-03-01,2017-03-05,,,,",
    )
    with pytest.raises(importer.ImportFailed) as failed:
        importer.run("items.csv", data, orgs=Org.objects.all(), author=staff)
    assert failed.value.errors == [
        "第4行：文号“绵自然资发〔2017〕6号”与第3行重复；索引号“Y-1”与第3行重复",
        f"第2行：索引号“{existing.index_no}”已被信息“{existing.title}”使用",
        f"第2行：文号“绵自然资发〔2017〕5号”已被本机关信息“{existing.title}”使用",
    ]


def break_the_second_batch(monkeypatch, message: str):
    """Make the importer's second batch fail (a crash mid-import); returns the real writer."""
    calls = {"n": 0}
    real = importer._write

    def write(rows, job, author):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError(message)
        real(rows, job, author)

    monkeypatch.setattr(importer, "_write", write)
    return real


def test_an_interrupted_import_resumes_where_it_stopped(staff, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 2)
    real = break_the_second_batch(monkeypatch, "断电")
    with pytest.raises(RuntimeError):
        importer.run("items.csv", GOOD, orgs=Org.objects.all(), author=staff)
    job = ImportJob.objects.get()
    assert (job.status, job.done, Item.objects.count()) == ("running", 2, 2)

    monkeypatch.setattr(importer, "_write", real)
    again = importer.run("items.csv", GOOD, orgs=Org.objects.all(), author=staff)
    assert (again.pk, again.status, again.done, Item.objects.count()) == (job.pk, "done", 3, 3)


def test_command_imports_with_progress_on_stderr(staff, tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes(GOOD)
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", "import", str(path), "--user", "dept_staff", stdout=out, stderr=err)
    assert out.getvalue() == "已导入 3 条\n"
    assert "[##############################] 3/3" in err.getvalue()


def test_command_reports_errors_with_line_numbers(staff, tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes(csv_bytes(",标题,绵阳市自然资源和规划局,,2017-13-01,2017-03-05,,,,"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("catalog", "import", str(path), "--user", "dept_staff", stderr=err)
    assert err.getvalue() == "第2行：成文日期：日期不存在：“2017-13-01”\n"


def test_staff_page_runs_a_job_with_progress(staff, client, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.catalog import desk

    monkeypatch.setattr(desk, "RUN_INLINE", True)
    client.force_login(staff)
    response = client.post("/desk/catalog/import/", {"file": SimpleUploadedFile("items.csv", OWN)})
    job = ImportJob.objects.get()
    assert response.url == f"/desk/catalog/import/{job.pk}/"
    page = client.get(response.url).content.decode()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert "2/2（100%）" in page


def test_staff_page_shows_line_numbered_errors(staff, client, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.catalog import desk

    monkeypatch.setattr(desk, "RUN_INLINE", True)
    client.force_login(staff)
    bad = csv_bytes(",标题,绵阳市教育和体育局,,2017-03-01,2017-03-05,,,,")
    response = client.post("/desk/catalog/import/", {"file": SimpleUploadedFile("bad.csv", bad)})
    page = client.get(response.url).content.decode()
    assert "第2行：发布机构“绵阳市教育和体育局”不存在或不在权限范围内" in page
    assert Item.objects.count() == 0


def test_a_job_stalled_by_a_restart_is_resumed_from_its_stored_file(staff, client, monkeypatch):
    """The thread died with the server: the page offers to go on where it stopped."""
    from datetime import timedelta

    from django.utils import timezone

    from gongkai.catalog import desk

    monkeypatch.setattr(importer, "BATCH", 1)
    real = break_the_second_batch(monkeypatch, "服务器重启")
    monkeypatch.setattr(desk, "RUN_INLINE", True)  # the job runs in this test's connection
    job = ImportJob.objects.create(
        org=staff.org, filename="items.csv", digest="d", data=OWN, created_by=staff
    )
    with pytest.raises(RuntimeError):
        desk._run_job(job.pk)
    monkeypatch.setattr(importer, "_write", real)
    client.force_login(staff)
    url = f"/desk/catalog/import/{job.pk}/"
    assert 'data-testid="job-stalled"' not in client.get(url).content.decode()  # still fresh
    assert client.post(url + "resume/").status_code == 302
    assert ImportJob.objects.get(pk=job.pk).done == 1  # not stalled yet: nothing resumed

    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=3))
    assert 'data-testid="job-stalled"' in client.get(url).content.decode()
    client.post(url + "resume/")
    job.refresh_from_db()
    assert (job.status, job.done, job.total, Item.objects.count()) == ("done", 2, 2, 2)
    assert 'data-testid="job-stalled"' not in client.get(url).content.decode()
