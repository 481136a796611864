"""Every change of state of orgs goes through here: transaction, save, audit."""

from dataclasses import dataclass
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from gongkai.audit.services import record
from gongkai.orgs import formats, rules
from gongkai.orgs.enums import Kind, Level, Role
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import tree_rows

# What a file or update_org may set; parent moves go through move_org.
EDITABLE = tuple(key for key in formats.FIELDS if key != "parent")
# Contact fields may hold a person's phone or mailbox: the audit log names them, never their values.
PERSONAL = {"office_phone", "office_email"}


def _set_path(org: Org) -> None:
    parent_path = org.parent.path if org.parent_id else "/"
    org.path = f"{parent_path}{org.pk}/"
    org.depth = org.path.count("/") - 2


def field_problems(org: Org) -> dict[str, list[str]]:
    """Field errors of an unsaved or changed org (lengths, URL, e-mail, codes); no queries."""
    try:
        org.clean_fields(exclude=["parent", "path", "depth", "credit_code", "office_postcode"])
    except ValidationError as exc:
        problems = exc.message_dict
    else:
        problems = {}
    if org.credit_code and (error := rules.credit_code_error(org.credit_code)):
        problems["credit_code"] = [error]
    if org.office_postcode and (error := rules.postcode_error(org.office_postcode)):
        problems["office_postcode"] = [error]
    return problems


def _validate(org: Org) -> None:
    if problems := field_problems(org):
        raise ValidationError(problems)


@transaction.atomic
def create_org(*, actor=None, parent: Org | None = None, **fields) -> Org:
    """Create an org under ``parent`` (None for a root) and log it."""
    org = Org(parent=parent, **fields)
    _validate(org)
    org.save()
    _set_path(org)
    org.save(update_fields=["path", "depth"])
    record(
        "orgs.create",
        actor=actor,
        obj=org,
        summary={"name": org.name, "parent": parent.pk if parent else None},
    )
    return org


def _changes(old: dict, new: dict) -> dict:
    """Audit summary: every changed field by name, values only for non-personal fields."""
    fields = sorted(key for key in new if new[key] != old[key])
    values = {key: [old[key], new[key]] for key in fields if key not in PERSONAL}
    return {"fields": fields, "values": values}


@transaction.atomic
def update_org(org: Org, *, actor=None, **fields) -> Org:
    """Set plain fields (not parent: see ``move_org``); log changed names and old → new values."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_org cannot set {sorted(unknown)}")
    old = {key: getattr(org, key) for key in fields}
    new = {key: value for key, value in fields.items() if value != old[key]}
    if not new:
        return org
    for key, value in new.items():
        setattr(org, key, value)
    _validate(org)
    org.save(update_fields=sorted(new))
    record("orgs.update", actor=actor, obj=org, summary=_changes(old, fields))
    return org


@transaction.atomic
def move_org(org: Org, *, parent: Org | None, actor=None) -> Org:
    """Put ``org`` under ``parent`` (None: make it a root), rewriting its subtree's paths.

    Refuses (ValidationError) to put an org under itself or its own subtree.
    """
    org.refresh_from_db()
    if parent is not None:
        parent.refresh_from_db()
        if parent.is_within(org):
            raise ValidationError({"parent": ["不能把机关移到自身或其下级机关之下"]})
    if org.parent_id == (parent.pk if parent else None):
        return org
    old_parent, old_path, old_depth = org.parent, org.path, org.depth
    org.parent = parent
    _set_path(org)
    Org.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(org.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (org.depth - old_depth),
    )
    org.save(update_fields=["parent"])
    record(
        "orgs.move",
        actor=actor,
        obj=org,
        summary={
            "from": old_parent.name if old_parent else None,
            "to": parent.name if parent else None,
        },
    )
    return org


# --- Import and export -------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


class OrgImportError(Exception):
    """A file that cannot be imported; ``messages`` says every problem, by line, in Chinese."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = sorted(problems, key=lambda problem: problem[0])
        self.messages = [f"第{line}行：{message}" for line, message in self.problems]
        super().__init__("\n".join(self.messages))


def _choice(choices, text: str) -> str | None:
    """Accept the English value or the Chinese label of a TextChoices member."""
    for value, label in choices.choices:
        if text in (value, str(label)):
            return value
    return None


_CHOICES = {"level": Level, "kind": Kind}


def _values(record: formats.Record, problems: list[tuple[int, str]]) -> dict:
    """The model values of one record; appends its field problems, by line."""
    text = {key: record.fields.get(key, "") for key in EDITABLE}
    values: dict = dict(text)
    if not text["name"]:
        problems.append((record.line, "缺少机关名称（name）"))
    for key, choices in _CHOICES.items():
        values[key] = _choice(choices, text[key])
        if values[key] is None:
            allowed = "、".join(f"{value}/{label}" for value, label in choices.choices)
            if text[key]:
                message = f"{formats.HEADINGS[key]}“{text[key]}”无效，应为{allowed}"
            else:
                message = f"缺少{formats.HEADINGS[key]}（{key}），应为{allowed}"
            problems.append((record.line_of(key), message))
    if text["sort"] and not (text["sort"].isascii() and text["sort"].isdigit()):
        problems.append((record.line_of("sort"), f"排序“{text['sort']}”应为非负整数"))
        values["sort"] = 0
    else:
        values["sort"] = int(text["sort"] or 0)
    draft = Org(
        **{
            **values,
            "level": values["level"] or Level.CITY,
            "kind": values["kind"] or Kind.DEPARTMENT,
        }
    )
    for key, messages in field_problems(draft).items():
        if key == "name" and not text["name"]:
            continue
        for message in messages:
            if not message.startswith(formats.HEADINGS[key]):
                message = f"{formats.HEADINGS[key]}：{message}"
            problems.append((record.line_of(key), message))
    return values


def _code_problems(records, values, existing: dict[str, Org]) -> list[tuple[int, str]]:
    """Credit codes must stay unique: within the file, and against orgs the file leaves alone."""
    in_file = {v["name"] for v in values}
    held = {
        o.credit_code: o.name for o in existing.values() if o.credit_code and o.name not in in_file
    }
    problems = []
    for record_, value in zip(records, values, strict=True):
        code = value["credit_code"]
        if not code:
            continue
        if code in held:
            problems.append(
                (record_.line_of("credit_code"), f"统一社会信用代码{code}已属于“{held[code]}”")
            )
        else:
            held[code] = value["name"]
    return problems


@transaction.atomic
def import_orgs(text: str, *, fmt: str = "yaml", actor=None) -> ImportResult:
    """Create or update (by name) every org of a YAML or CSV file, all or nothing.

    Raises OrgImportError listing every problem of the file, by line, and writes nothing.
    Orgs that the file does not name are left as they are. Writes one audit entry, and
    none when nothing changed (so importing the same file twice is a no-op).
    """
    parsers = {"yaml": formats.parse_yaml, "csv": formats.parse_csv}
    if fmt not in parsers:
        raise ValueError(f"unknown format {fmt!r}")
    parsed = parsers[fmt](text)
    problems = list(parsed.problems)
    records = parsed.records
    values = [_values(r, problems) for r in records]
    existing = {o.name: o for o in Org.objects.select_related("parent")}
    known = {name: (o.parent.name if o.parent else "") for name, o in existing.items()}
    rows = []
    for r, v in zip(records, values, strict=True):
        if org := existing.get(v["name"]):  # a CSV without some columns keeps those fields
            v.update({key: getattr(org, key) for key in EDITABLE if key not in r.covers})
        parent = r.fields.get("parent", "") if "parent" in r.covers else known.get(v["name"], "")
        rows.append(rules.Row(r.line, v["name"], parent))
    problems += rules.tree_problems([row for row in rows if row.name], known)
    problems += _code_problems(records, values, existing)
    if problems:
        raise OrgImportError(problems)
    result, changes = _apply(rows, values, existing, known)
    if result.created or result.updated:
        record(
            "orgs.import",
            actor=actor,
            summary={
                "format": fmt,
                "created": result.created,
                "updated": result.updated,
                "changes": changes,
            },
        )
    return result


def _apply(rows, values, existing: dict[str, Org], known: dict[str, str]):
    parent_of = {**known, **{row.name: row.parent for row in rows}}
    depth = rules.depths(parent_of, [row.name for row in rows])
    by_name = dict(existing)
    created, updated, cleared_codes, changes = 0, [], [], {}
    # Parents first: one insert per level of the tree gives every new parent its key in time.
    ordered = sorted(zip(rows, values, strict=True), key=lambda pair: depth[pair[0].name])
    for _, level in groupby(ordered, key=lambda pair: depth[pair[0].name]):
        new = []
        for row, value in level:
            parent = by_name[row.parent] if row.parent else None
            org = existing.get(row.name)
            if org is None:
                by_name[row.name] = Org(parent=parent, **value)
                new.append(by_name[row.name])
                continue
            changed = [key for key in EDITABLE if getattr(org, key) != value[key]]
            if org.parent_id != (parent.pk if parent else None):
                changed.append("parent")
            if not changed:
                continue
            if "credit_code" in changed and org.credit_code:
                cleared_codes.append(Org(pk=org.pk, credit_code=""))
            for key in EDITABLE:
                setattr(org, key, value[key])
            org.parent = parent
            updated.append(org)
            changes[org.name] = changed
        Org.objects.bulk_create(new)
        created += len(new)
    # Two orgs may swap codes: blank the old ones first so the unique constraint holds.
    Org.objects.bulk_update(cleared_codes, ["credit_code"])
    Org.objects.bulk_update(updated, [*EDITABLE, "parent"], batch_size=200)
    _rebuild_paths()
    return ImportResult(created=created, updated=len(updated)), changes


def _rebuild_paths() -> None:
    """Recompute every path and depth from the parent links; save only those that differ."""
    rows = {
        pk: (parent_id, path)
        for pk, parent_id, path in Org.objects.values_list("pk", "parent_id", "path")
    }
    paths: dict[int, str] = {}

    def path_of(pk: int) -> str:
        if pk not in paths:
            parent_id = rows[pk][0]
            paths[pk] = f"{path_of(parent_id) if parent_id else '/'}{pk}/"
        return paths[pk]

    stale = [
        Org(pk=pk, path=path_of(pk), depth=path_of(pk).count("/") - 2)
        for pk, (_, path) in rows.items()
        if path != path_of(pk)
    ]
    Org.objects.bulk_update(stale, ["path", "depth"], batch_size=500)


def _as_dict(org: Org, parent_name: str) -> dict:
    """An org as a file entry: FIELDS order, empty fields and sort 0 left out."""
    entry = {key: getattr(org, key) for key in EDITABLE}
    entry["parent"] = parent_name
    return {key: entry[key] for key in formats.FIELDS if entry[key]}


def _entries(root: Org | None):
    """(org, level below root, parent name for a file) in tree order."""
    names: dict[int, str] = {}
    for org in tree_rows(root):
        names[org.pk] = org.name
        level = org.depth - (root.depth if root else 0)
        top_parent = org.parent.name if level == 0 and org.parent_id else ""
        yield org, level, names.get(org.parent_id, "") if level else top_parent


def export_yaml(root: Org | None = None) -> str:
    """The whole tree (or ``root``'s subtree, naming its parent) as nested YAML."""
    tree: list[dict] = []
    stack: list[list[dict]] = [tree]
    for org, level, parent_name in _entries(root):
        entry = _as_dict(org, parent_name if level == 0 else "")
        del stack[level + 1 :]
        stack[level].append(entry)
        entry["children"] = []
        stack.append(entry["children"])
    _drop_empty_children(tree)
    return formats.dump_yaml(tree)


def _drop_empty_children(entries: list[dict]) -> None:
    for entry in entries:
        if entry["children"]:
            _drop_empty_children(entry["children"])
        else:
            del entry["children"]


def export_csv(root: Org | None = None) -> str:
    """One row per org in tree order, parents by name, English header row."""
    return formats.dump_csv([_as_dict(org, parent) for org, _, parent in _entries(root)])


# --- Staff accounts ------------------------------------------------------------


@transaction.atomic
def save_staff(
    username: str,
    *,
    org: Org,
    role: Role,
    password: str,
    full_name: str = "",
    email: str = "",
    actor=None,
) -> User:
    """Create a staff account, or bring an existing one to this org, role and password.

    Logs only real changes, and never the password itself.
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=password,
            org=org,
            role=role,
            full_name=full_name,
            email=email,
        )
        record("orgs.staff.create", actor=actor, obj=user, summary={"org": org.name, "role": role})
        return user
    wanted = {"org": org, "role": role, "full_name": full_name, "email": email}
    changed = [key for key, value in wanted.items() if getattr(user, key) != value]
    for key in changed:
        setattr(user, key, wanted[key])
    if not user.check_password(password):
        user.set_password(password)
        changed.append("password")
    if changed:
        user.save()
        record("orgs.staff.update", actor=actor, obj=user, summary={"fields": sorted(changed)})
    return user
