"""Verify a 双随机 draw from its published bundle. Standard library only.

Usage: python verify_bundle.py bundle.json   (exit 0 = the draw re-runs to the same result)

This file is also the reference implementation: ``gongkai.inspections.rules`` imports
``run``, ``inputs_hash`` and ``seed_of`` from here, so the published script and the
platform cannot drift apart.

Algorithm ``gongkai-rnd-1``:

1. ``inputs_hash`` = SHA-256 of the canonical JSON of the frozen inputs (UTF-8, keys
   sorted, no spaces, ``ensure_ascii=False``). Entities are sorted by credit code,
   inspectors by certificate number; every value is a string, an integer or a list.
2. ``seed`` = SHA-256(``inputs_hash`` + ``public_random``) as hex, both as UTF-8 text.
3. Random integers come from a counter-mode stream: block *i* of stream *label* is
   SHA-256(``seed|label|i``); its first 8 bytes, big-endian, give a 64-bit number;
   ``below(n)`` rejects numbers ≥ 2^64 − (2^64 mod n) and returns the rest mod n.
4. Entities (stream ``entities``): weighted sampling without replacement with integer
   weights from the published table (all 1 when uniform): draw r = below(total weight
   left), walk the remaining entities in credit-code order to the one whose cumulative
   weight passes r, take it out, repeat ``sample_size`` times. Draw order is kept.
5. Inspectors (stream ``inspectors:<credit code>``) for each drawn entity in draw order:
   eligible = certificate valid on the draw date (``valid_until`` ≥ ``on``), no declared
   conflict with the entity's credit code, not of the entity's own org. Fisher–Yates
   shuffle of the eligible list (in certificate order, i from last to 1, j = below(i+1));
   the first ``inspectors_per_entity`` are assigned, the next ``reserve_inspectors`` are
   the reserve order for recusals.
6. Recusals after the draw (``recusals``: [credit code, recused, replacement], in order):
   each replacement must be the first certificate of that entity's reserve order that is
   neither assigned nor already recused.

Only integer arithmetic is used, so every Python on every platform gets the same result.
"""

import hashlib
import json
import sys

ALGORITHM = "gongkai-rnd-1"


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def inputs_hash(inputs: dict) -> str:
    return hashlib.sha256(canonical(inputs)).hexdigest()


def seed_of(hash_hex: str, public_random: str) -> str:
    return hashlib.sha256((hash_hex + public_random).encode()).hexdigest()


class Stream:
    """SHA-256 in counter mode: reproducible 64-bit numbers for one label."""

    def __init__(self, seed: str, label: str):
        self.prefix = f"{seed}|{label}|"
        self.counter = 0

    def next64(self) -> int:
        block = hashlib.sha256(f"{self.prefix}{self.counter}".encode()).digest()
        self.counter += 1
        return int.from_bytes(block[:8], "big")

    def below(self, n: int) -> int:
        if n < 1:
            raise ValueError("n must be positive")
        limit = 2**64 - (2**64 % n)
        while True:
            x = self.next64()
            if x < limit:
                return x % n


def eligible_for(entity: dict, inspectors: list[dict], on: str) -> list[dict]:
    return [
        person
        for person in inspectors
        if person["valid_until"] >= on
        and entity["credit_code"] not in person["conflicts"]
        and (entity["org"] is None or person["org"] != entity["org"])
    ]


def run(inputs: dict, seed: str) -> dict:
    """The draw: ``{"entities": [{"credit_code", "inspectors", "reserve"}, ...]}``."""
    params = inputs["params"]
    weights = params["weights"]
    left = list(inputs["entities"])
    stream = Stream(seed, "entities")
    drawn = []
    for _ in range(params["sample_size"]):
        total = sum(weights[entity["risk_level"]] for entity in left)
        r = stream.below(total)
        for index, entity in enumerate(left):
            r -= weights[entity["risk_level"]]
            if r < 0:
                drawn.append(left.pop(index))
                break
    rows = []
    k, reserve = params["inspectors_per_entity"], params["reserve_inspectors"]
    for entity in drawn:
        pool = [p["certificate"] for p in eligible_for(entity, inputs["inspectors"], params["on"])]
        shuffle = Stream(seed, f"inspectors:{entity['credit_code']}")
        for i in range(len(pool) - 1, 0, -1):
            j = shuffle.below(i + 1)
            pool[i], pool[j] = pool[j], pool[i]
        rows.append(
            {
                "credit_code": entity["credit_code"],
                "inspectors": pool[:k],
                "reserve": pool[k : k + reserve],
            }
        )
    return {"entities": rows}


def replacement(picked: dict, current: list, used) -> "str | None":
    """Recusal after the draw: the first of the reserve order not assigned and not yet used."""
    taken = set(current) | set(used)
    return next((c for c in picked["reserve"] if c not in taken), None)


def recusal_problems(result: dict, recusals: list) -> list[str]:
    """Each recusal [credit code, recused, replacement], in order, must take the next reserve."""
    rows = {r["credit_code"]: r for r in result["entities"]}
    current = {code: list(r["inspectors"]) for code, r in rows.items()}
    used = {code: [] for code in rows}
    problems = []
    for number, (code, recused, replaced_by) in enumerate(recusals, start=1):
        if code not in rows or recused not in current[code]:
            problems.append(f"recusal {number}: {recused} was not assigned to {code}")
            continue
        expected = replacement(rows[code], current[code], used[code])
        if replaced_by != expected:
            problems.append(
                f"recusal {number}: replacement {replaced_by} is not the next reserve {expected}"
            )
            continue
        current[code][current[code].index(recused)] = replaced_by
        used[code].append(recused)
    return problems


def check(bundle: dict) -> list[str]:
    """Every way the bundle fails to reproduce itself; empty when it verifies."""
    problems = []
    if bundle.get("algorithm") != ALGORITHM:
        return [f"unknown algorithm {bundle.get('algorithm')!r}; this script runs {ALGORITHM}"]
    computed = inputs_hash(bundle["inputs"])
    if computed != bundle["inputs_hash"]:
        problems.append(f"inputs hash mismatch: stored {bundle['inputs_hash']}, got {computed}")
    seed = seed_of(bundle["inputs_hash"], bundle["public_random"])
    if seed != bundle["seed"]:
        problems.append(f"seed mismatch: stored {bundle['seed']}, got {seed}")
    if run(bundle["inputs"], seed) != bundle["result"]:
        problems.append("result mismatch: re-running the draw gives a different result")
    return problems + recusal_problems(bundle["result"], bundle.get("recusals", []))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python verify_bundle.py bundle.json\n")
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        bundle = json.load(handle)
    problems = check(bundle)
    for problem in problems:
        sys.stdout.write(f"FAIL {problem}\n")
    if problems:
        return 1
    count = len(bundle["result"]["entities"])
    sys.stdout.write(f"OK draw {bundle.get('draw')}: {count} entities, seed {bundle['seed']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
