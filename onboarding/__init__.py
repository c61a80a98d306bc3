"""Onboarding: who may edit an organisation's listings, and how they come to.

- ``invitations.py``: council staff and lead editors invite a person by email; the
  single-use link sets them up as one organisation's editor.
- ``membership.py``: who leads an organisation, who may invite and remove whom.
- ``claims.py``: "Is this your group?" requests from the public, decided by moderators.
- ``listing_requests.py``: "Ask to be listed": a draft organisation and service that
  moderators publish (or delete).
"""
