"""Nothing is lost to concurrent edits: two saves of one record never both pass the check."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test import Client

from digests.admin import DigestForm
from digests.models import Item
from tests.browser import change_form_data
from tests.factories import make_digest, make_item, make_person, make_section

ON_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"
)
REFUSED = "was saved by someone else while you were editing"


def editor_clients(django_user_model, count):
    clients = []
    for n in range(count):
        user = django_user_model.objects.create_superuser(f"editor{n}", f"e{n}@x.org", "pw-12345")
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def post_together(posts):
    """POST each (client, url, data) at the same moment, each from its own thread and
    database connection; return the responses (or the exceptions raised) in order."""
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def send(index, client, url, data):
        try:
            barrier.wait(timeout=10)
            results[index] = client.post(url, data)
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    return results


def outcome(response) -> str:
    """'saved', 'refused', or what went wrong."""
    if isinstance(response, Exception):
        return f"error: {response!r}"
    if response.status_code == 302:
        return "saved"
    if response.status_code == 200 and REFUSED in response.content.decode():
        return "refused"
    return f"answered {response.status_code}"


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_simultaneous_digest_saves_accept_exactly_one(django_user_model):
    """Two editors press Save on the same digest at the same moment: one save is kept and the
    other editor is told, every time; neither change silently overwrites the other."""
    anna, boris = editor_clients(django_user_model, 2)
    digest = make_digest(title="Shared digest", lead="Original lead")
    url = f"/admin/digests/digest/{digest.pk}/change/"
    for round_ in range(5):
        form = change_form_data(anna, url)
        leads = [f"Anna's lead {round_}", f"Boris's lead {round_}"]
        pairs = zip((anna, boris), leads, strict=True)
        results = post_together([(client, url, {**form, "lead": lead}) for client, lead in pairs])
        outcomes = [outcome(r) for r in results]
        assert sorted(outcomes) == ["refused", "saved"], outcomes
        digest.refresh_from_db()
        assert digest.lead == leads[outcomes.index("saved")]


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_simultaneous_person_saves_accept_exactly_one(django_user_model):
    """The same holds for a person's page."""
    anna, boris = editor_clients(django_user_model, 2)
    person = make_person("Pavel Latushka")
    url = f"/admin/people/person/{person.pk}/change/"
    form = change_form_data(anna, url)
    results = post_together(
        [(c, url, {**form, "short_description": f"By {n}"}) for n, c in enumerate((anna, boris))]
    )
    assert sorted(outcome(r) for r in results) == ["refused", "saved"]


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_simultaneous_item_page_saves_accept_exactly_one(django_user_model):
    """Two editors save the same item on its own page at the same moment: one is refused."""
    anna, boris = editor_clients(django_user_model, 2)
    item = make_item(make_section(make_digest()), body="<p>Original text.</p>")
    url = f"/admin/digests/item/{item.pk}/change/"
    for round_ in range(3):
        form = change_form_data(anna, url)
        bodies = [f"<p>Anna's text {round_}.</p>", f"<p>Boris's text {round_}.</p>"]
        pairs = zip((anna, boris), bodies, strict=True)
        results = post_together([(client, url, {**form, "body": body}) for client, body in pairs])
        outcomes = [outcome(r) for r in results]
        assert sorted(outcomes) == ["refused", "saved"], outcomes
        item.refresh_from_db()
        assert item.body == bodies[outcomes.index("saved")]


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_item_page_and_digest_page_saved_together_never_deadlock(django_user_model):
    """One editor changes an item on its own page while another changes the same item on the
    digest's page, at the same moment: one save is kept, the other is refused, and neither
    editor sees an error page (the item page locks the digest first, as the digest page does)."""
    anna, boris = editor_clients(django_user_model, 2)
    digest = make_digest()
    item = make_item(make_section(digest), body="<p>Original text.</p>")
    digest_url = f"/admin/digests/digest/{digest.pk}/change/"
    item_url = f"/admin/digests/item/{item.pk}/change/"
    for round_ in range(5):
        digest_form = change_form_data(anna, digest_url)
        item_form = change_form_data(boris, item_url)
        results = post_together(
            [
                (anna, digest_url, {**digest_form, "sections-0-items-0-body": f"<p>A{round_}</p>"}),
                (boris, item_url, {**item_form, "body": f"<p>B{round_}</p>"}),
            ]
        )
        outcomes = [outcome(r) for r in results]
        assert sorted(outcomes) == ["refused", "saved"], outcomes
        item.refresh_from_db()
        assert item.body == (f"<p>A{round_}</p>", f"<p>B{round_}</p>")[outcomes.index("saved")]


@pytest.mark.django_db
def test_second_save_of_an_item_page_is_refused(django_user_model):
    """Two editors open the same item's page; the second save is refused and keeps what the
    second editor wrote in the form."""
    anna, boris = editor_clients(django_user_model, 2)
    item = make_item(make_section(make_digest()), body="<p>Original text.</p>")
    url = f"/admin/digests/item/{item.pk}/change/"
    anna_form, boris_form = change_form_data(anna, url), change_form_data(boris, url)
    assert anna.post(url, {**anna_form, "body": "<p>Anna's text.</p>"}).status_code == 302
    response = boris.post(url, {**boris_form, "body": "<p>Boris's careful text.</p>"})
    html = response.content.decode()
    assert response.status_code == 200 and REFUSED in html
    assert "Boris&#x27;s careful text." in html  # still in the form
    item.refresh_from_db()
    assert item.body == "<p>Anna's text.</p>"


@pytest.mark.django_db
def test_item_page_save_after_its_digest_page_changed_it_is_refused(django_user_model):
    """An item changed on the digest's page since its own page was opened is not overwritten."""
    anna, boris = editor_clients(django_user_model, 2)
    digest = make_digest()
    item = make_item(make_section(digest), body="<p>Original text.</p>")
    item_url = f"/admin/digests/item/{item.pk}/change/"
    digest_url = f"/admin/digests/digest/{digest.pk}/change/"
    item_form, digest_form = change_form_data(boris, item_url), change_form_data(anna, digest_url)
    saved = anna.post(digest_url, {**digest_form, "sections-0-items-0-body": "<p>A</p>"})
    assert saved.status_code == 302
    response = boris.post(item_url, {**item_form, "body": "<p>B</p>"})
    errors = " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
    assert REFUSED in errors
    assert "editor0 changed it on the page of the digest" in errors
    assert "Changed Text for item" in errors
    assert Item.objects.get().body == "<p>A</p>"


@pytest.mark.django_db(transaction=True)
def test_the_check_refuses_to_run_outside_a_transaction():
    """A form with the lock validated outside a transaction fails loudly instead of checking
    without a lock (which would let two saves pass)."""
    digest = make_digest()
    data = {"loaded_at": digest.updated_at.isoformat()}
    with pytest.raises(TransactionManagementError):
        DigestForm(data=data, instance=digest).is_valid()
    with transaction.atomic():
        DigestForm(data=data, instance=digest).is_valid()
