"""gongkai catalog scan|scan-report|reindex."""

import io
import json

import pytest
from django.core.management import call_command

from gongkai import search
from gongkai.catalog.tests.conftest import ID_NUMBER
from gongkai.search.api import Query


def test_scan_delegates_to_the_scanner(tmp_path, db):
    path = tmp_path / "公告.txt"
    path.write_text(f"申请人身份证号{ID_NUMBER}", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("catalog", "scan", str(path), "--json", stdout=out)
    assert exit_.value.code == 1
    assert json.loads(out.getvalue()) == [
        {"kind": "id_number", "start": 7, "end": 25, "masked": "5107**********1237"}
    ]


def test_scan_report_lists_published_items_with_findings(published):
    published(number="A1")
    leaked = published(number="A2", body_html="<p>电话13800001234</p>", override="工作电话")
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", "scan-report", stdout=out, stderr=err)
    assert out.getvalue() == f"{leaked.index_no}\t{leaked.title}\t正文：手机号码 138****1234\n"
    assert err.getvalue() == "1 条已发布信息含个人或敏感信息\n"


def test_reindex_rebuilds_the_index(published):
    item = published()
    search.clear()
    assert search.search(Query(text="拆迁")).total == 0
    out = io.StringIO()
    call_command("catalog", "reindex", stdout=out)
    assert out.getvalue() == "已索引 1 条\n"
    assert [h.id for h in search.search(Query(text="拆迁")).hits] == [item.pk]
