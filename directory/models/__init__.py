"""The directory's listings domain, shaped on Open Referral UK / HSDS 3.0.

An ``OrganisationPage`` owns ``ServicePage`` children in the Wagtail tree. Each
service carries its locations, schedules, costs, contacts, languages and service
areas as inline (ParentalKey) children, so all of them are versioned with the page:
an unapproved draft never touches what the public sees.
"""

from .area import Area, AreaType
from .organisation import OrganisationPage
from .review_settings import ListingReviewSettings
from .service import ServicePage, ServiceStatus
from .service_parts import (
    CostOption,
    ServiceAreaCoverage,
    ServiceContact,
    ServiceLanguage,
    ServiceLocation,
    ServiceSchedule,
)
from .taxonomy import Taxonomy, TaxonomyTerm

__all__ = [
    "Area",
    "AreaType",
    "CostOption",
    "ListingReviewSettings",
    "OrganisationPage",
    "ServiceAreaCoverage",
    "ServiceContact",
    "ServiceLanguage",
    "ServiceLocation",
    "ServicePage",
    "ServiceSchedule",
    "ServiceStatus",
    "Taxonomy",
    "TaxonomyTerm",
]
