"""What changed between two versions of a digest, as Publishers see it when they review a
pending change and as History shows it: added, removed, moved and changed rows, with the
changed words of each field marked."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from digestsite.richtext import html_to_text

DIGEST_FIELDS = [
    ("title", "Title"),
    ("slug", "Address"),
    ("date", "Date"),
    ("lead", "Lead"),
    ("status", "Status"),
    ("publish_at", "Publication time"),
    ("cover_image", "Cover image"),
    ("cover_alt", "Cover description"),
]
SECTION_FIELDS = [("title", "Title"), ("anchor", "Link anchor")]
ITEM_FIELDS = [
    ("title", "Title"),
    ("body", "Text"),
    ("image", "Image"),
    ("image_alt", "Image description"),
    ("caption", "Caption"),
    ("credit", "Credit"),
    ("source_url", "Source"),
]
FIGURE_FIELDS = [
    ("platform", "Platform"),
    ("views", "Views"),
    ("topic", "Topic"),
    ("url", "Post"),
    ("period_start", "From"),
    ("period_end", "To"),
]


@dataclass
class Change:
    """One line of a comparison: what changed, where, and the old and new values."""

    kind: str  # "digest", "section", "item", "figure"
    what: str  # "added", "removed", "changed", "moved"
    label: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, marked-up diff)


def _value(fields, name):
    value = fields.get(name, fields.get(f"{name}_id"))
    return "" if value is None else str(value)


def _text(fields, name):
    value = _value(fields, name)
    return html_to_text(value) if name == "body" else value


def word_diff(old: str, new: str):
    """`old` → `new` word by word, removed words in <del>, added ones in <ins>; escaped."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # every part is escaped above


def _field_changes(old, new, names):
    changes = []
    for name, label in names:
        a, b = _text(old, name), _text(new, name)
        if a != b:
            changes.append((label, word_diff(a, b)))
    return changes


def _graph(rows):
    """Rows (serialized, or reversion's field dicts) grouped into what a comparison needs."""
    graph = {"digest": {}, "sections": {}, "items": {}, "figures": {}}
    kinds = {
        "digests.digest": "digest",
        "digests.section": "sections",
        "digests.item": "items",
        "digests.socialmetric": "figures",
    }
    for row in rows:
        kind = kinds.get(row["model"])
        if kind == "digest":
            graph["digest"] = row["fields"]
        elif kind:
            graph[kind][str(row["pk"])] = row["fields"]
    return graph


def _item_label(fields):
    title = _value(fields, "title")
    if title:
        return title
    text = html_to_text(_value(fields, "body"))
    return (text[:60] + "…") if len(text) > 60 else (text or "Untitled item")


def compare(old_rows, new_rows) -> list[Change]:
    """What changed from `old_rows` to `new_rows`, two versions of one digest: its fields,
    sections, items and figures (added, removed, moved, reordered, text changed)."""
    old, new = _graph(old_rows), _graph(new_rows)
    changes = []
    digest_changes = _field_changes(old["digest"], new["digest"], DIGEST_FIELDS)
    if digest_changes:
        changes.append(Change("digest", "changed", "The digest", digest_changes))

    def section_title(graph, pk):
        section = graph["sections"].get(str(pk)) or {}
        return _value(section, "title") or "a section"

    for kind, names, label in (
        ("sections", SECTION_FIELDS, lambda f: _value(f, "title")),
        ("items", ITEM_FIELDS, _item_label),
        ("figures", FIGURE_FIELDS, lambda f: f"{_value(f, 'platform')}: {_value(f, 'topic')}"),
    ):
        noun = {"sections": "section", "items": "item", "figures": "figure"}[kind]
        for pk, fields in new[kind].items():
            before = old[kind].get(pk)
            if before is None:
                where = (
                    f" in “{section_title(new, _value(fields, 'section'))}”"
                    if kind == "items"
                    else ""
                )
                shown = [(lbl, word_diff("", _text(fields, n))) for n, lbl in names]
                changes.append(
                    Change(noun, "added", f"{label(fields)}{where}", [c for c in shown if c[1]])
                )
                continue
            field_changes = _field_changes(before, fields, names)
            if field_changes:
                changes.append(Change(noun, "changed", label(fields), field_changes))
            if kind == "items" and _value(before, "section") != _value(fields, "section"):
                changes.append(
                    Change(
                        noun,
                        "moved",
                        label(fields),
                        [
                            (
                                "Section",
                                word_diff(
                                    section_title(old, _value(before, "section")),
                                    section_title(new, _value(fields, "section")),
                                ),
                            )
                        ],
                    )
                )
            elif kind in ("sections", "items") and _value(before, "order") != _value(
                fields, "order"
            ):
                changes.append(Change(noun, "moved", f"{label(fields)}: order changed"))
        for pk, fields in old[kind].items():
            if pk not in new[kind]:
                changes.append(Change(noun, "removed", label(fields)))
    return changes


def revision_rows(revision):
    """A reversion revision's rows in the form `compare` reads."""
    return [
        {
            "model": version.content_type.model_class()._meta.label_lower,
            "pk": version.object_id,
            "fields": version.field_dict,
        }
        for version in revision.version_set.select_related("content_type")
        if version.content_type.model_class() is not None
    ]
