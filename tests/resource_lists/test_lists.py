"""Resource lists: building, ordering, notes, who sees what, and the shared link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from directory.models import ServicePage, ServiceStatus
from signposting.models import SignpostingEvent
from signposting.resource_lists.models import ResourceList, ResourceListItem

pytestmark = pytest.mark.django_db


def add(client: Client, page: ServicePage, **extra: str) -> Any:
    return client.post(reverse("resource_lists:add"), {"page_id": page.pk, **extra})


def staff_list(user: Any) -> ResourceList:
    return ResourceList.objects.get(owner=user)


def test_staff_add_creates_a_current_list_and_returns_to_next(lac_client, lac, listings):
    response = add(lac_client, listings[0], next="/somewhere/?q=carers")
    assert response.status_code == 302
    assert response["Location"] == "/somewhere/?q=carers"
    add(lac_client, listings[1])
    add(lac_client, listings[1])  # a second add is a no-op, not a duplicate
    rl = staff_list(lac)
    assert [i.page_id for i in rl.items.all()] == [listings[0].pk, listings[1].pk]


def test_add_refuses_an_unsafe_next_and_unknown_pages(lac_client, listings):
    response = add(lac_client, listings[0], next="https://evil.example/")
    assert response["Location"].startswith("/lists/")
    assert lac_client.post(reverse("resource_lists:add"), {"page_id": "999999"}).status_code == 404


def test_add_json_for_scripts(lac_client, listings):
    response = lac_client.post(
        reverse("resource_lists:add"), {"page_id": listings[0].pk}, HTTP_ACCEPT="application/json"
    )
    assert response.json()["ok"] is True
    assert response.json()["count"] == 1


def test_resident_list_lives_in_the_session_only(client, listings):
    add(client, listings[0])
    add(client, listings[2])
    assert ResourceList.objects.count() == 0
    page = client.get(reverse("resource_lists:detail", kwargs={"ref": "mine"}))
    assert page.status_code == 200
    assert "Carers Support Café" in page.text
    assert "Canford Walking Group" in page.text
    # A fresh browser (no session) sees an empty list.
    other = Client().get(reverse("resource_lists:detail", kwargs={"ref": "mine"}))
    assert "Carers Support Café" not in other.text


def test_staff_lists_are_private_to_their_owner(
    lac_client, lac, second_officer, make_user, listings
):
    add(lac_client, listings[0])
    rl = staff_list(lac)
    for name in ("detail", "print", "pdf", "email", "delete"):
        url = reverse(f"resource_lists:{name}", kwargs={"ref": rl.pk})
        assert lac_client.get(url).status_code == 200, name
        other = Client()
        other.force_login(second_officer)
        assert other.get(url).status_code == 404, name
        assert Client().get(url).status_code == 404, name  # a resident, not logged in
    editor = make_user(__import__("cms.workflows.roles").workflows.roles.Role.ORGANISATION_EDITOR)
    editor_client = Client()
    editor_client.force_login(editor)
    assert (
        editor_client.get(reverse("resource_lists:detail", kwargs={"ref": rl.pk})).status_code
        == 404
    )
    # Nor can another officer change it.
    other = Client()
    other.force_login(second_officer)
    item = rl.items.get()
    other.post(reverse("resource_lists:remove", kwargs={"ref": rl.pk, "key": item.pk}))
    other.post(reverse("resource_lists:delete", kwargs={"ref": rl.pk}))
    assert ResourceListItem.objects.filter(pk=item.pk).exists()


def test_index_shows_only_own_lists(lac_client, lac, second_officer):
    ResourceList.objects.create(owner=lac, title="For Mrs B – 3 December")
    ResourceList.objects.create(owner=second_officer, title="Someone else's list")
    page = lac_client.get(reverse("resource_lists:index"))
    assert "For Mrs B – 3 December" in page.text
    assert "Someone else" not in page.text


def test_move_up_and_down_without_javascript(lac_client, lac, listings):
    for page in listings:
        add(lac_client, page)
    rl = staff_list(lac)
    last = rl.items.order_by("sort_order").last()
    url = reverse("resource_lists:move", kwargs={"ref": rl.pk, "key": last.pk})
    assert lac_client.post(url, {"direction": "up"}).status_code == 302
    titles = [i.page_title for i in rl.items.order_by("sort_order")]
    assert titles == ["Carers Support Café", "Canford Walking Group", "Boscombe Lunch Club"]
    first = rl.items.order_by("sort_order").first()
    lac_client.post(
        reverse("resource_lists:move", kwargs={"ref": rl.pk, "key": first.pk}),
        {"direction": "down"},
    )
    titles = [i.page_title for i in rl.items.order_by("sort_order")]
    assert titles == ["Canford Walking Group", "Carers Support Café", "Boscombe Lunch Club"]


def test_session_list_moves_notes_and_removes(client, listings):
    for page in listings:
        add(client, page)
    session_items = client.session["resource_lists.mine"]["items"]
    key = session_items[2]["key"]
    client.post(
        reverse("resource_lists:move", kwargs={"ref": "mine", "key": key}), {"direction": "up"}
    )
    client.post(
        reverse("resource_lists:note", kwargs={"ref": "mine", "key": key}),
        {"note": "Ask for Jean – she's expecting you"},
    )
    items = client.session["resource_lists.mine"]["items"]
    assert [i["page_title"] for i in items][1] == "Canford Walking Group"
    assert items[1]["note"] == "Ask for Jean – she's expecting you"
    client.post(reverse("resource_lists:remove", kwargs={"ref": "mine", "key": key}))
    assert len(client.session["resource_lists.mine"]["items"]) == 2


def test_item_and_list_notes_show(lac_client, lac, listings, gazetteer_store):
    add(lac_client, listings[0])
    rl = staff_list(lac)
    item = rl.items.get()
    lac_client.post(
        reverse("resource_lists:note", kwargs={"ref": rl.pk, "key": item.pk}),
        {"note": "Ask for Jean – she's expecting you"},
    )
    response = lac_client.post(
        reverse("resource_lists:detail", kwargs={"ref": rl.pk}),
        {"title": "For Mrs B – 3 December", "postcode": "bh15 1sz", "note": "Call me if stuck"},
    )
    assert response.status_code == 302
    rl.refresh_from_db()
    assert rl.postcode == "BH15 1SZ"
    assert rl.latitude is not None
    page = lac_client.get(reverse("resource_lists:detail", kwargs={"ref": rl.pk})).text
    assert "Ask for Jean – she&#x27;s expecting you" in page
    assert "For Mrs B – 3 December" in page
    assert "Less than 0.1 miles away" in page or "miles away" in page


def test_bad_postcode_gives_a_clear_message(lac_client, lac, listings, gazetteer_store):
    add(lac_client, listings[0])
    rl = staff_list(lac)
    response = lac_client.post(
        reverse("resource_lists:detail", kwargs={"ref": rl.pk}),
        {"title": "For Mrs B", "postcode": "ZZ99 9ZZ", "note": ""},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "doesn" in response.text and "look like a UK postcode" in response.text
    rl.refresh_from_db()
    assert rl.postcode == ""
    response = lac_client.post(
        reverse("resource_lists:detail", kwargs={"ref": rl.pk}),
        {"title": "For Mrs B", "postcode": "Poole", "note": ""},
    )
    assert "is not a postcode" in response.text


def test_unpublished_and_deleted_listings_say_no_longer_available(lac_client, lac, listings):
    for page in listings:
        add(lac_client, page)
    rl = staff_list(lac)
    listings[0].unpublish()
    listings[1].delete()
    for name in ("detail", "print"):
        text = lac_client.get(reverse(f"resource_lists:{name}", kwargs={"ref": rl.pk})).text
        assert text.count("no longer available") >= 2, name
        assert "Boscombe Lunch Club" in text  # the title kept from when it was added
    assert rl.items.count() == 3


def test_temporarily_closed_listing_is_flagged(lac_client, lac, listings):
    add(lac_client, listings[2])
    page = listings[2]
    page.status = ServiceStatus.TEMPORARILY_CLOSED
    page.save_revision().publish()
    text = lac_client.get(reverse("resource_lists:detail", kwargs={"ref": staff_list(lac).pk})).text
    assert "This service is temporarily closed" in text


def test_delete_own_list(lac_client, lac, listings):
    add(lac_client, listings[0])
    rl = staff_list(lac)
    response = lac_client.post(reverse("resource_lists:delete", kwargs={"ref": rl.pk}))
    assert response.status_code == 302
    assert not ResourceList.objects.filter(pk=rl.pk).exists()


def test_add_to_list_include_renders_a_post_form(listings):
    request = RequestFactory().get("/carers/")
    template = Template('{% include "resource_lists/add_to_list_button.html" with page=page %}')
    from django.middleware.csrf import get_token

    get_token(request)
    html = template.render(
        Context({"page": listings[0], "request": request, "csrf_token": get_token(request)})
    )
    assert 'method="post"' in html
    assert f'name="page_id" value="{listings[0].pk}"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Add to list" in html


# --- Email and the shared read-only page -------------------------------------------


def _email(client: Client, ref: Any, **data: str) -> Any:
    return client.post(reverse("resource_lists:email", kwargs={"ref": ref}), data)


def test_email_needs_consent_and_a_valid_address(lac_client, lac, listings):
    add(lac_client, listings[0])
    ref = staff_list(lac).pk
    response = _email(lac_client, ref, email="person@example.org")
    assert "Confirm the person has agreed to be sent this list by email" in response.text
    response = _email(lac_client, ref, email="not-an-email", consent="on")
    assert "Enter an email address in the correct format" in response.text
    assert mail.outbox == []


def test_email_links_to_a_read_only_page_with_current_details(lac_client, lac, listings):
    for page in listings:
        add(lac_client, page)
    ref = staff_list(lac).pk
    response = _email(lac_client, ref, email="person@example.org", consent="on")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["person@example.org"]
    assert "Carers Support Café" in message.body
    assert "Jean" in message.body and "01202 555 010" in message.body
    url = re.search(r"http://\S+/lists/shared/(\S+)/", message.body)
    assert url, message.body
    token = url.group(1)
    assert len(token) >= 40  # secrets.token_urlsafe(32)
    shared_path = reverse("resource_lists:shared", kwargs={"token": token})
    # Anyone with the link can read it; a guessed token cannot.
    assert Client().get(shared_path).status_code == 200
    assert Client().get(shared_path[:-5] + "xxxx/").status_code == 404

    # Later: one listing changes, one is unpublished.
    carers = ServicePage.objects.get(pk=listings[0].pk)
    carers.summary = "Now meeting on Thursdays."
    carers.save_revision().publish()
    ServicePage.objects.get(pk=listings[1].pk).unpublish()
    text = Client().get(shared_path).text
    assert "Now meeting on Thursdays." in text
    assert "Details changed since this list was made" in text
    assert "This listing is no longer available." in text
    # Deleting the officer's working list does not break the emailed link.
    ResourceList.objects.filter(owner=lac).delete()
    assert Client().get(shared_path).status_code == 200


def test_resident_can_email_their_session_list_to_themselves(client, listings):
    add(client, listings[0])
    response = _email(client, "mine", email="me@example.org", consent="on")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    saved = ResourceList.objects.get()
    assert saved.owner is None and saved.share_token
    # A resident's own use is not staff signposting.
    assert SignpostingEvent.objects.count() == 0
