"""Mentions in the database and on pages: linking at save, relinking on registry changes,
staff choices, entity pages."""

import datetime
import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from digests.models import Digest, Item, Mention, Status
from people.models import Alias, normalize_name
from tests.factories import make_digest, make_item, make_organization, make_person, make_section

pytestmark = pytest.mark.django_db

FUTURE = timezone.now() + datetime.timedelta(days=1)


def item_with(body, *, digest=None, **fields):
    return make_item(make_section(digest or make_digest()), body=body, **fields)


def link(text, slug, kind="people"):
    return f'<a class="mention" href="/{kind}/{slug}/">{text}</a>'


def test_names_are_linked_and_recorded_at_save():
    """Each name in a saved item links to its page and the item is listed as a mention."""
    person = make_person("Pavel Latushka")
    item = item_with("<p>Pavel Latushka met the press. Later Pavel Latushka left.</p>")
    assert item.body_html.count(link("Pavel Latushka", "pavel-latushka")) == 2
    mention = Mention.objects.get(item=item)
    assert (mention.person, mention.source, mention.occurrences) == (
        person,
        Mention.Source.AUTOMATIC,
        2,
    )
    assert mention.snippet == "Pavel Latushka met the press."


def test_nbsp_inside_a_name_and_possessive():
    """A name written with a non-breaking space, or as a possessive, still links the name."""
    make_person("Pavel Latushka")
    make_person("Alexander Lukashenko").aliases.create(text="Lukashenka")
    item = item_with("<p>Pavel\u00a0Latushka spoke of Lukashenka’s prisons.</p>")
    assert 'href="/people/pavel-latushka/">Pavel&nbsp;Latushka</a>' in item.body_html
    assert link("Lukashenka", "alexander-lukashenko") + "’s prisons" in item.body_html


def test_titles_are_linked_where_shown():
    """Names in section and item titles link too; the stored plain title is unchanged."""
    make_person("Alexander Lukashenko").aliases.create(text="Lukashenko")
    section = make_section(make_digest(), title="Lukashenko’s statements")
    item = make_item(section, title="What Lukashenko said", body="<p>Text.</p>")
    section.refresh_from_db()  # linked once an item of the digest names him
    assert section.title_html == link("Lukashenko", "alexander-lukashenko") + "’s statements"
    assert item.title_html == "What " + link("Lukashenko", "alexander-lukashenko") + " said"
    assert Mention.objects.get(item=item).occurrences == 1


def test_new_alias_relinks_exactly_the_items_that_contain_it(monkeypatch):
    """Adding a spelling links it in every existing item that uses it, and touches no other."""
    person = make_person("Alexander Lukashenko")
    with_name = item_with("<p>The Lukashenka regime.</p>")
    without = item_with("<p>Nothing relevant here.</p>")
    relinked = []
    from digests import relinking

    original = relinking.relink_items

    def spy(items, **kwargs):
        relinked.extend(items.values_list("pk", flat=True))
        return original(items, **kwargs)

    monkeypatch.setattr(relinking, "relink_items", spy)
    Alias.objects.create(text="Lukashenka", person=person)
    assert relinked == [with_name.pk]
    with_name.refresh_from_db()
    without.refresh_from_db()
    assert link("Lukashenka", "alexander-lukashenko") in with_name.body_html
    assert without.body_html == "<p>Nothing relevant here.</p>"


def test_new_person_links_existing_items():
    """Creating a person links their name in items written before they were registered."""
    item = item_with("<p>Maria Kalesnikava was freed.</p>")
    make_person("Maria Kalesnikava")
    item.refresh_from_db()
    assert link("Maria Kalesnikava", "maria-kalesnikava") in item.body_html
    assert item.mentions.count() == 1


def test_rename_relinks_old_and_new_spelling():
    """Renaming a person links the new spelling, and what was written under the old name
    stays linked: the old name is kept as another name (as the CSV import does)."""
    person = make_person("Maria Kolesnikova")
    old = item_with("<p>Maria Kolesnikova spoke.</p>")
    new = item_with("<p>Maria Kalesnikava spoke.</p>")
    person.name = "Maria Kalesnikava"
    person.save()
    old.refresh_from_db()
    new.refresh_from_db()
    assert link("Maria Kolesnikova", "maria-kolesnikova") in old.body_html
    assert link("Maria Kalesnikava", "maria-kolesnikova") in new.body_html
    assert person.other_names == ["Maria Kolesnikova"]


def test_slug_change_updates_links():
    """Changing a person's page address updates the links in every item naming them."""
    person = make_person("Ales Bialiatski")
    item = item_with("<p>Ales Bialiatski is free.</p>")
    person.slug = "bialiatski"
    person.save()
    item.refresh_from_db()
    assert link("Ales Bialiatski", "bialiatski") in item.body_html


def test_deleting_a_person_removes_their_links():
    """After a person is deleted no item links to their (now missing) page."""
    person = make_person("Viktar Babaryka")
    item = item_with("<p>Viktar Babaryka is free.</p>")
    person.delete()
    item.refresh_from_db()
    assert item.body_html == "<p>Viktar Babaryka is free.</p>"


def test_sensitive_person_never_linked():
    """A person at risk is never linked automatically, and existing links are removed."""
    person = make_person("Hidden Source")
    item = item_with("<p>Hidden Source spoke.</p>")
    person.sensitive = True
    person.save()
    item.refresh_from_db()
    assert "mention" not in item.body_html
    assert not item.mentions.exists()
    assert "mention" not in item_with("<p>Hidden Source again.</p>").body_html


def test_suppressed_mention_stays_suppressed_after_relink():
    """A wrong match staff suppressed is not linked again by any relink."""
    organization = make_organization("Council of Europe")
    item = item_with("<p>The Council of Europe met.</p>")
    mention = item.mentions.get()
    mention.source = Mention.Source.SUPPRESSED
    mention.save()
    item.save()
    call_command("relink_mentions", stdout=StringIO())
    Alias.objects.create(text="CoE", organization=organization)
    item.refresh_from_db()
    assert "mention" not in item.body_html
    assert item.mentions.get().source == Mention.Source.SUPPRESSED


def test_staff_added_mention_kept_by_relink(client):
    """A person staff say an item is about stays listed although the text does not name them."""
    person = make_person("Sviatlana Tsikhanouskaya")
    item = item_with("<p>The leader of democratic Belarus spoke.</p>")
    Mention.objects.create(item=item, person=person, source=Mention.Source.STAFF)
    call_command("relink_mentions", stdout=StringIO())
    assert item.mentions.get().source == Mention.Source.STAFF
    assert item.get_absolute_url() in client.get(person.get_absolute_url()).content.decode()


def test_relink_command_reports_progress(capsys):
    """relink_mentions shows progress and a summary."""
    item_with("<p>Pavel Latushka spoke.</p>")
    make_person("Pavel Latushka")
    call_command("relink_mentions")
    out = capsys.readouterr().out
    assert "1/1 items" in out and "Relinked:" in out


# Entity pages


def test_person_page_lists_published_mentions_newest_first(client):
    """A person's page lists every published item naming them, newest digest first."""
    person = make_person("Pavel Latushka")
    old = make_digest(title="Old digest", date=datetime.date(2025, 1, 1))
    new = make_digest(title="New digest", date=datetime.date(2025, 6, 1))
    draft = make_digest(title="Draft digest", status=Status.DRAFT)
    item_with("<p>Pavel Latushka in January.</p>", digest=old)
    june = item_with("<p>Pavel Latushka in June.</p>", digest=new)
    item_with("<p>Pavel Latushka in a draft.</p>", digest=draft)
    html = client.get(person.get_absolute_url()).content.decode()
    assert html.index("New digest") < html.index("Old digest")
    # Each mention links its item, named by its section, with the sentence that names them.
    link = f'<a href="{new.get_absolute_url()}#{june.anchor}">{june.section.title}</a>'
    assert f"{link}: <q>Pavel Latushka in June.</q>" in html
    assert "Draft digest" not in html and "in a draft" not in html
    assert "Named in 2 published items" in html


def test_entity_named_only_in_drafts_is_404(client):
    """Someone named only in unpublished digests has no public page yet."""
    person = make_person("Not Yet Public")
    organization = make_organization("Secret Org")
    item_with("<p>Not Yet Public and Secret Org.</p>", digest=make_digest(status=Status.DRAFT))
    item_with("<p>Not Yet Public and Secret Org.</p>", digest=make_digest(publish_at=FUTURE))
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(organization.get_absolute_url()).status_code == 404
    assert b"Not Yet Public" not in client.get("/people/").content
    person.public_profile = True
    person.save()
    assert client.get(person.get_absolute_url()).status_code == 200


def test_entity_pages_count_published_items(client):
    """A person's and an organization's pages say how many published items name them."""
    person = make_person("Pavel Latushka")
    organization = make_organization("National Anti-Crisis Management")
    for _ in range(3):
        item_with("<p>Pavel Latushka of the National Anti-Crisis Management.</p>")
    item_with("<p>Pavel Latushka in a draft.</p>", digest=make_digest(status=Status.DRAFT))
    assert "Pavel Latushka</a>" in client.get("/people/").content.decode()
    for entity in (person, organization):
        page = client.get(entity.get_absolute_url()).content.decode()
        assert "Named in 3 published items" in page


def _often_named_with(client, url):
    """The "Often named with" list of a page as a reader sees it: (name, address, items)."""
    html = client.get(url).content.decode()
    if 'id="co-title"' not in html:
        return []
    listed = html.split('id="co-title"', 1)[1].split("</ul>", 1)[0]
    return [
        (name, href, int(count))
        for href, name, count in re.findall(
            r'<a href="([^"]+)">([^<]+)</a> <span class="meta">\((\d+)[^)]*\)', listed
        )
    ]


def test_often_named_with(client):
    """A page lists who is most often named in the same items, most first, each linked."""
    person = make_person("Pavel Latushka")
    organization = make_organization("National Anti-Crisis Management")
    kalesnikava = make_person("Maria Kalesnikava")
    item_with("<p>Pavel Latushka and the National Anti-Crisis Management.</p>")
    item_with("<p>Pavel Latushka and the National Anti-Crisis Management again.</p>")
    item_with("<p>Pavel Latushka and Maria Kalesnikava.</p>")
    assert _often_named_with(client, person.get_absolute_url()) == [
        ("National Anti-Crisis Management", organization.get_absolute_url(), 2),
        ("Maria Kalesnikava", kalesnikava.get_absolute_url(), 1),
    ]


def test_often_named_with_ties_in_alphabetical_order(client):
    """Named as often: people and organizations together, A–Z."""
    person = make_person("Pavel Latushka")
    for name in ("Viasna", "Yury Zuev", "Andrei Aliaksandrau"):
        (make_person if " " in name else make_organization)(name)
    item_with("<p>Pavel Latushka, Viasna, Yury Zuev and Andrei Aliaksandrau.</p>")
    assert [name for name, _, _ in _often_named_with(client, person.get_absolute_url())] == [
        "Andrei Aliaksandrau",
        "Viasna",
        "Yury Zuev",
    ]


def test_often_named_with_ties_at_the_boundary_are_chosen_a_to_z(client):
    """Twelve people named once each beside Pavel Latushka, registered Z to A: the ten shown
    are the first ten A–Z, not the ten the database meets first."""
    person = make_person("Pavel Latushka")
    for letter in reversed("ABCDEFGHIJKL"):
        make_person(f"Person {letter}ovich")
    item_with(
        "<p>Pavel Latushka with "
        + ", ".join(f"Person {letter}ovich" for letter in "ABCDEFGHIJKL")
        + ".</p>"
    )
    assert [name for name, _, _ in _often_named_with(client, person.get_absolute_url())] == [
        f"Person {letter}ovich" for letter in "ABCDEFGHIJ"
    ]


def test_often_named_with_shows_no_sensitive_person_and_no_suppressed_mention(client):
    """A sensitive person is never listed, however often named with someone; a mention staff
    suppressed or one in a draft does not count."""
    person = make_person("Pavel Latushka")
    make_person("Ihar Losik", sensitive=True)
    organization = make_organization("Viasna")
    item_with("<p>Pavel Latushka with Ihar Losik and Viasna.</p>")
    item_with("<p>Pavel Latushka with Ihar Losik.</p>")
    suppressed = item_with("<p>Pavel Latushka and Viasna again.</p>")
    Mention.objects.filter(item=suppressed, organization=organization).update(
        source=Mention.Source.SUPPRESSED
    )
    item_with("<p>Pavel Latushka and Viasna.</p>", digest=make_digest(status=Status.DRAFT))
    assert _often_named_with(client, person.get_absolute_url()) == [
        ("Viasna", organization.get_absolute_url(), 1)
    ]


def test_often_named_with_in_the_page_language(client):
    person = make_person("Pavel Latushka")
    kalesnikava = make_person("Maria Kalesnikava")
    kalesnikava.name_be = "Марыя Калеснікава"
    kalesnikava.save()
    item_with("<p>Pavel Latushka and Maria Kalesnikava.</p>")
    url = person.get_absolute_url()
    assert [name for name, _, _ in _often_named_with(client, f"/be{url}")] == ["Марыя Калеснікава"]
    assert [name for name, _, _ in _often_named_with(client, f"/ru{url}")] == ["Maria Kalesnikava"]


@pytest.mark.parametrize("n", [1, 200])
def test_entity_page_query_count(client, django_assert_num_queries, n):
    """Person and organization pages cost the same queries with 1 or 200 mentions."""
    person = make_person("Pavel Latushka")
    organization = make_organization("National Anti-Crisis Management")
    digest = make_digest()
    section = make_section(digest)
    Item.objects.bulk_create(
        Item(section=section, order=i, body="<p>Pavel Latushka, NAM.</p>") for i in range(n)
    )
    Mention.objects.bulk_create(
        Mention(item=item, person=person, source=Mention.Source.AUTOMATIC, occurrences=1)
        for item in Item.objects.all()
    )
    Mention.objects.bulk_create(
        Mention(item=item, organization=organization, source=Mention.Source.AUTOMATIC)
        for item in Item.objects.all()
    )
    # person, aliases, links, affiliations, mentions per digest (the count, the pages and the
    # items per month come from it), mention page, co-mentioned and their names, metrics
    with django_assert_num_queries(9):
        assert client.get(person.get_absolute_url()).status_code == 200
    # organization, aliases, affiliations, parent and parts, mentions per digest, page,
    # co-mentioned and their names, metrics
    with django_assert_num_queries(9):
        assert client.get(organization.get_absolute_url()).status_code == 200


def test_digest_page_links_names(client):
    """On the public digest page each name in an item is a link to that person's page."""
    make_person("Pavel Latushka")
    digest = make_digest()
    item_with("<p>Pavel Latushka met diplomats.</p>", digest=digest)
    html = client.get(digest.get_absolute_url()).content.decode()
    assert link("Pavel Latushka", "pavel-latushka") in html


def test_admin_item_page_manages_mentions(staff_client):
    """Staff suppress a wrong match on the item's page and the link disappears at once."""
    make_organization("Council of Europe")
    item = item_with("<p>The Council of Europe met.</p>")
    mention = item.mentions.get()
    url = f"/admin/digests/item/{item.pk}/change/"
    page = staff_client.get(url)
    assert "People and organizations named in this item" in page.content.decode()
    data = {
        "section": item.section_id,
        "order": "0",
        "title": "",
        "body": item.body,
        "image_alt": "",
        "caption": "",
        "credit": "",
        "source_url": "",
        "tags": "",
        "mentions-TOTAL_FORMS": "1",
        "mentions-INITIAL_FORMS": "1",
        "mentions-MIN_NUM_FORMS": "0",
        "mentions-MAX_NUM_FORMS": "1000",
        "mentions-0-id": str(mention.pk),
        "mentions-0-item": str(item.pk),
        "mentions-0-organization": str(mention.organization_id),
        "mentions-0-person": "",
        "mentions-0-source": "suppressed",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    item.refresh_from_db()
    assert "mention" not in item.body_html
    assert Digest.objects.count() == 1


# End to end: the sample digest with a registry written for it.

SAMPLE = "tests/fixtures/import/news-digest-2025-12-31.txt"
REGISTRY = "tests/fixtures/registry-sample.csv"
MENTION_LINK = re.compile(r'<a class="mention" href="(/[^"]+)">(.*?)</a>', re.S)


def _registered_names():
    return [(a.text, a.entity.get_absolute_url()) for a in Alias.objects.all()]


def _unlinked_occurrences(html, names):
    """Registered names still present in the text outside mention links."""
    text = unescape(re.sub(r"<[^>]+>", " ", MENTION_LINK.sub(" ", html))).replace("\u00a0", " ")
    found = []
    for name, _url in names:
        flags = 0 if name.isupper() else re.IGNORECASE
        pattern = r"(?<!\w)" + re.escape(name).replace(r"\ ", r"\s+") + r"(?!\w)"
        found += [name for _ in re.finditer(pattern, text, flags)]
    return found


def test_sample_digest_end_to_end(client):
    """With the registry loaded, every registered name in the sample links to its page, no
    other text does, and each person's page lists the items that name them."""
    call_command("import_digest", SAMPLE, "--publish", stdout=StringIO(), stderr=StringIO())
    call_command("import_entities", REGISTRY, stdout=StringIO())
    digest = Digest.objects.get()
    names = _registered_names()
    urls = {url for _, url in names}
    html = client.get(digest.get_absolute_url()).content.decode()

    bodies = "".join(
        item.title_html + item.body_html for item in Item.objects.filter(section__digest=digest)
    ) + "".join(s.title_html for s in digest.sections.all())
    assert _unlinked_occurrences(bodies, names) == []
    links = MENTION_LINK.findall(bodies)
    assert links and all(url in urls for url, _ in links)
    registered = {normalize_name(name) for name, _ in names}
    assert all(normalize_name(unescape(text)) in registered for _, text in links)

    # Longest match wins, possessives link the name only, short forms only where registered.
    assert 'href="/people/alexander-lukashenko/">Alexander Lukashenko</a>' in html
    assert ">Lukashenko</a>’s" in html
    assert "Mr. " + link("Coale", "john-coale") in html
    assert "Mr. Smith" in html and "/people/smith" not in html
    congress = "/organizations/congress-of-local-and-regional-authorities/"
    assert (
        f'href="{congress}">Congress of Local and Regional Authorities of the Council of Europe</a>'
        in html
    )
    office = Item.objects.get(body__contains="Office of Sviatlana Tsikhanouskaya")
    assert {m.entity.name for m in office.mentions.all()} >= {
        "Office of Sviatlana Tsikhanouskaya",
        "Sviatlana Tsikhanouskaya",
    }
    assert 'href="/people/sviatlana-tsikhanouskaya/"' not in office.body_html

    # The people and organization pages list the items that name them.
    page = client.get("/people/pavel-latushka/").content.decode()
    assert digest.title in page
    latushka_items = Item.objects.filter(mentions__person__slug="pavel-latushka").count()
    assert f"Named in {latushka_items} published items" in page
    assert client.get("/organizations/international-criminal-court/").status_code == 200
    # Figures whose topic names someone are listed on that person's page.
    zelensky = client.get("/people/volodymyr-zelensky/")
    assert "333,000" in zelensky.content.decode()


# Everything a reader reads is linked (issue 15): lead, captions, figure topics; surnames in
# digest context.


def test_lead_is_linked_on_the_digest_page_and_plain_elsewhere(client):
    """The digest's lead links names on its page; lists, feeds and meta tags keep plain text."""
    make_person("Pavel Latushka")
    digest = make_digest(lead="Pavel Latushka on the release.")
    make_item(make_section(digest), body="<p>Pavel Latushka spoke.</p>")
    digest.refresh_from_db()
    assert digest.lead_html == link("Pavel Latushka", "pavel-latushka") + " on the release."
    page = client.get(digest.get_absolute_url()).content.decode()
    assert '<p class="lead">' + link("Pavel Latushka", "pavel-latushka") in page
    assert 'content="Pavel Latushka on the release."' in page
    archive = client.get("/digests/").content.decode()
    assert "Pavel Latushka on the release." in archive and "mention" not in archive


def test_caption_is_linked_and_counts_for_its_item(client):
    """A name in an image caption links on the digest page and counts as a mention of the
    item."""
    person = make_person("Maryia Kalesnikava")
    item = item_with("<p>Photo story.</p>", caption="Maryia Kalesnikava in Berlin")
    assert item.caption_html == link("Maryia Kalesnikava", "maryia-kalesnikava") + " in Berlin"
    assert Mention.objects.get(item=item).person == person


def test_figure_topic_is_linked_in_the_digest_table(client):
    """A figure's topic links the names in it in the digest's table (unless the topic is
    itself the link to the post: links never nest)."""
    from tests.factories import make_metric

    make_person("Pavel Latushka")
    digest = make_digest()
    make_item(make_section(digest), body="<p>Pavel Latushka spoke.</p>")
    metric = make_metric(digest, topic="Pavel Latushka on Christmas")
    with_url = make_metric(digest, topic="Pavel Latushka again", url="https://example.org/p")
    assert metric.topic_html == link("Pavel Latushka", "pavel-latushka") + " on Christmas"
    page = client.get(digest.get_absolute_url()).content.decode()
    assert link("Pavel Latushka", "pavel-latushka") + " on Christmas" in page
    assert f'<a href="{with_url.url}" rel="noopener noreferrer">Pavel Latushka again</a>' in page


def test_new_name_relinks_leads_captions_and_topics():
    """Registering a person links them in existing leads, captions and figure topics."""
    from tests.factories import make_metric

    digest = make_digest(lead="Ales Bialiatski was freed.")
    item = item_with("<p>Story.</p>", digest=digest, caption="Ales Bialiatski at home")
    metric = make_metric(digest, topic="Ales Bialiatski freed")
    make_person("Ales Bialiatski")
    digest.refresh_from_db()
    item.refresh_from_db()
    metric.refresh_from_db()
    expected = link("Ales Bialiatski", "ales-bialiatski")
    assert digest.lead_html.startswith(expected)
    assert item.caption_html.startswith(expected)
    assert metric.topic_html.startswith(expected)
    assert Mention.objects.filter(item=item).count() == 1


def test_surname_links_after_the_full_name_earlier_in_the_digest():
    """ "Latushka" alone links once "Pavel Latushka" has been named earlier in the digest, in
    the same or an earlier item; not before, and not when the earlier item is edited away."""
    make_person("Pavel Latushka")
    digest = make_digest()
    section = make_section(digest)
    first = make_item(section, body="<p>Pavel Latushka met envoys.</p>", order=0)
    second = make_item(section, body="<p>Later Latushka spoke again.</p>", order=1)
    assert link("Latushka", "pavel-latushka") in second.body_html
    assert Mention.objects.get(item=second).occurrences == 1
    first.body = "<p>Envoys met.</p>"
    first.save()
    second.refresh_from_db()
    assert "mention" not in second.body_html
    assert not Mention.objects.filter(item=second).exists()
    first.body = "<p>Pavel Latushka met envoys.</p>"
    first.save()
    second.refresh_from_db()
    assert link("Latushka", "pavel-latushka") in second.body_html


def test_deleting_the_item_with_the_full_name_unlinks_the_surname_below(
    django_capture_on_commit_callbacks,
):
    """The surname alone stays linked only while the full name is still in the digest: when
    the item (or the whole section) naming “Pavel Latushka” is deleted, “Latushka” below is
    plain text again."""
    make_person("Pavel Latushka")
    digest = make_digest()
    first_section, second_section = make_section(digest, order=0), make_section(digest, order=1)
    first = make_item(first_section, body="<p>Pavel Latushka met envoys.</p>", order=0)
    second = make_item(second_section, body="<p>Later Latushka spoke again.</p>", order=0)
    assert link("Latushka", "pavel-latushka") in second.body_html
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    second.refresh_from_db()
    assert "mention" not in second.body_html
    assert not Mention.objects.filter(item=second).exists()

    again = make_item(first_section, body="<p>Pavel Latushka met envoys.</p>", order=0)
    second.refresh_from_db()
    assert again.pk and link("Latushka", "pavel-latushka") in second.body_html
    with django_capture_on_commit_callbacks(execute=True):
        first_section.delete()
    second.refresh_from_db()
    assert "mention" not in second.body_html


def test_surname_shared_by_two_people_named_in_the_digest_is_not_linked():
    """Two people of one surname named in a digest: the surname alone links to neither."""
    make_person("Ivan Kalesnik")
    make_person("Maryia Kalesnik")
    digest = make_digest(lead="Ivan Kalesnik and Maryia Kalesnik were freed.")
    item = item_with("<p>Kalesnik thanked everyone.</p>", digest=digest)
    item.refresh_from_db()
    assert "mention" not in item.body_html


def test_lead_names_count_for_surnames_in_items():
    """A full name in the lead makes the surname link in the items below it."""
    make_person("Pavel Latushka")
    digest = make_digest(lead="Pavel Latushka in Vilnius.")
    item = item_with("<p>Then Latushka left.</p>", digest=digest)
    item.refresh_from_db()
    assert link("Latushka", "pavel-latushka") in item.body_html


def test_relink_command_covers_leads_and_surnames():
    """`relink_mentions` relinks leads, captions, topics and surname links too."""
    from digests.models import Digest as DigestModel

    digest = make_digest(lead="Pavel Latushka in Vilnius.")
    item = item_with("<p>Then Latushka left.</p>", digest=digest)
    make_person("Pavel Latushka")
    DigestModel.objects.filter(pk=digest.pk).update(lead_html="stale")
    Item.objects.filter(pk=item.pk).update(body_html="stale")
    call_command("relink_mentions", stdout=StringIO())
    digest.refresh_from_db()
    item.refresh_from_db()
    assert digest.lead_html.startswith(link("Pavel Latushka", "pavel-latushka"))
    assert link("Latushka", "pavel-latushka") in item.body_html


def test_romanisation_links_to_the_one_registered_name():
    """ "Maria Kolesnikova" links to Maryia Kalesnikava (the one name with that key), and
    "Kolesnikova" after it too."""
    make_person("Maryia Kalesnikava")
    item = item_with("<p>Maria Kolesnikova was freed. Kolesnikova smiled.</p>")
    assert item.body_html.count('href="/people/maryia-kalesnikava/"') == 2


@pytest.mark.parametrize("n", [1, 10])
def test_relinking_a_digest_costs_the_same_with_1_or_10_items(django_assert_num_queries, n):
    """Saving an item relinks its digest in a fixed number of queries when nothing else
    changes, however many items the digest has."""
    from digests.relinking import relink_digest

    make_person("Pavel Latushka")
    digest = make_digest(lead="Pavel Latushka in Vilnius.")
    section = make_section(digest)
    for i in range(n):
        make_item(section, body="<p>Then Latushka left.</p>", order=i)
    # Registry version + 11 reads (texts, items, titles, suppressed mentions, the digest's
    # mentions and public profiles for its headings, figures), no writes.
    with django_assert_num_queries(12):
        assert relink_digest(digest) == 0


def test_mentions_carry_their_items_digest():
    """Each mention carries its item's digest (entity pages read it), also after the item
    moves to another digest's section, its section to another digest, or a bulk insert."""
    person = make_person("Pavel Latushka")
    first, second = make_digest(), make_digest()
    item = item_with("<p>Pavel Latushka met diplomats.</p>", digest=first)
    assert Mention.objects.get(item=item).digest == first
    item = Item.objects.get(pk=item.pk)
    item.section = make_section(second)
    item.save()
    assert Mention.objects.get(item=item).digest == second
    section = item.section.__class__.objects.get(pk=item.section_id)
    section.digest = first
    section.save()
    assert Mention.objects.get(item=item).digest == first
    Mention.objects.all().delete()
    Mention.objects.bulk_create([Mention(item=item, person=person)])
    assert Mention.objects.get(item=item).digest == first
    assert first.title in Client().get(person.get_absolute_url()).content.decode()
