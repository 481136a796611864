"""The audit chain's arithmetic: pure functions over plain values."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: dict,
) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the entry's fields."""
    body = json.dumps(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "summary": summary,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    """Where the chain first fails, and why (Chinese, for the operator)."""

    seq: int
    reason: str


@dataclass(frozen=True)
class Link:
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    summary: dict
    prev_hash: str
    hash: str


def first_break(links, *, head_seq: int, head_hash: str) -> Break | None:
    """Walk the chain in seq order; return the first entry that does not hold, or None.

    Detects an edited entry (its hash no longer matches), a deleted entry (a gap in
    seq or a prev_hash that points elsewhere) and a deleted tail (the head names a
    later entry than the last one found).
    """
    expected_prev, expected_seq = GENESIS, 1
    for link in links:
        if link.seq != expected_seq:
            return Break(expected_seq, f"第{expected_seq}条记录缺失（下一条为第{link.seq}条）")
        if link.prev_hash != expected_prev:
            return Break(link.seq, f"第{link.seq}条记录的前序哈希与上一条不符")
        actual = entry_hash(
            prev_hash=link.prev_hash,
            seq=link.seq,
            at=link.at,
            actor=link.actor,
            action=link.action,
            object_type=link.object_type,
            object_id=link.object_id,
            summary=link.summary,
        )
        if actual != link.hash:
            return Break(link.seq, f"第{link.seq}条记录内容已被改动（哈希不符）")
        expected_prev, expected_seq = link.hash, link.seq + 1
    if head_seq != expected_seq - 1 or (head_seq and head_hash != expected_prev):
        return Break(
            expected_seq, f"链尾记录缺失：链头为第{head_seq}条，实际只到第{expected_seq - 1}条"
        )
    return None
