"""An entity's page lists its mentions per digest: where each is, its sentence, and which
language a digest of another language is in."""

import datetime

import pytest

from digests.models import Language, Platform
from tests.factories import make_digest, make_item, make_metric, make_person, make_section

pytestmark = pytest.mark.django_db


def test_mentions_are_listed_per_digest_with_their_sentence(client):
    person = make_person("Pavel Latushka")
    digest = make_digest(title="News <digest> & more", date=datetime.date(2025, 12, 31))
    section = make_section(digest, title="Politics & <law>")
    item = make_item(section, body="<p>Pavel Latushka said “no” &amp; left.</p>")
    html = client.get(person.get_absolute_url()).content.decode()
    address = digest.get_absolute_url()
    assert (
        f'<h3 id="digest-{digest.pk}"><a href="{address}">News &lt;digest&gt; &amp; more</a> '
        '<span class="meta"><time datetime="2025-12-31">31 December 2025</time></span></h3>'
    ) in html
    assert (
        f'<li><a href="{address}#{item.anchor}">Politics &amp; &lt;law&gt;</a>: '
        "<q>Pavel Latushka said “no” &amp; left.</q></li>"
    ) in html


def test_a_digest_in_another_language_is_marked_as_such(client):
    person = make_person("Pavel Latushka", name_ru="Павел Латушко")
    digest = make_digest(title="Дайджест", slug="daidzhest", language=Language.RUSSIAN)
    make_item(make_section(digest), body="<p>Павел Латушко выступил.</p>")
    english = client.get(person.get_absolute_url()).content.decode()
    assert f'href="{digest.get_absolute_url()}" lang="ru" hreflang="ru">Дайджест</a>' in english
    assert ' · <span lang="ru">Русский</span>' in english
    assert '<ul class="mentions" lang="ru">' in english
    russian = client.get(f"/ru{person.get_absolute_url()}").content.decode()
    assert f'href="{digest.get_absolute_url()}">Дайджест</a>' in russian
    assert '<ul class="mentions">' in russian


def test_figures_involving_the_entity_link_to_their_digest(client):
    person = make_person("Pavel Latushka", public_profile=True)
    digest = make_digest(date=datetime.date(2025, 12, 31))
    metric = make_metric(
        digest, platform=Platform.TIKTOK, views=1_234_567, topic="Q&A <live>", url=""
    )
    metric.people.add(person)
    html = client.get(person.get_absolute_url()).content.decode()
    assert (
        '<tr><td>TikTok</td><td class="num">1,234,567</td><td>Q&amp;A &lt;live&gt;</td>'
        f'<td><a href="{digest.get_absolute_url()}">31 Dec 2025</a></td></tr>'
    ) in html
