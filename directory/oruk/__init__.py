"""Open Referral UK (HSDS-UK 3.0) read API and exports for the directory.

Only published data leaves through here: live, public pages, serialised from their
live database rows (never from revisions, so an unapproved draft is invisible).

Mapping, model → ORUK (the importer inverts this)
==================================================

Ids: every ORUK ``id`` is a model's ``oruk_id`` UUID. Entities we do not store as rows
get a *derived* id, ``uuid5(<owner's oruk_id>, "<kind>")`` (see ``ids.py``), so ids are
stable between calls and the importer can recognise them by recomputing.

``OrganisationPage`` → ``organization``
    oruk_id→id, title→name, description→description (always sent, may be ""),
    alternate_name, email, website, logo (absolute image URL), legal_status;
    phone→phones[{id: uuid5(org, "phone"), number}];
    charity_number→organization_identifiers[{id: uuid5(org, "charity_number"),
    identifier_scheme: "GB-CHC", identifier_type: "Charity number", identifier}].

``ServicePage`` → ``service``
    oruk_id→id, parent organisation's oruk_id→organization_id, title→name,
    description→description, summary→summary (profile extension; HSDS has no summary),
    website→url, email, status (1:1: active / inactive / defunct / temporarily closed),
    fees_description→fees_description *and* fees (the UK profile's older name),
    eligibility_description, minimum_age, maximum_age,
    last_verified_on→assured_date (YYYY-MM-DD), last_published_at→last_modified
    (UTC, millisecond precision).
    Not exported: offers_in_person/online/by_phone, verification_note, last_verified_by
    (a staff member's email is not public data).

``ServiceLocation`` → ``service_at_location`` + its ``location``
    One row is both: oruk_id→service_at_location.id;
    location.id = uuid5(oruk_id, "location"); location_type, name, latitude, longitude,
    url→location.url. A non-empty address gives location.addresses[{id: uuid5(oruk_id,
    "address"), address_1, city, postal_code←postcode, state_province: "" (we hold
    none; the schema requires it), country: "GB", address_type: physical|postal}].
    Accessibility gives location.accessibility[{id: uuid5(oruk_id, "accessibility"),
    description←accessibility_description, details←"; ".join of the ticked features
    in the fixed wording "Wheelchair accessible", "Hearing loop", "Accessible toilet",
    "Parking nearby"}].

``ServiceSchedule`` → ``schedule`` (iCal, 1:1)
    oruk_id→id, freq, interval, byday, opens_at/closes_at ("HH:MM:SS"),
    valid_from/valid_to (YYYY-MM-DD), description.
    ``ServicePage.schedule_description`` → one extra schedule
    {id: uuid5(service, "schedule_description"), description} with no times.

``CostOption`` → ``cost_option``
    oruk_id→id, option, amount (number), currency, amount_description.
    ``is_free`` with no cost options → one cost option
    {id: uuid5(service, "free"), option: "Free", amount: 0, currency: "GBP"}.

``ServiceContact`` → ``contact`` and ``phone``
    oruk_id→contact.id, name, title, email; phone → contact.phones[{id: uuid5(contact,
    "phone"), contact_id, service_id, number, extension, type←phone_type}].
    service.phones lists the same phone objects (same ids) so clients that only read
    service-level phones find them; importers should de-duplicate by id.

``ServiceLanguage`` → ``language``: oruk_id→id, name, code.

``ServiceAreaCoverage`` → ``service_area``
    oruk_id→id; national → name "United Kingdom" + GSS K02000001;
    area → name←area.name + GSS←area.gss_code; the GSS code is sent as
    ``uri`` = ``http://statistics.data.gov.uk/id/statistical-geography/<GSS>`` and as
    ``extent`` with ``extent_type: "gss_code"``.
    radius → ``extent`` = GeoJSON Point feature {"type": "Feature", "geometry":
    {"type": "Point", "coordinates": [lon, lat]}, "properties": {"radius_miles": r}},
    ``extent_type: "geojson"``. description→service_area.

``TaxonomyTerm`` (service.taxonomy_terms) → service.attributes
    [{id: uuid5(service, "attribute:<term oruk_id>"), link_id: service id,
    link_entity: "service", link_type: "service_category", taxonomy_term_id,
    taxonomy_term: <taxonomy_term>}].

``Taxonomy`` → ``taxonomy``: oruk_id→id, name, description, uri, version.
``TaxonomyTerm`` → ``taxonomy_term``: oruk_id→id, name, description, code, parent_id,
    taxonomy←taxonomy.name, taxonomy_id, taxonomy_detail (the taxonomy object);
    lga_service_id→term_uri ``http://id.esd.org.uk/service/<lga_service_id>``.

Empty optional values are left out, never sent as null.

Searching by postcode (``geo.py``)
==================================

``/service_at_locations?postcode=`` lists venues only: HSDS 3.0 defines a
``service_at_location`` as "a link between a service and a specific location" and
requires ``location_id`` in its tabular form, so a service offered across an area with
no location has no service_at_location (we invent no placeholder location).
``/services?postcode=`` finds every service available at the postcode, ordered as the
directory's own search orders them (``directory.proximity``): venues within the radius
nearest first, then services whose service area covers the postcode with no venue
within the radius, each marked ``"covers_area": true`` (a profile extension, like
``summary``: HSDS has no field for it), then services with no service area. A feed's
services with no location that an import gave a default area (``import_oruk
--default-area``) are found there.
"""
