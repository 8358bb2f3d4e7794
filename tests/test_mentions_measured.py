"""The linker measured on a corpus of digests with every mention marked (issue 15), from a
registry of canonical names only: at least 75 % of mentions linked, no false or nested link."""

from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks.mentions import REGISTRY, Score, load_corpus, load_registry, measure_pure
from digests.models import Digest, Item, Section

pytestmark = pytest.mark.django_db


def test_linker_alone_links_most_mentions_and_none_falsely():
    """Readers would meet unlinked names, or names linked to the wrong page."""
    score = measure_pure()
    assert score.expected >= 300
    print(score.report())
    assert score.false_links == [] and score.nested == 0, score.report()
    assert score.recall >= 0.75, score.report()


def test_saved_digests_link_most_mentions_and_none_falsely():
    """The same through the database: registry imported from CSV, digests saved item by item
    as staff or the importer save them; what the digest page shows is scored."""
    call_command("import_entities", str(REGISTRY), stdout=StringIO())
    canonical = {row["slug"]: row["name"] for row in load_registry()}
    score = Score()
    for number, data in enumerate(load_corpus()[:6]):
        digest = Digest.objects.create(
            title=f"News digest {number}", date=f"2025-12-{number + 1:02d}", lead=data["lead"]
        )
        for s, section_data in enumerate(data["sections"]):
            section = Section.objects.create(digest=digest, title=section_data["title"], order=s)
            for i, item_data in enumerate(section_data["items"]):
                Item.objects.create(
                    section=section, order=i, body=item_data["body"], caption=item_data["caption"]
                )
        digest.refresh_from_db()
        score.add(digest.lead_html, data["lead_mentions"], canonical)
        items = Item.objects.filter(section__digest=digest).order_by("section__order", "order")
        flat = [i for section_data in data["sections"] for i in section_data["items"]]
        for item, item_data in zip(items, flat, strict=True):
            score.add(item.caption_html, item_data["caption_mentions"], canonical)
            score.add(item.body_html, item_data["body_mentions"], canonical)
    print(score.report())
    assert score.false_links == [] and score.nested == 0, score.report()
    assert score.recall >= 0.75, score.report()
