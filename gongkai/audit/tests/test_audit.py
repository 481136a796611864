from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from gongkai.audit import services
from gongkai.audit.models import Entry, Head
from gongkai.audit.rules import GENESIS, Break, Link, entry_hash, first_break


def _chain(n):
    links, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = dict(
            seq=seq,
            at=datetime(2026, 1, 1, 8, 0, seq, tzinfo=UTC),
            actor="office",
            action="orgs.create",
            object_type="orgs.org",
            object_id=str(seq),
            summary={"n": seq},
        )
        digest = entry_hash(prev_hash=prev, **fields)
        links.append(Link(prev_hash=prev, hash=digest, **fields))
        prev = digest
    return links


def test_first_break_accepts_an_intact_chain():
    links = _chain(3)

    assert first_break(links, head_seq=3, head_hash=links[-1].hash) is None


def test_first_break_names_an_edited_entry():
    links = _chain(3)
    edited = Link(**{**links[1].__dict__, "summary": {"n": 99}})

    assert first_break([links[0], edited, links[2]], head_seq=3, head_hash=links[2].hash) == (
        Break(2, "第2条记录内容已被改动（哈希不符）")
    )


def test_first_break_names_a_deleted_entry():
    links = _chain(3)

    assert first_break([links[0], links[2]], head_seq=3, head_hash=links[2].hash) == Break(
        2, "第2条记录缺失（下一条为第3条）"
    )


def test_first_break_names_a_deleted_tail():
    links = _chain(3)

    assert first_break(links[:2], head_seq=3, head_hash=links[2].hash) == Break(
        3, "链尾记录缺失：链头为第3条，实际只到第2条"
    )


def test_record_chains_entries_and_moves_the_head(db):
    first = services.record("test.first", actor="office", summary={"a": 1})
    second = services.record("test.second", summary={"when": datetime(2026, 1, 2).date()})

    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.hash
    assert second.actor == "system"
    assert Entry.objects.get(seq=2).summary == {"when": "2026-01-02"}
    assert (Head.objects.get().seq, Head.objects.get().hash) == (2, second.hash)
    assert services.verify() is None


def test_record_rolls_back_with_the_change_it_describes(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record("test.doomed")
        raise RuntimeError

    assert Entry.objects.count() == 0
    assert services.verify() is None


def test_verify_catches_a_row_tampered_with_in_sql(db):
    for n in range(3):
        services.record("test.step", summary={"n": n})
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Entry._meta.db_table} SET actor = %s WHERE seq = %s", ["intruder", 2]
        )

    assert services.verify() == Break(2, "第2条记录内容已被改动（哈希不符）")


def test_verify_catches_a_row_deleted_in_sql(db):
    for n in range(3):
        services.record("test.step", summary={"n": n})
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Entry._meta.db_table} WHERE seq = %s", [3])

    assert services.verify() == Break(3, "链尾记录缺失：链头为第3条，实际只到第2条")


def test_audit_verify_command_exits_non_zero_naming_the_entry(db, capsys):
    for n in range(2):
        services.record("test.step", summary={"n": n})
    call_command("audit", "verify")
    assert capsys.readouterr().out == "审计日志完整：共2条记录，哈希链校验通过。\n"

    Entry.objects.filter(seq=1).update(summary={"n": 7})
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify")

    assert str(caught.value) == "审计日志校验失败：第1条记录内容已被改动（哈希不符）"
