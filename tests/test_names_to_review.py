"""The "Names to review" queue: `suggest_entities` and the admin page (people › Names to review)."""

import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from digests.models import Item, Status
from people.models import Alias, IgnoredName, Person
from tests.factories import make_digest, make_item, make_organization, make_person, make_section

pytestmark = pytest.mark.django_db

URL = "/admin/people/nametoreview/"


def suggest(*args):
    out = io.StringIO()
    call_command("suggest_entities", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def by_text(rows):
    return {row["text"]: row for row in rows}


def digest_with(*bodies, status=Status.PUBLISHED, **fields):
    digest = make_digest(status=status, **fields)
    section = make_section(digest, title="Crucial meetings and activities")
    items = [make_item(section, body=f"<p>{body}</p>") for body in bodies]
    return digest, items


def test_json_lists_unregistered_names_with_exactly_the_promised_keys():
    """Scripts reading --json would break on a missing or renamed key."""
    make_person("Pavel Latushka")
    digest_with("We met Latushko in Vilnius. The Coordination Council met Latushko.")
    rows = suggest()
    assert all(
        set(row) == {"text", "count", "digests", "example", "kind", "suggested"} for row in rows
    )
    latushko = by_text(rows)["Latushko"]
    assert latushko == {
        "text": "Latushko",
        "count": 2,
        "digests": 1,
        "example": "We met Latushko in Vilnius.",
        "kind": "person",
        "suggested": {"kind": "person", "slug": "pavel-latushka", "name": "Pavel Latushka"},
    }
    assert by_text(rows)["Coordination Council"]["kind"] == "organization"
    assert by_text(rows)["Coordination Council"]["suggested"] is None
    assert [row["text"] for row in rows][-1] == "Vilnius"  # places sink


def test_every_kind_of_text_is_read_drafts_included():
    """Names only in a draft, a lead, a caption or a section title would never be reviewed."""
    digest, (item,) = digest_with(
        "Nothing here.", status=Status.DRAFT, lead="A visit by Kaja Kallas was announced."
    )
    item.caption = "Photo of Ursula von der Leyen with Andrius Kubilius."
    item.save()
    section = make_section(digest, title="Talks with Radosław Sikorski")
    make_item(section, body="<p>Then Radosław Sikorski answered.</p>")
    texts = set(by_text(suggest()))
    assert {"Kaja Kallas", "Andrius Kubilius", "Radosław Sikorski"} <= texts


def test_registered_names_are_left_out_in_every_spelling_they_are_registered_in():
    """Names already in the registry (any alias, case, diacritics, possessive) would be listed."""
    person = make_person("Sviatlana Tsikhanouskaya")
    Alias.objects.create(text="Łukašenka", person=make_person("Alexander Lukashenko"))
    make_organization("Council of Europe")
    digest_with(
        "We read SVIATLANA TSIKHANOUSKAYA and Sviatlana Tsikhanouskaya’s letter to Lukasenka. "
        "The Council of Europe’s delegation met them.",
    )
    assert suggest() == []
    assert person.aliases.count() == 1


def test_suggests_the_entity_a_variant_spelling_belongs_to():
    """Staff would have to search the registry for the person a new spelling names."""
    make_person("Alexander Lukashenko")
    make_person("Pavel Latushka")
    make_organization("National Anti-Crisis Management")
    digest_with("We heard Lukashenka, Latushko and NAM. Talks with Pavel Latushko went on.")
    rows = by_text(suggest())
    assert rows["Lukashenka"]["suggested"]["name"] == "Alexander Lukashenko"
    assert rows["Latushko"]["suggested"]["slug"] == "pavel-latushka"
    assert rows["Pavel Latushko"]["suggested"]["slug"] == "pavel-latushka"
    assert rows["NAM"]["suggested"] == {
        "kind": "organization",
        "slug": "national-anti-crisis-management",
        "name": "National Anti-Crisis Management",
    }


def test_digest_and_min_count_narrow_the_queue():
    """--digest would read the whole archive, --min-count would list one-off names."""
    digest_with("We met Sybiha. Later Sybiha left.", slug="first")
    digest_with("We met Sybiha and Kallas.", slug="second")
    rows = by_text(suggest())
    assert (rows["Sybiha"]["count"], rows["Sybiha"]["digests"]) == (3, 2)
    assert set(by_text(suggest("--digest", "second"))) == {"Sybiha", "Kallas"}
    assert by_text(suggest("--digest", "first"))["Sybiha"]["count"] == 2
    assert set(by_text(suggest("--min-count", "2"))) == {"Sybiha"}
    with pytest.raises(CommandError):
        call_command("suggest_entities", "--digest", "nope", stdout=io.StringIO())


def test_plain_output_lists_names_with_suggestions():
    """The command without --json would print nothing an editor can read."""
    make_person("Pavel Latushka")
    digest_with("We met Latushko.")
    out = io.StringIO()
    call_command("suggest_entities", stdout=out)
    assert "Latushko  → person Pavel Latushka" in out.getvalue()
    assert "1 name(s) to review." in out.getvalue()


def test_ignored_names_are_never_suggested_again():
    """A name staff ignored would come back, in any case or as a possessive."""
    digest_with("We met Sybiha and Kallas. Sybiha’s visit ended.")
    IgnoredName.ignore(["SYBIHA"])
    assert set(by_text(suggest())) == {"Kallas"}


# The admin page


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw-12345678", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_page_lists_names_with_suggestions_and_links(editor_client):
    """Editors would not see the queue, its suggestions or where a name was found."""
    latushka = make_person("Pavel Latushka")
    _, (item,) = digest_with("We met Latushko in Vilnius.")
    response = editor_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Latushko" in html
    assert f'href="/admin/digests/item/{item.pk}/change/"' in html
    assert f'href="/admin/people/person/{latushka.pk}/change/"' in html
    assert f'value="person:{latushka.pk}:Latushko"' in html
    assert 'href="/admin/people/person/add/?name=Latushko"' in html
    assert 'href="/admin/people/organization/add/?name=Latushko"' in html


def test_editor_index_lists_names_to_review(editor_client):
    """Editors would not find the page from the admin home."""
    html = editor_client.get("/admin/").content.decode()
    assert f'href="{URL}"' in html and "Names to review" in html


def test_accepting_a_suggestion_adds_the_alias_and_relinks_the_item(editor_client):
    """The name would stay unlinked in the item after staff accepted the suggestion."""
    latushka = make_person("Pavel Latushka")
    _, (item,) = digest_with("We met Latushko in Vilnius.")
    response = editor_client.post(URL, {"accept": f"person:{latushka.pk}:Latushko"})
    assert response.status_code == 302
    assert Alias.objects.filter(person=latushka, text="Latushko").exists()
    item.refresh_from_db()
    assert f'href="{latushka.get_absolute_url()}">Latushko</a>' in item.body_html
    assert latushka.mentions.filter(item=item).exists()
    assert "Latushko" not in by_text(suggest())


def test_adding_to_a_chosen_entity(editor_client):
    """Staff could not attach a name to an entity the queue did not suggest."""
    org = make_organization("Coordination Council of Belarus")
    _, (item,) = digest_with("The Rada met. Later the Rada voted.")
    page = editor_client.get(f"{URL}alias/?text=Rada")
    assert page.status_code == 200
    assert 'value="Rada"' in page.content.decode()
    response = editor_client.post(f"{URL}alias/", {"text": "Rada", "organization": org.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert org.get_absolute_url() in item.body_html
    both = editor_client.post(
        f"{URL}alias/", {"text": "X Y", "organization": org.pk, "person": make_person().pk}
    )
    assert "Choose one person or one organization." in both.content.decode()


def test_a_name_taken_elsewhere_is_refused_with_a_message(editor_client):
    """Accepting a name another entity has would fail with a server error."""
    latushka = make_person("Pavel Latushka")
    make_organization("Latushko")
    response = editor_client.post(URL, {"accept": f"person:{latushka.pk}:Latushko"}, follow=True)
    assert "already belongs to organization" in response.content.decode()
    assert not Alias.objects.filter(person=latushka, text="Latushko").exists()


def test_ignore_hides_a_name_and_bulk_ignore_hides_several(editor_client):
    """Ignored names would keep coming back to the queue."""
    digest_with("We met Sybiha, Kallas and Kubilius in Vilnius.")
    editor_client.post(URL, {"ignore": "Sybiha"})
    assert "Sybiha" not in by_text(suggest())
    editor_client.post(URL, {"ignore_selected": "1", "names": ["Kallas", "Vilnius"]})
    assert set(by_text(suggest())) == {"Kubilius"}
    assert "Kubilius" in editor_client.get(URL).content.decode()
    assert 'value="Kallas"' not in editor_client.get(URL).content.decode()


def test_create_new_flow_prefills_the_name_and_registers_it(editor_client):
    """ "New person" would open an empty form, or the name would stay in the queue."""
    digest_with("We met Sybiha and Kallas.")
    form = editor_client.get("/admin/people/person/add/?name=Sybiha")
    assert 'value="Sybiha"' in form.content.decode()
    response = editor_client.post(
        "/admin/people/person/add/",
        {
            "name": "Sybiha",
            "slug": "sybiha",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "affiliations-TOTAL_FORMS": "0",
            "affiliations-INITIAL_FORMS": "0",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.filter(name="Sybiha").exists()
    assert set(by_text(suggest())) == {"Kallas"}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    """The queue (draft text included) would be readable without signing in."""
    for response in (client.get(URL), client.post(URL, {"ignore": "X"})):
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert not IgnoredName.objects.exists()


def test_staff_without_alias_permission_are_refused(client, django_user_model):
    """Staff who may not add names would see the queue or act on it."""
    user = django_user_model.objects.create_user("rd", password="pw-12345678", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_person"]))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"ignore": "Sybiha"}).status_code == 403
    assert client.get(f"{URL}alias/?text=X").status_code == 403
    assert "Names to review" not in client.get("/admin/").content.decode()


def test_accepting_needs_permission_to_change_that_entity(client, django_user_model):
    """Staff who may not change a person would add names to them through the queue."""
    latushka = make_person("Pavel Latushka")
    digest_with("We met Latushko.")
    user = django_user_model.objects.create_user("al", password="pw-12345678", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_alias"]))
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Latushko" in html
    assert 'name="accept"' not in html and 'name="ignore"' not in html
    assert "/admin/people/person/add/" not in html
    response = client.post(URL, {"accept": f"person:{latushka.pk}:Latushko"})
    assert response.status_code == 403
    assert client.post(URL, {"ignore": "Latushko"}).status_code == 403
    assert not Alias.objects.filter(text="Latushko").exists()


NAMES = ["Sybiha", "Kallas", "Kubilius", "Sikorski", "Tusk", "Nauseda", "Macron", "Merz"]


def page_with(n_names):
    _, items = digest_with(
        *[f"We met {name} in Vilnius. The Coordination Council met {name}." for name in NAMES]
    )
    make_person("Pavel Latushka")
    for item in items[n_names:]:
        Item.objects.filter(pk=item.pk).update(search_text="Nothing here.")


# session, user, the user's group and own permissions, aliases, ignored names, the latest
# digests, then the leads, section titles and items streams
PAGE_QUERIES = 10


@pytest.mark.parametrize("n_names", [1, len(NAMES)])
def test_page_costs_the_same_queries_with_few_or_many_names(
    editor_client, django_assert_num_queries, n_names
):
    """The queue would cost a query per name or per item, and time out on the archive."""
    page_with(n_names)
    with django_assert_num_queries(PAGE_QUERIES):
        response = editor_client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count('name="ignore" value=') == n_names + 2


def test_the_queue_is_found_once_until_the_content_changes(
    editor_client, django_assert_num_queries
):
    """Paging through the queue would scan the whole archive again on every page, or show
    names already ignored or miss names just written."""
    page_with(len(NAMES))
    editor_client.get(URL)
    with django_assert_num_queries(PAGE_QUERIES - 6):  # no registry, ignored names or text
        assert 'value="Sybiha"' in editor_client.get(URL).content.decode()
    editor_client.post(URL, {"ignore": "Sybiha"})
    assert 'value="Sybiha"' not in editor_client.get(URL).content.decode()
    make_item(Item.objects.first().section, body="<p>We met Hrybau.</p>")
    assert 'value="Hrybau"' in editor_client.get(URL).content.decode()


def test_page_reads_the_latest_digests_unless_asked_for_all(editor_client, monkeypatch):
    """On a large archive the page would time out: it reads the latest digests, and the whole
    archive only when asked."""
    from digests import admin_names

    page_with(len(NAMES))
    monkeypatch.setattr(admin_names, "RECENT_DIGESTS", 0)
    assert 'name="ignore" value=' not in editor_client.get(URL).content.decode()
    assert 'name="ignore" value=' in editor_client.get(URL + "?all=1").content.decode()
