import hashlib
from datetime import date

import pytest

from gongkai.inspections import rules
from gongkai.inspections.verify_bundle import Stream, check

from .conftest import code

ON = date(2026, 3, 2)


def entity(i, risk="low", org=None):
    return {
        "credit_code": code(i),
        "name": f"企业{i}",
        "legal_rep": "",
        "address": "",
        "industry": "",
        "area": "",
        "risk_level": risk,
        "org": org,
    }


def inspector(i, *, valid_until="2028-12-31", conflicts=(), org=1):
    return {
        "certificate": f"C{i:03d}",
        "name": f"检查员{i}",
        "field": "",
        "valid_until": valid_until,
        "org": org,
        "conflicts": list(conflicts),
    }


def inputs(entities, inspectors, *, size=2, per=2, weights=rules.UNIFORM_WEIGHTS):
    return rules.freeze(
        item={"id": 1, "name": "事项"},
        entities=entities,
        inspectors=inspectors,
        on=ON,
        sample_size=size,
        inspectors_per_entity=per,
        weights=weights,
    )


FIVE = [entity(i) for i in range(5)]
FOUR_PEOPLE = [inspector(i) for i in range(4)]


@pytest.mark.parametrize(
    ("entities", "inspectors", "size", "per", "public_random", "message"),
    (
        (FIVE, FOUR_PEOPLE, 2, 2, " ", "抽取前须录入公开随机数（如当期彩票号码或现场摇号值）"),
        ([], FOUR_PEOPLE, 2, 2, "07", "检查对象名录为空，不能抽取"),
        (FIVE, [], 2, 2, "07", "执法检查人员名录为空，不能抽取"),
        (FIVE, FOUR_PEOPLE, 0, 2, "07", "抽取数量至少为1"),
        (FIVE, FOUR_PEOPLE, 6, 2, "07", "抽取数量6大于名录中的检查对象数5"),
        (FIVE, FOUR_PEOPLE, 2, 1, "07", "每个检查对象至少随机选派2名检查人员（RND-5）"),
        (
            FIVE,
            [inspector(0), inspector(1, valid_until="2026-03-01"), inspector(2)],
            2,
            3,
            "07",
            f"检查对象“企业0”（{code(0)}）回避后仅有2名可选派的检查人员，少于3名",
        ),
        (
            [entity(0, org=1), *FIVE[1:]],
            FOUR_PEOPLE,
            2,
            2,
            "07",
            f"检查对象“企业0”（{code(0)}）回避后仅有0名可选派的检查人员，少于2名",
        ),
        (FIVE, FOUR_PEOPLE, 5, 4, "07", None),
    ),
)
def test_refusal_names_the_first_reason(entities, inspectors, size, per, public_random, message):
    assert rules.refusal(inputs(entities, inspectors, size=size, per=per), public_random) == message


def test_freeze_is_independent_of_row_order():
    forward = inputs(FIVE, FOUR_PEOPLE)
    backward = inputs(FIVE[::-1], FOUR_PEOPLE[::-1])
    assert rules.inputs_hash(forward) == rules.inputs_hash(backward)


@pytest.mark.parametrize(
    ("change", "same"),
    (
        (lambda e: e, True),
        (lambda e: {**e, "address": "新地址"}, False),
        (lambda e: {**e, "risk_level": "high"}, False),
    ),
)
def test_inputs_hash_changes_with_any_field(change, same):
    before = rules.inputs_hash(inputs(FIVE, FOUR_PEOPLE))
    after = rules.inputs_hash(inputs([change(FIVE[0]), *FIVE[1:]], FOUR_PEOPLE))
    assert (before == after) is same


def test_seed_is_sha256_of_hash_and_public_random():
    assert rules.seed_of("ab", "07") == hashlib.sha256(b"ab07").hexdigest()
    assert rules.seed_of("ab", "07") != rules.seed_of("ab", "08")


def test_run_is_deterministic_and_respects_recusal():
    people = [inspector(0, conflicts=[code(0)]), *[inspector(i) for i in range(1, 5)]]
    frozen = inputs(FIVE, people, size=5, per=2)
    seed = rules.seed_of(rules.inputs_hash(frozen), "2026030201")
    first = rules.run(frozen, seed)
    assert first == rules.run(frozen, seed)
    assert sorted(r["credit_code"] for r in first["entities"]) == [code(i) for i in range(5)]
    row = next(r for r in first["entities"] if r["credit_code"] == code(0))
    assert "C000" not in row["inspectors"] + row["reserve"]
    assert all(len(r["inspectors"]) == 2 and len(r["reserve"]) <= 3 for r in first["entities"])


def test_risk_weighting_draws_high_risk_more_often():
    entities = [entity(i, "high" if i < 10 else "low") for i in range(40)]
    hits = 0
    for round_ in range(200):
        frozen = inputs(entities, FOUR_PEOPLE, size=1, weights=rules.RISK_WEIGHTS)
        seed = rules.seed_of(rules.inputs_hash(frozen), str(round_))
        hits += rules.run(frozen, seed)["entities"][0]["credit_code"] in {
            code(i) for i in range(10)
        }
    # 10 entities of weight 4 against 30 of weight 1: expected share 40/70 ≈ 57%, uniform 25%.
    assert hits > 90


@pytest.mark.parametrize("n", (1, 2, 3, 7, 1000))
def test_stream_below_stays_in_range(n):
    stream = Stream("seed", "label")
    assert all(0 <= stream.below(n) < n for _ in range(200))


def test_check_reports_each_tampering():
    frozen = inputs(FIVE, FOUR_PEOPLE)
    good = {
        "algorithm": rules.ALGORITHM,
        "inputs": frozen,
        "inputs_hash": rules.inputs_hash(frozen),
        "public_random": "07",
        "seed": rules.seed_of(rules.inputs_hash(frozen), "07"),
    }
    good["result"] = rules.run(frozen, good["seed"])
    assert check(good) == []
    assert check({**good, "public_random": "08"})[0].startswith("seed mismatch")
    assert check({**good, "result": {"entities": []}}) == [
        "result mismatch: re-running the draw gives a different result"
    ]
    edited = {**frozen, "entities": [{**FIVE[0], "name": "改"}, *frozen["entities"][1:]]}
    assert check({**good, "inputs": edited})[0].startswith("inputs hash mismatch")
