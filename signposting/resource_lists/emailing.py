"""What a list email may carry, and to whom, so it can never be an open mail relay.

Staff email lists to the people they support: their title and notes go in the email,
within a per-officer rate limit. An anonymous visitor can only email their session
list, and then:

- to one address per list (the first one used; others are refused);
- with nothing they typed in it: a fixed title, no notes, only the directory's own
  listing names and details, and a link;
- at most a few times a day per browser session and per network address;

and the log line never holds the address.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import replace

from django.conf import settings

from geography.gazetteer.text import postcode_district
from signposting.resource_lists.stores import ListData

logger = logging.getLogger(__name__)

#: The title every anonymous list email (and its shared page) carries.
ANONYMOUS_TITLE = "Your list of local services"
OTHER_ADDRESS = (
    "This list has already been sent to a different email address. "
    "It can only be sent to that address again."
)
IP_GROUP = "lists-email-ip"
SESSION_GROUP = "lists-email-session"
STAFF_GROUP = "lists-email-staff"


def one_line(text: str) -> str:
    """``text`` fit for an email header: line breaks (which would start a new header,
    and make Django refuse to send) become spaces."""
    return " ".join(str(text).splitlines()).strip()


def address_digest(address: str) -> str:
    """A keyed digest of an address: enough to recognise it again, useless to read it."""
    normalised = address.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), normalised, hashlib.sha256).hexdigest()


def without_free_text(data: ListData) -> ListData:
    """The list as an anonymous visitor may send it: directory content only.

    The postcode is cut to its district and the point rounded to about a kilometre,
    because the shared copy is kept on the server with no owner.
    """
    return replace(
        data,
        title=ANONYMOUS_TITLE,
        note="",
        postcode=postcode_district(data.postcode) or "",
        latitude=round(data.latitude, 2) if data.latitude is not None else None,
        longitude=round(data.longitude, 2) if data.longitude is not None else None,
        items=[replace(item, note="") for item in data.items],
    )


def log_sent(*, by_staff: bool, items: int) -> None:
    """Record that a list went out, with no address, title or note."""
    logger.info(
        "Resource list emailed (by %s, %d items)", "staff" if by_staff else "visitor", items
    )
