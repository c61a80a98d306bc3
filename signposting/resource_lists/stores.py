"""One interface over the two places a list can live: the database or the session.

Views and templates work on ``ListData`` and call the store's mutators, so a staff
list and a resident's session list share every view, form and template.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from directory.ids import parse_id
from directory.models import ServicePage
from signposting.resource_lists.models import ResourceList, ResourceListItem

#: A list longer than this is no longer a handout; it also bounds session size.
MAX_ITEMS = 300
SESSION_KEY = "resource_lists.mine"
#: The shared copies this visitor emailed, kept apart from the list so that clearing
#: the list still leaves them able to withdraw the links.
SHARED_KEY = "resource_lists.shared"


@dataclass
class ListItemData:
    key: str
    page_id: int | None
    page_title: str
    note: str
    added_at: dt.datetime


@dataclass
class ListData:
    title: str
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    note: str = ""
    created_at: dt.datetime = field(default_factory=timezone.now)
    items: list[ListItemData] = field(default_factory=list)

    @property
    def origin(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def page_ids(self) -> list[int]:
        return [item.page_id for item in self.items if item.page_id is not None]


class ListStore(Protocol):
    is_session: bool

    def load(self) -> ListData: ...
    def update_details(
        self, title: str, postcode: str, latitude: float | None, longitude: float | None, note: str
    ) -> None: ...
    def add(self, page: ServicePage) -> bool: ...
    def remove(self, key: str) -> None: ...
    def move(self, key: str, delta: int) -> None: ...
    def set_note(self, key: str, note: str) -> None: ...
    def url_prefix(self) -> str: ...


def default_title(now: dt.datetime | None = None) -> str:
    moment = timezone.localtime(now or timezone.now())
    return f"List made {moment.day} {moment:%B %Y}"


class DbListStore:
    is_session = False

    def __init__(self, resource_list: ResourceList) -> None:
        self.resource_list = resource_list

    def load(self) -> ListData:
        rl = self.resource_list
        return ListData(
            title=rl.title,
            postcode=rl.postcode,
            latitude=rl.latitude,
            longitude=rl.longitude,
            note=rl.note,
            created_at=rl.created_at,
            items=[
                ListItemData(str(i.pk), i.page_id, i.page_title, i.note, i.added_at)
                for i in rl.items.all()
            ],
        )

    def update_details(
        self, title: str, postcode: str, latitude: float | None, longitude: float | None, note: str
    ) -> None:
        rl = self.resource_list
        rl.title, rl.postcode, rl.note = title, postcode, note
        rl.latitude, rl.longitude = latitude, longitude
        rl.save()

    def add(self, page: ServicePage) -> bool:
        items = self.resource_list.items
        if items.filter(page=page).exists() or items.count() >= MAX_ITEMS:
            return False
        last = items.order_by("-sort_order").values_list("sort_order", flat=True).first()
        ResourceListItem.objects.create(
            resource_list=self.resource_list,
            page=page,
            page_title=page.title[:255],
            sort_order=(last or 0) + 1,
            added_at=timezone.now(),
        )
        self.resource_list.save(update_fields=["updated_at"])
        return True

    def remove(self, key: str) -> None:
        self.resource_list.items.filter(pk=_int(key)).delete()

    def move(self, key: str, delta: int) -> None:
        with transaction.atomic():
            items = list(self.resource_list.items.select_for_update().order_by("sort_order", "pk"))
            order = _moved([str(i.pk) for i in items], key, delta)
            for item in items:
                item.sort_order = order.index(str(item.pk))
            ResourceListItem.objects.bulk_update(items, ["sort_order"])

    def set_note(self, key: str, note: str) -> None:
        self.resource_list.items.filter(pk=_int(key)).update(note=note)

    def url_prefix(self) -> str:
        return str(self.resource_list.pk)


class SessionListStore:
    """A resident's single list, held in their session only."""

    is_session = True

    def __init__(self, session: SessionBase) -> None:
        self.session = session

    def _raw(self) -> dict[str, Any]:
        raw = self.session.get(SESSION_KEY)
        if not isinstance(raw, dict):
            raw = {"title": "My list", "postcode": "", "lat": None, "lon": None, "note": ""}
            raw["created_at"] = timezone.now().isoformat()
            raw["items"] = []
        return raw

    def _save(self, raw: dict[str, Any]) -> None:
        self.session[SESSION_KEY] = raw
        self.session.modified = True

    def load(self) -> ListData:
        raw = self._raw()
        return ListData(
            title=raw.get("title") or "My list",
            postcode=raw.get("postcode", ""),
            latitude=raw.get("lat"),
            longitude=raw.get("lon"),
            note=raw.get("note", ""),
            created_at=dt.datetime.fromisoformat(raw["created_at"]),
            items=[
                ListItemData(
                    item["key"],
                    item.get("page_id"),
                    item.get("page_title", ""),
                    item.get("note", ""),
                    dt.datetime.fromisoformat(item["added_at"]),
                )
                for item in raw.get("items", [])
            ],
        )

    def update_details(
        self, title: str, postcode: str, latitude: float | None, longitude: float | None, note: str
    ) -> None:
        raw = self._raw()
        raw.update(title=title, postcode=postcode, lat=latitude, lon=longitude, note=note)
        self._save(raw)

    def add(self, page: ServicePage) -> bool:
        raw = self._raw()
        items = raw["items"]
        if any(i.get("page_id") == page.pk for i in items) or len(items) >= MAX_ITEMS:
            return False
        items.append(
            {
                "key": secrets.token_hex(4),
                "page_id": page.pk,
                "page_title": page.title[:255],
                "note": "",
                "added_at": timezone.now().isoformat(),
            }
        )
        self._save(raw)
        return True

    def remove(self, key: str) -> None:
        raw = self._raw()
        raw["items"] = [i for i in raw["items"] if i["key"] != key]
        self._save(raw)

    def move(self, key: str, delta: int) -> None:
        raw = self._raw()
        by_key = {i["key"]: i for i in raw["items"]}
        raw["items"] = [by_key[k] for k in _moved(list(by_key), key, delta)]
        self._save(raw)

    def set_note(self, key: str, note: str) -> None:
        raw = self._raw()
        for item in raw["items"]:
            if item["key"] == key:
                item["note"] = note
        self._save(raw)

    def url_prefix(self) -> str:
        return "mine"

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def recipient(self) -> str:
        """The digest of the one address this list may be emailed to ('' until sent)."""
        return str(self._raw().get("recipient", ""))

    def set_recipient(self, digest: str) -> None:
        raw = self._raw()
        raw["recipient"] = digest
        self._save(raw)

    def shared_ids(self) -> list[int]:
        return [int(pk) for pk in self.session.get(SHARED_KEY, [])]

    def remember_shared(self, pk: int) -> None:
        # Bounded like the list itself: the daily email cap keeps this short anyway.
        self.session[SHARED_KEY] = [*self.shared_ids(), pk][-MAX_ITEMS:]


def copy_to_database(data: ListData, shared_by: Any = None) -> ResourceList:
    """Save a list with no owner, so the emailed link outlives the list it came from."""
    with transaction.atomic():
        rl = ResourceList.objects.create(
            shared_by=shared_by,
            title=data.title,
            postcode=data.postcode,
            latitude=data.latitude,
            longitude=data.longitude,
            note=data.note,
        )
        live_ids = set(
            ServicePage.objects.filter(pk__in=data.page_ids).values_list("pk", flat=True)
        )
        ResourceListItem.objects.bulk_create(
            ResourceListItem(
                resource_list=rl,
                page_id=item.page_id if item.page_id in live_ids else None,
                page_title=item.page_title,
                note=item.note,
                sort_order=position,
                added_at=item.added_at,
            )
            for position, item in enumerate(data.items)
        )
    return rl


def _moved(keys: list[str], key: str, delta: int) -> list[str]:
    """``keys`` with ``key`` moved ``delta`` places, clamped to the ends."""
    if key not in keys:
        return keys
    index = keys.index(key)
    target = max(0, min(len(keys) - 1, index + delta))
    keys = keys.copy()
    keys.insert(target, keys.pop(index))
    return keys


def _int(key: str) -> int:
    return parse_id(key) or 0
