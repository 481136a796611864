"""Pure rules for orgs: code check characters and tree shape. No ORM, no clock."""

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

# GB 32100-2015: 31 characters, no I, O, Z, S, V (too easily confused with 1, 0, 2, 5, U).
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 32100-2015 table 1 as amended: 登记管理部门代码 (position 1) -> 机构类别代码 (position 2).
REGISTRARS: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "1239"),  # 机关, 事业单位, 编办直管群众团体, 其他
    "2": ("外交", "19"),
    "3": ("司法行政", "123459"),
    "4": ("文化", "19"),
    "5": ("民政", "1239"),  # 社会团体, 民办非企业单位, 基金会, 其他
    "6": ("旅游", "129"),
    "7": ("宗教", "129"),
    "8": ("工会", "19"),
    "9": ("工商", "123"),  # 企业, 个体工商户, 农民专业合作社
    "A": ("中央军委改革和编制办公室", "19"),
    "N": ("农业", "1239"),
    "Y": ("其他", "1"),
}

# GB 11714-1997: digits and capital letters (A=10 … Z=35); weights for the 8 body characters.
ORG_CODE_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _credit_check(first17: str) -> str:
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_with_check(first17: str) -> str:
    """Append the GB 32100 check character to the first 17 characters."""
    if len(first17) != 17 or any(c not in CREDIT_CHARSET for c in first17):
        raise ValueError(f"需要17位合法字符，得到“{first17}”")
    return first17 + _credit_check(first17)


def credit_code_error(code: str) -> str | None:
    """Return None for a valid 统一社会信用代码, else a Chinese message naming the first fault.

    Checks length, character set, the registrar and kind codes, the 6-digit division
    and the check character. The body (positions 9–17) is not held to GB 11714: the
    registrar assigns it, and for some kinds (个体工商户) it carries no org-code check.
    """
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实为{len(code)}位"
    for position, char in enumerate(code, start=1):
        if char not in CREDIT_CHARSET:
            return f"统一社会信用代码第{position}位“{char}”不是合法字符"
    registrar, kind = code[0], code[1]
    if registrar not in REGISTRARS:
        return f"统一社会信用代码第1位登记管理部门代码“{registrar}”不存在"
    department, kinds = REGISTRARS[registrar]
    if kind not in kinds:
        return f"统一社会信用代码第2位机构类别代码“{kind}”不适用于登记管理部门“{department}”"
    if not code[2:8].isdigit():
        return f"统一社会信用代码第3–8位行政区划码“{code[2:8]}”应为6位数字"
    expected = _credit_check(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误，应为{expected}实为{code[17]}"
    return None


def org_code_with_check(first8: str) -> str:
    """Append the GB 11714 check character (0–9 or X) to an 8-character org code body."""
    if len(first8) != 8 or any(c not in ORG_CODE_CHARSET for c in first8):
        raise ValueError(f"需要8位数字或大写字母，得到“{first8}”")
    total = sum(
        ORG_CODE_CHARSET.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return first8 + {10: "X", 11: "0"}.get(check, str(check))


def postcode_error(code: str) -> str | None:
    if len(code) == 6 and code.isascii() and code.isdigit():
        return None
    return f"邮编应为6位数字，实为“{code}”"


class Row(NamedTuple):
    """One org of an import file: where it is, what it is called, whom it reports to."""

    line: int
    name: str
    parent: str  # "" for a root


def tree_problems(
    rows: Sequence[Row], known: Mapping[str, str] | None = None
) -> list[tuple[int, str]]:
    """Return (line, message) for duplicate names, unknown parents and parent cycles.

    ``known`` maps the names already in the database to their parents' names; the rows
    replace those entries, so a file can move an existing org (and so make a cycle).
    """
    parent_of = dict(known or {})
    first_line: dict[str, int] = {}
    problems = []
    for row in rows:
        if row.name in first_line:
            problems.append((row.line, f"机关名称“{row.name}”重复，第{first_line[row.name]}行已有"))
        else:
            first_line[row.name] = row.line
            parent_of[row.name] = row.parent
    for row in rows:
        if first_line[row.name] != row.line or not row.parent:
            continue
        if row.parent == row.name:
            problems.append((row.line, "上级机关不能是自身"))
        elif row.parent not in parent_of:
            problems.append((row.line, f"上级机关“{row.parent}”不存在"))
        elif (cycle := _cycle_through(row.name, parent_of)) is not None:
            problems.append((row.line, "上级关系成环：" + " → ".join(cycle)))
    return sorted(problems, key=lambda problem: problem[0])


def _cycle_through(name: str, parent_of: Mapping[str, str]) -> list[str] | None:
    chain, seen = [name], {name}
    current = parent_of.get(name, "")
    while current and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parent_of.get(current, "")
    return [*chain, name] if current == name else None


def depths(parent_of: Mapping[str, str], names: Iterable[str]) -> dict[str, int]:
    """Depth (0 for a root) of each name in an acyclic name -> parent-name map."""
    result: dict[str, int] = {}
    for name in names:
        chain = []
        current = name
        while current and current not in result:
            chain.append(current)
            current = parent_of.get(current, "")
        depth = result[current] if current else -1
        for link in reversed(chain):
            depth += 1
            result[link] = depth
    return {name: result[name] for name in names}
