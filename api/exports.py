"""Downloads for researchers: every published mention of a person or organization, and the
social-media figures as `/metrics/` filters them, as CSV or JSON. Each is one file of every
row (no pages), built from the API's own querysets, cached like the pages."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseBadRequest

from api import data, serializers
from api.http import html_safe_json, open_data
from digests.models import public_entities
from people.models import Organization, Person

MENTION_COLUMNS = ["digest", "digest_url", "date", "section", "item_url", "occurrences", "sentence"]
FIGURE_COLUMNS = [
    "platform", "views", "topic", "post_url", "period_start", "period_end", "whole_year",
    "digest", "digest_url", "date", "item_url", "people", "organizations",
]  # fmt: skip
# A spreadsheet would run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _download(rows: list[dict], columns: list[str], name: str, fmt: str) -> HttpResponse:
    if fmt == "json":
        body = html_safe_json(json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row[column]) for column in columns])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _mention_row(mention, urls) -> dict:
    row = serializers.mention(mention, urls)
    return {
        "digest": row["digest"]["title"],
        "digest_url": row["digest"]["url"],
        "date": row["digest"]["date"],
        "section": row["section"],
        "item_url": row["item_url"],
        "occurrences": row["occurrences"],
        "sentence": row["sentence"],
    }


@open_data
def entity_mentions(request, kind: str, slug: str, fmt: str):
    """Every published mention of one public person or organization, newest digest first:
    digest, date, section, item address, occurrences and the sentence."""
    model = Person if kind == "person" else Organization
    entity = public_entities(model.objects).filter(slug=slug).first()
    if entity is None:
        raise Http404("No such person or organization.")
    mentions = (
        data.mentions()
        .filter(**{kind: entity})
        .select_related("person", "organization", "item__section__digest")
        .order_by(*data.MENTION_ORDER.fields)
    )
    urls = serializers.Addresses(request)
    rows = [_mention_row(m, urls) for m in mentions]
    return _download(rows, MENTION_COLUMNS, f"{entity.slug}-mentions", fmt)


def _figure_row(figure, urls) -> dict:
    row = serializers.figure(figure, urls)
    return {
        **{key: row[key] for key in FIGURE_COLUMNS if key in row},
        "digest": row["digest"]["title"],
        "digest_url": row["digest"]["url"],
        "date": row["digest"]["date"],
        "people": "; ".join(p["name"] for p in row["people"]),
        "organizations": "; ".join(o["name"] for o in row["organizations"]),
    }


@open_data
def figures(request, fmt: str):
    """The figures `/metrics/` counts for the same `person` and `organization`, every one,
    newest period first."""
    chosen = {}
    for kind, model in (("person", Person), ("organization", Organization)):
        slug = request.GET.get(kind)
        if slug:
            chosen[kind] = public_entities(model.objects).filter(slug=slug).first()
            if chosen[kind] is None:
                return HttpResponseBadRequest(
                    f"No published {kind} has the address “{slug}”.",
                    content_type="text/plain; charset=utf-8",
                )
    rows = data.figures_as_on_metrics(**chosen).order_by(*data.FIGURE_ORDER.fields)
    urls = serializers.Addresses(request)
    name = "-".join(["figures", *(entity.slug for entity in chosen.values())])
    return _download([_figure_row(f, urls) for f in rows], FIGURE_COLUMNS, name, fmt)
