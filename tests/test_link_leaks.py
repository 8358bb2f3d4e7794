"""Links that tell readers what the newsroom has not published: a sensitive person's
registration changing public links, and links to pages readers cannot open."""

import re

import pytest
from django.core.cache import cache

from digests.models import SocialMetric
from digestsite.cache import forget_counters
from tests.factories import make_digest, make_item, make_person, make_section
from tests.public_urls import sample_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return sample_site()


def fresh():
    """Forget every cached page (as if the cache entry had expired)."""
    cache.clear()
    forget_counters()


def test_registering_a_sensitive_namesake_changes_no_public_link(client):
    """A sensitive person must not be findable: registering one must leave every public
    answer as it was. The surname rule (a surname alone links after the full name, unless
    another person named in the digest shares it) must not count the sensitive person as
    registered, or the links in a published item that never names them change, and a reader
    learns that a "Maria Ivanov" is in the newsroom's registry."""
    make_person("Petr Ivanov")
    digest = make_digest(title="Digest with namesakes")
    section = make_section(digest)
    first = make_item(section, body="<p>Petr Ivanov spoke.</p><p>Later Maria Ivanov spoke too.</p>")
    second = make_item(section, body="<p>Ivanov said more.</p>")
    before = [client.get(f"/api/items/{i.anchor}/").json()["body_html"] for i in (first, second)]
    make_person("Maria Ivanov", sensitive=True)
    fresh()
    after = [client.get(f"/api/items/{i.anchor}/").json()["body_html"] for i in (first, second)]
    # The item that does not name her at all must read exactly as before; so must hers.
    assert after == before
    # And "Ivanov" was never linked to Petr where it may be Maria.
    assert before[1] == "<p>Ivanov said more.</p>"
    assert 'Maria <a class="mention"' not in before[0]


def test_every_link_in_an_api_answer_leads_to_a_public_page(client, site):
    """A person named only in a published digest's lead (or a section title) is linked there,
    but has no public page (only item mentions count): the link is a 404 that still tells
    readers the newsroom's registry knows them, under which address."""
    make_person("Lead Only Person")
    digest = make_digest(title="Lead digest", lead="Lead Only Person visited Vilnius.")
    make_item(make_section(digest, title="Meetings"), body="<p>Nothing else.</p>")
    fresh()
    answer = client.get(f"/api/digests/{digest.slug}/").json()
    html = answer["lead_html"] + "".join(
        i["title_html"] + i["body_html"] for s in answer["sections"] for i in s["items"]
    )
    broken = []
    for kind, slug in re.findall(r'href="/(people|organizations)/([-\w]+)/"', html):
        if client.get(f"/api/{kind}/{slug}/").status_code != 200:
            broken.append(f"/{kind}/{slug}/")
    assert broken == []


# Leads, section titles and figure topics link only entities readers can open: named in the
# digest's items (a mention not suppressed) or with a public profile.

LEAD_LINK = '<a class="mention" href="/people/lead-only-person/">Lead Only Person</a>'


def headings(digest):
    """The digest's lead, section titles and figure topics as stored."""
    digest.refresh_from_db()
    return (
        digest.lead_html
        + "".join(digest.sections.values_list("title_html", flat=True))
        + "".join(SocialMetric.objects.filter(digest=digest).values_list("topic_html", flat=True))
    )


@pytest.fixture
def lead_only():
    from tests.factories import make_metric

    person = make_person("Lead Only Person")
    digest = make_digest(title="Lead digest", lead="Lead Only Person visited Vilnius.")
    section = make_section(digest, title="Lead Only Person in Vilnius")
    item = make_item(section, body="<p>Nothing else.</p>")
    make_metric(digest, topic="Lead Only Person on the trip")
    return person, digest, item


def test_a_name_only_in_the_headings_is_not_linked(lead_only):
    _, digest, _ = lead_only
    assert "mention" not in headings(digest)
    assert "Lead Only Person visited Vilnius." in headings(digest)


def test_headings_link_once_an_item_names_them_and_not_after(
    lead_only, django_capture_on_commit_callbacks
):
    """An item naming the person makes every heading link them; edited away, or deleted,
    the links go."""
    _, digest, item = lead_only
    item.body = "<p>Lead Only Person spoke.</p>"
    item.save()
    assert headings(digest).count(LEAD_LINK) == 3
    item.body = "<p>Nothing else.</p>"
    item.save()
    assert "mention" not in headings(digest)
    other = make_item(item.section, body="<p>Lead Only Person again.</p>")
    assert headings(digest).count(LEAD_LINK) == 3
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert "mention" not in headings(digest)


def test_staff_mentions_decide_too(lead_only):
    """A mention staff add links the headings; suppressing the only one unlinks them."""
    from digests.models import Mention

    person, digest, item = lead_only
    mention = Mention.objects.create(item=item, person=person, source=Mention.Source.STAFF)
    assert headings(digest).count(LEAD_LINK) == 3
    mention.source = Mention.Source.SUPPRESSED
    mention.save()
    assert "mention" not in headings(digest)
    mention.delete()
    item.body = "<p>Lead Only Person spoke.</p>"
    item.save()
    assert headings(digest).count(LEAD_LINK) == 3
    Mention.objects.filter(item=item).update(source=Mention.Source.SUPPRESSED)
    Mention.objects.get(item=item).save()  # as the item's admin page saves it
    assert "mention" not in headings(digest)


def test_public_profile_links_the_headings_while_it_lasts(lead_only):
    person, digest, _ = lead_only
    person.public_profile = True
    person.save()
    assert headings(digest).count(LEAD_LINK) == 3
    person.public_profile = False
    person.save()
    assert "mention" not in headings(digest)


def test_registry_change_that_unnames_the_item_unlinks_the_headings():
    """The item named the person only by an alias; the alias goes, and with it the item's
    mention: the lead that names the person in full no longer links them."""
    from people.models import Alias

    person = make_person("Lead Only Person")
    Alias.objects.create(text="Spadar Leadonly", person=person)
    digest = make_digest(lead="Lead Only Person visited Vilnius.")
    make_item(make_section(digest), body="<p>Spadar Leadonly spoke.</p>")
    assert LEAD_LINK in headings(digest)
    Alias.objects.get(text="Spadar Leadonly").delete()
    assert "mention" not in headings(digest)


def test_every_link_on_a_published_digest_page_answers(client, site, lead_only):
    """For every link on published digest pages (the sample, and one naming people only in
    its headings), in English and the other languages, the target answers 200."""
    _, digest, _ = lead_only
    make_person("Headline Person")
    headline = make_digest(title="Headlines", lead="Headline Person and Pavel Latushka.")
    make_item(make_section(headline, title="Headline Person"), body="<p>Pavel Latushka.</p>")
    fresh()
    pages = [site["digest"], digest, headline]
    checked, broken = set(), []
    for page in pages:
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200
        for href in re.findall(r'href="(/[^"#?]*)', response.content.decode()):
            if href in checked or href.startswith(("/static/", "/media/")):
                continue
            checked.add(href)
            if client.get(href).status_code != 200:
                broken.append(href)
    assert "/people/pavel-latushka/" in checked
    assert broken == []
