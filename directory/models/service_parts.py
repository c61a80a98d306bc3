"""Inline parts of a service, versioned with its page (ORUK child entities)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable

from directory.schedules import Weekday, describe_schedule, schedule_is_open_at

from .area import AreaType


class ServicePart(Orderable):
    oruk_id = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta(Orderable.Meta):
        abstract = True


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place people visit"
    VIRTUAL = "virtual", "Online"
    POSTAL = "postal", "Postal address only"


class ServiceLocation(ServicePart):
    """A place the service runs (ORUK ``location`` with its ``service_at_location``)."""

    page = ParentalKey("directory.ServicePage", on_delete=models.CASCADE, related_name="locations")
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField("venue name", max_length=255, blank=True)
    address_1 = models.CharField("address", max_length=255, blank=True)
    city = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    url = models.URLField("joining link", max_length=500, blank=True)
    accessibility_description = models.TextField("accessibility", blank=True)
    wheelchair_accessible = models.BooleanField(default=False)
    hearing_loop = models.BooleanField(default=False)
    accessible_toilet = models.BooleanField(default=False)
    parking = models.BooleanField("parking nearby", default=False)

    panels = [
        FieldPanel("location_type"),
        FieldPanel("name"),
        FieldPanel("address_1"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("postcode")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("url"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("wheelchair_accessible"),
                        FieldPanel("hearing_loop"),
                        FieldPanel("accessible_toilet"),
                        FieldPanel("parking"),
                    ]
                ),
                FieldPanel("accessibility_description"),
            ],
            heading="Accessibility",
        ),
    ]

    def __str__(self) -> str:
        return self.one_line_address or self.get_location_type_display()

    @property
    def one_line_address(self) -> str:
        parts = [self.name, self.address_1, self.city, self.postcode]
        seen: list[str] = []
        for part in parts:
            # Imported addresses often repeat the venue name or postcode; show each once.
            if part and not any(part.lower() in other.lower() for other in seen):
                seen.append(part)
        return ", ".join(seen)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def accessibility_features(self) -> list[str]:
        features = {
            "Wheelchair accessible": self.wheelchair_accessible,
            "Hearing loop": self.hearing_loop,
            "Accessible toilet": self.accessible_toilet,
            "Parking nearby": self.parking,
        }
        return [label for label, present in features.items() if present]


class ScheduleFrequency(models.TextChoices):
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"


class ServiceSchedule(ServicePart):
    """A regular time, in the iCal (RFC 5545) terms ORUK uses."""

    page = ParentalKey("directory.ServicePage", on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(
        "repeats", max_length=10, choices=ScheduleFrequency.choices, default="WEEKLY"
    )
    interval = models.PositiveSmallIntegerField(
        default=1, help_text="1 = every week or month, 2 = every other, and so on."
    )
    byday = models.CharField(
        "days",
        max_length=40,
        blank=True,
        help_text="iCal days, e.g. 'TU' or 'MO,WE,FR'; for monthly, '1TU' is the first Tuesday.",
    )
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("freq"), FieldPanel("interval"), FieldPanel("byday")]),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        FieldPanel("description"),
    ]

    def clean(self) -> None:
        try:
            Weekday.parse_byday(self.byday)
        except ValueError as error:
            raise ValidationError({"byday": str(error)}) from error
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "Closing time must be after opening time."})

    def describe(self) -> str:
        return describe_schedule(self)

    def is_open_at(self, moment: dt.datetime) -> bool:
        return schedule_is_open_at(self, moment)


class CostOption(ServicePart):
    page = ParentalKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="cost_options"
    )
    option = models.CharField(max_length=255, blank=True, help_text="e.g. 'Two-course lunch'")
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="GBP")
    amount_description = models.CharField(max_length=255, blank=True)

    panels = [
        FieldPanel("option"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("amount_description")]),
    ]

    def __str__(self) -> str:
        price = f"£{self.amount:.2f}" if self.amount is not None else self.amount_description
        return ": ".join(part for part in (self.option, price) if part)


class PhoneType(models.TextChoices):
    VOICE = "voice", "Voice"
    TEXT = "text", "Text message"
    TEXTPHONE = "textphone", "Textphone"
    FAX = "fax", "Fax"


class ServiceContact(ServicePart):
    page = ParentalKey("directory.ServicePage", on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField("role", max_length=255, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    phone_extension = models.CharField(max_length=20, blank=True)
    phone_type = models.CharField(
        max_length=10, choices=PhoneType.choices, default=PhoneType.VOICE, blank=True
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("title")]),
        FieldPanel("email"),
        FieldRowPanel(
            [FieldPanel("phone"), FieldPanel("phone_extension"), FieldPanel("phone_type")]
        ),
    ]

    def clean(self) -> None:
        if not (self.name or self.email or self.phone):
            raise ValidationError("Give at least a name, an email address or a phone number.")

    @property
    def tel_uri(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""


class ServiceLanguage(ServicePart):
    page = ParentalKey("directory.ServicePage", on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField("ISO 639 code", max_length=10, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("code")])]

    def __str__(self) -> str:
        return self.name


class CoverageKind(models.TextChoices):
    NATIONAL = "national", "The whole UK"
    AREA = "area", "A whole council area or ward"
    RADIUS = "radius", "Within a distance of a base"


class ServiceAreaCoverage(ServicePart):
    """An area a service covers: national, a GSS-coded area, or a radius around a base."""

    page = ParentalKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="service_areas"
    )
    kind = models.CharField(max_length=10, choices=CoverageKind.choices, default=CoverageKind.AREA)
    area = models.ForeignKey(
        "directory.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    radius_miles = models.FloatField(null=True, blank=True)
    description = models.CharField(max_length=255, blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("area"),
        FieldRowPanel(
            [FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("radius_miles")]
        ),
        FieldPanel("description"),
    ]

    def clean(self) -> None:
        if self.kind == CoverageKind.AREA and not self.area_id:
            raise ValidationError({"area": "Choose the council area or ward this service covers."})
        if self.kind == CoverageKind.AREA and self.area and self.area.area_type == AreaType.WARD:
            from geography.gazetteer import RESOLVES_WARDS

            if not RESOLVES_WARDS:
                raise ValidationError(
                    {
                        "area": (
                            f"Searches can't yet tell which ward a postcode is in, so people "
                            f"in {self.area.name} would never find this service. Choose the "
                            f"council area, or 'Within a distance of a base'."
                        )
                    }
                )
        if self.kind == CoverageKind.RADIUS and (
            self.latitude is None or self.longitude is None or not self.radius_miles
        ):
            raise ValidationError(
                {"radius_miles": "Give the base (latitude and longitude) and a distance."}
            )

    @property
    def gss_code(self) -> str | None:
        from .area import UNITED_KINGDOM_GSS

        if self.kind == CoverageKind.NATIONAL:
            return UNITED_KINGDOM_GSS
        return self.area.gss_code if self.area_id and self.area else None

    def __str__(self) -> str:
        if self.kind == CoverageKind.RADIUS:
            return f"Within {self.radius_miles:g} miles of its base"
        if self.kind == CoverageKind.NATIONAL:
            return "The whole UK"
        return str(self.area) if self.area_id else "Unknown area"
