"""The linker measured on a corpus of digests with every mention marked (issue 15), from a
registry of canonical names only: at least 75 % of mentions linked, no false or nested link;
and after staff accept the "Names to review" queue's correct suggestions, at least 95 %, with
at least 90 % of the queue's suggestions naming the right entity."""

from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks.mentions import REGISTRY, Score, load_corpus, load_registry, measure_pure
from digests.models import Digest, Item, Section
from digests.review_names import names_to_review
from people.models import Alias, Organization, Person
from people.spelling import plain_name

pytestmark = pytest.mark.django_db


def test_linker_alone_links_most_mentions_and_none_falsely():
    """Readers would meet unlinked names, or names linked to the wrong page."""
    score = measure_pure()
    assert score.expected >= 300
    print(score.report())
    assert score.false_links == [] and score.nested == 0, score.report()
    assert score.recall >= 0.75, score.report()


def save_corpus(corpus) -> list[Digest]:
    """The corpus's digests saved item by item, as staff or the importer save them."""
    digests = []
    for number, data in enumerate(corpus):
        digest = Digest.objects.create(
            title=f"News digest {number}", date=f"2025-12-{number + 1:02d}", lead=data["lead"]
        )
        for s, section_data in enumerate(data["sections"]):
            section = Section.objects.create(digest=digest, title=section_data["title"], order=s)
            for i, item_data in enumerate(section_data["items"]):
                Item.objects.create(
                    section=section, order=i, body=item_data["body"], caption=item_data["caption"]
                )
        digests.append(digest)
    return digests


def score_saved(digests, corpus) -> Score:
    """What the digest pages show, scored against the marked mentions."""
    canonical = {row["slug"]: row["name"] for row in load_registry()}
    score = Score()
    for digest, data in zip(digests, corpus, strict=True):
        digest.refresh_from_db()
        score.add(digest.lead_html, data["lead_mentions"], canonical)
        items = Item.objects.filter(section__digest=digest).order_by("section__order", "order")
        flat = [i for section_data in data["sections"] for i in section_data["items"]]
        for item, item_data in zip(items, flat, strict=True):
            score.add(item.caption_html, item_data["caption_mentions"], canonical)
            score.add(item.body_html, item_data["body_mentions"], canonical)
    return score


def test_saved_digests_link_most_mentions_and_none_falsely():
    """The same through the database: registry imported from CSV, digests saved item by item
    as staff or the importer save them; what the digest page shows is scored."""
    call_command("import_entities", str(REGISTRY), stdout=StringIO())
    corpus = load_corpus()[:6]
    score = score_saved(save_corpus(corpus), corpus)
    print(score.report())
    assert score.false_links == [] and score.nested == 0, score.report()
    assert score.recall >= 0.75, score.report()


def marked_forms(corpus) -> dict[str, set[str]]:
    """Every way the corpus writes each entity: plain form of the text -> slugs it names."""
    forms: dict[str, set[str]] = {}
    for data in corpus:
        mentions = list(data["lead_mentions"])
        for section in data["sections"]:
            for item in section["items"]:
                mentions += item["caption_mentions"] + item["body_mentions"]
        for slug, surface, _, _ in mentions:
            forms.setdefault(plain_name(surface), set()).add(slug)
    return forms


def test_accepting_the_queues_right_suggestions_links_nearly_every_mention():
    """Staff start from canonical names, open "Names to review" and accept each suggestion
    that names the right entity (adding the name as another name of it, which relinks the
    items at once). The queue's suggestions must be right nine times in ten, and accepting
    the right ones must leave almost no mention unlinked — and none linked falsely."""
    call_command("import_entities", str(REGISTRY), stdout=StringIO())
    corpus = load_corpus()
    digests = save_corpus(corpus)
    forms = marked_forms(corpus)

    suggested = [c for c in names_to_review() if c.suggested]
    right = [c for c in suggested if forms.get(plain_name(c.text)) == {c.suggested.slug}]
    wrong = [f"{c.text} → {c.suggested.slug}" for c in suggested if c not in right]
    precision = len(right) / len(suggested)
    print(f"suggestions {len(suggested)}, right {len(right)} ({precision:.1%}); wrong: {wrong}")

    models = {"person": Person, "organization": Organization}
    for candidate in right:
        entity = models[candidate.suggested.kind].objects.get(slug=candidate.suggested.slug)
        alias = Alias(text=candidate.text, **{candidate.suggested.kind: entity})
        alias.full_clean(exclude=["normalized"])
        alias.save()

    score = score_saved(digests, corpus)
    print(score.report())
    assert precision >= 0.90, wrong
    assert score.false_links == [] and score.nested == 0, score.report()
    assert score.recall >= 0.95, score.report()
