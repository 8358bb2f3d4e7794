"""What changed between two versions of a digest, as Publishers see it when they review a
pending change and as History shows it: added, removed, moved and changed rows, with the
changed words of each field marked."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from digests.models import Platform
from digestsite.richtext import html_to_text

DIGEST_FIELDS = [
    ("title", _("Title")),
    ("slug", _("Address")),
    ("date", _("Date")),
    ("lead", _("Lead")),
    ("status", _("Status")),
    ("publish_at", _("Publication time")),
    ("cover_image", _("Cover image")),
    ("cover_alt", _("Cover description")),
]
SECTION_FIELDS = [("title", _("Title")), ("anchor", _("Link anchor"))]
ITEM_FIELDS = [
    ("title", _("Title")),
    ("body", _("Text")),
    ("image", _("Image")),
    ("image_alt", _("Image description")),
    ("caption", _("Caption")),
    ("credit", _("Credit")),
    ("source_url", _("Source")),
]
FIGURE_FIELDS = [
    ("platform", _("Platform")),
    ("views", _("Views")),
    ("topic", _("Topic")),
    ("url", _("Post")),
    ("period_start", pgettext_lazy("a period", "From")),
    ("period_end", pgettext_lazy("a period", "To")),
]
# What a comparison's rows say, in the staff member's language.
KIND_LABELS = {
    "digest": _("digest"),
    "section": _("section"),
    "item": _("item"),
    "figure": _("figure"),
}
WHAT_LABELS = {
    "added": pgettext_lazy("a comparison", "added"),
    "removed": pgettext_lazy("a comparison", "removed"),
    "changed": pgettext_lazy("a comparison", "changed"),
    "moved": pgettext_lazy("a comparison", "moved"),
}


@dataclass
class Change:
    """One line of a comparison: what changed, where, and the old and new values."""

    kind: str  # "digest", "section", "item", "figure"
    what: str  # "added", "removed", "changed", "moved"
    label: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, marked-up diff)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def what_label(self) -> str:
        return WHAT_LABELS[self.what]


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
    return (text[:60] + "…") if len(text) > 60 else (text or gettext("Untitled item"))


def _figure_label(fields):
    platform = _value(fields, "platform")
    if platform in Platform.values:
        platform = Platform(platform).label
    return f"{platform}: {_value(fields, 'topic')}"


def compare(old_rows, new_rows) -> list[Change]:
    """What changed from `old_rows` to `new_rows`, two versions of one digest: its fields,
    sections, items and figures (added, removed, moved, reordered, text changed)."""
    old, new = _graph(old_rows), _graph(new_rows)
    changes = []
    digest_changes = _field_changes(old["digest"], new["digest"], DIGEST_FIELDS)
    if digest_changes:
        changes.append(Change("digest", "changed", gettext("The digest"), digest_changes))

    def section_title(graph, pk):
        section = graph["sections"].get(str(pk)) or {}
        return _value(section, "title") or gettext("a section")

    for kind, names, label in (
        ("sections", SECTION_FIELDS, lambda f: _value(f, "title")),
        ("items", ITEM_FIELDS, _item_label),
        ("figures", FIGURE_FIELDS, _figure_label),
    ):
        noun = {"sections": "section", "items": "item", "figures": "figure"}[kind]
        for pk, fields in new[kind].items():
            before = old[kind].get(pk)
            if before is None:
                where = label(fields)
                if kind == "items":
                    where = gettext("%(item)s in “%(section)s”") % {
                        "item": where,
                        "section": section_title(new, _value(fields, "section")),
                    }
                shown = [(lbl, word_diff("", _text(fields, n))) for n, lbl in names]
                changes.append(Change(noun, "added", where, [c for c in shown if c[1]]))
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
                                gettext("Section"),
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
                changes.append(
                    Change(
                        noun,
                        "moved",
                        gettext("%(what)s: order changed") % {"what": label(fields)},
                    )
                )
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
