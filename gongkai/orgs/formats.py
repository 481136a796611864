"""The org file formats, YAML and CSV: text <-> plain records with line numbers. No ORM.

YAML is a list of orgs; each org is a mapping with the keys of ``FIELDS`` (no
``parent``) and an optional ``children`` list, nested as deep as the tree. A top-level
entry may name a ``parent`` already in the database, to import a subtree under it.
An entry describes its org whole: empty fields are left out on export, and a key left
out on import blanks the field. Every scalar is read as text (PyYAML's BaseLoader), so
621000 or 0816 stay what they were typed as.

CSV has one org per row and a header row naming the columns: export writes the English
keys of ``FIELDS``; import accepts those or the Chinese headings of ``HEADINGS``, in any
order. ``parent`` names the parent org. Only name, level and kind are required columns;
a column left out leaves that field of existing orgs as it is (so a sheet of names and
websites cannot wipe credit codes). A UTF-8 byte order mark (Excel) is ignored.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

FIELDS = (
    "name",
    "short_name",
    "level",
    "kind",
    "parent",
    "credit_code",
    "website",
    "office_name",
    "office_phone",
    "office_address",
    "office_postcode",
    "office_email",
    "sort",
)
HEADINGS = {
    "name": "名称",
    "short_name": "简称",
    "level": "层级",
    "kind": "类型",
    "parent": "上级机关",
    "credit_code": "统一社会信用代码",
    "website": "网站",
    "office_name": "公开工作机构",
    "office_phone": "联系电话",
    "office_address": "地址",
    "office_postcode": "邮编",
    "office_email": "电子邮箱",
    "sort": "排序",
}


@dataclass
class Record:
    """One org as read from a file: field texts, the line of the entry, the line of each field."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    covers: tuple[str, ...] = FIELDS  # what the record says about an existing org

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class Parsed:
    records: list[Record]
    problems: list[tuple[int, str]]  # (line, message)


# --- YAML -------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent lists under their key ("children:\n  - name: …"), as people write them.
        return super().increase_indent(flow, indentless=False)


def dump_yaml(tree: list[dict]) -> str:
    """``tree``: mappings in ``FIELDS`` order with optional ``children`` lists."""
    if not tree:
        return "[]\n"
    return yaml.dump(
        tree,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )


def parse_yaml(text: str) -> Parsed:
    parsed = Parsed([], [])
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        parsed.problems.append((mark.line + 1 if mark else 1, f"YAML格式错误：{exc.problem}"))
        return parsed
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):
        return parsed
    if not isinstance(root, yaml.SequenceNode):
        parsed.problems.append((_line(root), "文件顶层应为机关列表（以“- name:”开头的条目）"))
        return parsed
    _walk(root, None, parsed)
    return parsed


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _walk(seq: yaml.SequenceNode, parent: str | None, parsed: Parsed) -> None:
    for item in seq.value:
        if not isinstance(item, yaml.MappingNode):
            parsed.problems.append((_line(item), "每个机关应为一组“字段: 值”"))
            continue
        record = Record(line=_line(item))
        children = None
        for key_node, value_node in item.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if key == "children":
                if isinstance(value_node, yaml.SequenceNode):
                    children = value_node
                elif not (isinstance(value_node, yaml.ScalarNode) and value_node.value == ""):
                    parsed.problems.append((_line(value_node), "children应为下级机关列表"))
            elif key not in FIELDS:
                parsed.problems.append((_line(key_node), f"未知字段“{key}”"))
            elif key == "parent" and parent is not None:
                parsed.problems.append((_line(key_node), "嵌套在children中的机关不应再写parent"))
            elif not isinstance(value_node, yaml.ScalarNode):
                parsed.problems.append((_line(value_node), f"字段“{key}”的值应为文字"))
            else:
                record.fields[key] = value_node.value.strip()
                record.lines[key] = _line(value_node)
        if parent is not None:
            record.fields["parent"] = parent
        parsed.records.append(record)
        if children is not None:
            _walk(children, record.fields.get("name", ""), parsed)


# --- CSV --------------------------------------------------------------------

_COLUMN = {**{key: key for key in FIELDS}, **{zh: key for key, zh in HEADINGS.items()}}


def dump_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([row.get(key, "") for key in FIELDS])
    return out.getvalue()


def parse_csv(text: str) -> Parsed:
    parsed = Parsed([], [])
    rows = _csv_rows(text.removeprefix("\ufeff"), parsed)
    header = next(rows, None)
    if header is None:
        return parsed
    _, cells = header
    columns = [_COLUMN.get(cell.strip()) for cell in cells]
    for cell, column in zip(cells, columns, strict=True):
        if column is None:
            parsed.problems.append((1, f"未知列“{cell.strip()}”"))
    for key in ("name", "level", "kind"):
        if key not in columns:
            parsed.problems.append((1, f"缺少“{key}”（{HEADINGS[key]}）列"))
    if parsed.problems:
        return parsed
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            parsed.problems.append((line, f"应有{len(columns)}列，实有{len(cells)}列"))
            continue
        fields = {key: cell.strip() for key, cell in zip(columns, cells, strict=True)}
        parsed.records.append(Record(line=line, fields=fields, covers=tuple(columns)))
    return parsed


def _csv_rows(text: str, parsed: Parsed) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line of the row, cells); a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text))
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            parsed.problems.append((line, f"CSV格式错误：{exc}"))
            return
        yield line, cells
