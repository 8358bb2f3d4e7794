import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from digests.models import Digest, Item, Platform, Section, SocialMetric, Status
from people.models import Affiliation, Alias, Organization, Person, normalize_name
from tests.factories import (
    image_upload,
    make_digest,
    make_item,
    make_metric,
    make_organization,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db


def integrity_error(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_published_rule_draft_future_past():
    """Readers would see drafts or scheduled digests before their time if this broke."""
    now = timezone.now()
    past = make_digest(publish_at=now - datetime.timedelta(seconds=1))
    make_digest(publish_at=now + datetime.timedelta(seconds=5))
    make_digest(status=Status.DRAFT)
    assert list(Digest.objects.published(now=now)) == [past]


def test_scheduled_digest_appears_when_its_second_comes():
    """A scheduled digest would need a cron job to appear if publish_at were not checked live."""
    at = timezone.now() + datetime.timedelta(minutes=10)
    digest = make_digest(publish_at=at)
    assert not Digest.objects.published(now=at - datetime.timedelta(seconds=1)).exists()
    assert list(Digest.objects.published(now=at)) == [digest]


def test_items_follow_their_digest_visibility():
    """Items of a draft would leak into item listings if Item.published() ignored the digest."""
    visible = make_item(make_section(make_digest()))
    make_item(make_section(make_digest(status=Status.DRAFT)))
    assert list(Item.objects.published()) == [visible]


def test_publishing_without_time_sets_now():
    """A digest published with an empty time would never become visible otherwise."""
    digest = Digest.objects.create(
        title="T", slug="t", date=datetime.date(2025, 1, 1), status=Status.PUBLISHED
    )
    assert digest.publish_at is not None
    assert digest.publish_at <= timezone.now()


def test_published_digest_without_time_refused_by_database():
    """The database refuses a published digest that has no time of publication."""
    digest = make_digest()
    integrity_error(lambda: Digest.objects.filter(pk=digest.pk).update(publish_at=None))


def test_digest_slug_is_unique():
    """Two digests at one address would make one of them unreachable."""
    make_digest(slug="same")
    integrity_error(lambda: make_digest(slug="same"))


def test_cover_image_requires_alt_in_database():
    """An image without alt text is refused even when a form is bypassed."""
    digest = make_digest()
    integrity_error(lambda: Digest.objects.filter(pk=digest.pk).update(cover_image="x.png"))
    Digest.objects.filter(pk=digest.pk).update(cover_image="x.png", cover_decorative=True)


def test_item_image_requires_alt_in_database():
    """An item image without alt text (and not decorative) is refused by the database."""
    item = make_item(make_section(make_digest()))
    integrity_error(lambda: Item.objects.filter(pk=item.pk).update(image="x.png"))


def test_item_image_alt_error_in_form_validation():
    """Staff see which field to fill when an image has no alt text."""
    item = Item(section=make_section(make_digest()), body="<p>x</p>", image=image_upload())
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "image_alt" in excinfo.value.message_dict


def test_section_anchor_unique_within_digest_and_generated():
    """Two sections with the same title still get distinct anchors for the table of contents."""
    digest = make_digest()
    first = make_section(digest, title="Meetings")
    second = make_section(digest, title="Meetings")
    assert (first.anchor, second.anchor) == ("meetings", "meetings-2")
    integrity_error(lambda: Section.objects.filter(pk=second.pk).update(anchor="meetings"))
    assert make_section(make_digest(), title="Meetings").anchor == "meetings"


def test_section_anchor_never_collides_with_item_anchors():
    """A section titled 'Item 5' must not take the anchor of item 5."""
    section = make_section(make_digest(), title="Item 5")
    assert section.anchor == "s-item-5"


def test_cyrillic_section_gets_readable_anchor():
    """A Belarusian section title gets an anchor in its own script, not an empty one."""
    assert make_section(make_digest(), title="Сустрэчы і падзеі").anchor == "сустрэчы-і-падзеі"


def test_item_body_is_sanitised_on_save():
    """A script typed or pasted into an item never reaches the stored HTML."""
    item = make_item(
        make_section(make_digest()), body='<p onclick="x()">Hi<script>bad()</script></p>'
    )
    assert item.body == "<p>Hi</p>"
    assert item.body_html == "<p>Hi</p>"


def test_metric_views_cannot_be_negative():
    """Negative view counts are refused by the database."""
    metric = make_metric(make_digest())
    integrity_error(lambda: SocialMetric.objects.filter(pk=metric.pk).update(views=-1))


def test_metric_period_must_be_ordered():
    """A figure whose period ends before it starts is refused by the database."""
    integrity_error(
        lambda: make_metric(
            make_digest(),
            period_start=datetime.date(2025, 2, 1),
            period_end=datetime.date(2025, 1, 1),
        )
    )


def test_metric_period_defaults_to_digest_date():
    """A figure with no stated period is dated on its digest's day."""
    digest = make_digest(date=datetime.date(2025, 12, 31))
    metric = make_metric(digest)
    assert metric.period_start == metric.period_end == datetime.date(2025, 12, 31)
    assert metric.period_label == "31 Dec 2025"


def test_metric_year_period_label():
    """A figure for a whole year reads as that year."""
    metric = make_metric(
        make_digest(),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    assert metric.period_label == "2025"


def test_metric_platform_must_be_known():
    """An unknown platform code is refused by the database."""
    metric = make_metric(make_digest(), platform=Platform.TIKTOK)
    integrity_error(lambda: SocialMetric.objects.filter(pk=metric.pk).update(platform="myspace"))


def test_metric_item_must_belong_to_digest():
    """Staff cannot attach a figure to an item of another digest."""
    item = make_item(make_section(make_digest()))
    metric = SocialMetric(digest=make_digest(), item=item, platform="x", views=1, topic="t")
    with pytest.raises(ValidationError) as excinfo:
        metric.full_clean()
    assert "item" in excinfo.value.message_dict


def test_entity_name_is_kept_as_primary_alias_and_follows_renames():
    """A renamed person is found under the new name and keeps the old one as another name;
    deleting that alias frees the old name for someone else."""
    person = make_person("Viktar Babaryka")
    assert [a.text for a in person.aliases.all()] == ["Viktar Babaryka"]
    person.name = "Viktar Babaryka Jr"
    person.save()
    assert [a.text for a in person.aliases.all()] == ["Viktar Babaryka Jr", "Viktar Babaryka"]
    person.aliases.filter(is_primary=False).delete()
    make_person("Viktar Babaryka")


def test_entity_may_take_one_of_its_aliases_as_its_name():
    """Promoting an alias to the name does not fail on the unique alias table."""
    person = make_person("Alexander Lukashenko")
    Alias.objects.create(text="Lukashenka", person=person)
    person.name = "Lukashenka"
    person.full_clean()
    person.save()
    assert [a.text for a in person.aliases.all()] == ["Lukashenka", "Alexander Lukashenko"]


def test_alias_unique_across_people_and_organizations_in_database():
    """The database refuses a name that would point at two entities, whatever its case."""
    make_person("Pavel Latushka")
    organization = make_organization("National Anti-Crisis Management")
    integrity_error(
        lambda: Alias.objects.create(text="pavel\u00a0LATUSHKA", organization=organization)
    )


def test_alias_needs_exactly_one_entity():
    """An alias with no entity, or with two, is refused by the database."""
    person, organization = make_person(), make_organization()
    integrity_error(lambda: Alias.objects.create(text="Nobody"))
    integrity_error(
        lambda: Alias.objects.create(text="Both", person=person, organization=organization)
    )


def test_alias_clash_message_names_the_other_entity():
    """Staff learn which entity already has the name, so they can fix the right record."""
    make_organization("National Anti-Crisis Management").aliases.create(text="NAM")
    person = make_person("Pavel Latushka")
    alias = Alias(text="NAM", person=person)
    with pytest.raises(ValidationError) as excinfo:
        alias.full_clean()
    assert excinfo.value.message_dict["text"] == [
        "“NAM” already belongs to organization “National Anti-Crisis Management”."
    ]


def test_entity_name_clash_is_a_validation_error():
    """Creating a person whose name is another entity's alias explains the clash."""
    make_person("Alexander Lukashenko").aliases.create(text="Lukashenka")
    with pytest.raises(ValidationError) as excinfo:
        Person(name="Lukashenka").full_clean()
    assert "person “Alexander Lukashenko”" in excinfo.value.message_dict["name"][0]


def test_normalize_name():
    """Names compare equal across case, NBSP, runs of spaces and typographic apostrophes."""
    assert normalize_name("  Pavel\u00a0 LATUSHKA ") == "pavel latushka"
    assert normalize_name("People’s Assembly") == normalize_name("People's Assembly")


def test_organization_cannot_be_its_own_ancestor():
    """A loop of parent organizations is refused with a message."""
    parent = make_organization("Cabinet")
    child = make_organization("Office", parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()
    integrity_error(lambda: Organization.objects.filter(pk=parent.pk).update(parent=parent))


def test_affiliation_cannot_end_before_it_starts():
    """The database refuses an affiliation whose dates are reversed."""
    integrity_error(
        lambda: Affiliation.objects.create(
            person=make_person(),
            organization=make_organization(),
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2023, 1, 1),
        )
    )


def test_person_slug_generated_and_unique():
    """Two people with similar names get distinct page addresses."""
    first = make_person("Maria Kalesnikava")
    second = Person.objects.create(name="Maria Kalesnikava (musician)", slug="")
    third = Person.objects.create(name="Maria  Kalesnikava!", slug="")
    assert first.slug == "maria-kalesnikava"
    assert len({first.slug, second.slug, third.slug}) == 3


def test_sensitive_people_are_not_listed():
    """A person at risk never appears in public listings."""
    make_person("Public Person")
    make_person("Hidden Person", sensitive=True)
    assert [p.name for p in Person.objects.listed()] == ["Public Person"]


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ('<figure class="image"><img src="/media/a.png"></figure>', True),
        ('<p><img src="/media/a.png" alt=""></p>', True),
        ('<p><img src="/media/a.png" alt="  "></p>', True),
        (
            '<figure class="image"><img src="/media/a.png" alt="Freed in Warsaw"></figure>',
            False,
        ),
        ("<p>No images at all.</p>", False),
    ],
)
def test_images_in_text_need_a_description(body, refused):
    """An image put into an item's text without alt text is refused with what to do."""
    item = Item(section=make_section(make_digest()), body=body)
    if refused:
        with pytest.raises(ValidationError) as excinfo:
            item.full_clean()
        assert "has no description" in excinfo.value.message_dict["body"][0]
    else:
        item.full_clean()


DISALLOWED = "\x00\x0b\x0c\x1b\x7f\x85\x9f\ufffe\uffff\ud800"


def test_every_text_field_of_every_model_drops_control_characters():
    """Whatever way text is saved, characters XML and HTML do not allow (which break feeds)
    are never stored, in any text field of any model; tabs and line breaks stay."""
    from django.apps import apps

    dirty = "A\x0b b\x1b\x85\ufffe"
    digest = make_digest(title=f"Digest {dirty}", lead=f"Lead {dirty}\tand\r\nmore")
    make_metric(digest, topic=f"Topic {dirty}")
    make_item(make_section(digest, title=f"Section {dirty}"), title=dirty, body=f"<p>{dirty}</p>")
    person = make_person(f"Person {dirty}", bio=f"<p>Bio {dirty}</p>")
    person.links.create(title=f"Site {dirty}", url="https://example.org/")
    person.aliases.create(text=f"Alias {dirty}")
    organization = make_organization(f"Organization {dirty}", description=f"Does {dirty}")
    Affiliation.objects.create(person=person, organization=organization, role=f"Head {dirty}")
    assert Digest.objects.get().lead == "Lead A b\tand\r\nmore"
    for label in ("digests", "people"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if f.get_internal_type() in {"CharField", "TextField", "SlugField", "URLField"}
            ]
            for row in model.objects.values_list(*fields):
                for value in row:
                    assert not set(value or "") & set(DISALLOWED), (model, value)
