"""The seeded category taxonomy for adult social care community assets.

Designed around what people ask for in a strengths-based conversation, not around
council departments. Each term maps to its LGA Local Government Services List (LGSL)
identifier where a sensible one exists, so Open Referral UK feeds can carry both.
Synonyms are the words residents actually use; search and the recommender read them.
"""

from __future__ import annotations

from typing import NamedTuple

TAXONOMY_SLUG = "community-assets"
TAXONOMY_NAME = "Community assets for adult social care"
LGA_TAXONOMY_SLUG = "lga-services-list"
LGA_TAXONOMY_NAME = "LGA Local Government Services List"


class SeedTerm(NamedTuple):
    code: str
    name: str
    lga_id: str
    synonyms: str
    children: tuple[SeedTerm, ...] = ()


def term(
    code: str, name: str, lga_id: str = "", synonyms: str = "", *children: SeedTerm
) -> SeedTerm:
    return SeedTerm(code, name, lga_id, synonyms, tuple(children))


SEED_TAXONOMY: tuple[SeedTerm, ...] = (
    term(
        "social-groups",
        "Social groups and clubs",
        "297",
        "meet people\nlonely\nclub\ncompany",
        term("lunch-clubs", "Lunch clubs", "640", "luncheon club\ncommunity lunch\nhot meal"),
        term("community-cafes", "Community cafés", "", "cafe\ncoffee morning\ntea and chat"),
        term("warm-spaces", "Warm spaces", "", "warm welcome\nwarm hub\nwarm bank"),
        term("mens-sheds", "Men's sheds", "", "shed\nwoodwork"),
        term("community-centres", "Community centres", "1149", "village hall\nchurch hall"),
        term(
            "older-peoples-activities",
            "Activities for older people",
            "640",
            "over 50s\nover 60s\nseniors",
        ),
        term(
            "day-services",
            "Day centres and day services",
            "296",
            "day centre\nday care\nday service",
        ),
        term(
            "inclusive-activities",
            "Inclusive leisure for disabled people",
            "241",
            "learning disability\nautism",
        ),
    ),
    term(
        "befriending",
        "Befriending",
        "",
        "befriender\nlonely\nloneliness\nisolation\ncompanionship",
        term("telephone-befriending", "Telephone befriending", "", "phone friend\ncheck-in call"),
        term("home-visiting", "Home visiting befriending", "", "visitor\nhome visit"),
    ),
    term(
        "carers",
        "Carers' support",
        "225",
        "carer\ncaring for\nunpaid carer",
        term("carers-groups", "Carers' groups", "298", "carers group\ncarers cafe"),
        term("carers-breaks", "Breaks for carers", "", "respite\nsitting service"),
        term(
            "carers-advice",
            "Carers' advice and assessment",
            "1755",
            "carers assessment\ncarers allowance",
        ),
    ),
    term(
        "dementia",
        "Dementia and memory",
        "",
        "alzheimers\nmemory loss\nforgetful",
        term("memory-cafes", "Memory cafés", "", "memory cafe\ndementia cafe"),
        term(
            "dementia-support",
            "Dementia support groups",
            "",
            "dementia friendly\nsinging for the brain",
        ),
    ),
    term(
        "physical-activity",
        "Physical activity",
        "1789",
        "exercise\nkeep fit\nstaying active",
        term("walking-groups", "Walking groups", "", "walk\nhealth walk\nrambling"),
        term(
            "exercise-classes",
            "Exercise classes",
            "1789",
            "chair exercise\nyoga\ntai chi\npilates\nzumba",
        ),
        term("sports-clubs", "Sports clubs", "641", "bowls\nswimming\nbadminton\nwalking football"),
    ),
    term(
        "food",
        "Food and eating well",
        "",
        "meal\nhungry\ncooking",
        term(
            "food-banks",
            "Food banks and pantries",
            "1818",
            "food bank\nfood parcel\ncommunity pantry\ncommunity fridge",
        ),
        term("meals-at-home", "Meals at home", "315", "meals on wheels\nmobile meals"),
        term("cooking-groups", "Cooking and nutrition groups", "", "cookery\nhealthy eating"),
        term(
            "community-meals",
            "Community meals",
            "",
            "community meal\nfree lunch\nhot meal\nsoup kitchen\npay as you feel",
        ),
    ),
    term(
        "money-advice",
        "Money and benefits advice",
        "190",
        "money worries\nbills\nbenefits",
        term("debt-advice", "Debt advice", "651", "debt\narrears\ncounselling debt"),
        term(
            "welfare-rights",
            "Welfare rights and benefits checks",
            "189",
            "pension credit\nattendance allowance\nuniversal credit",
        ),
        term(
            "energy-advice",
            "Energy and warm home advice",
            "",
            "fuel poverty\nheating\nenergy bills",
        ),
    ),
    term(
        "transport",
        "Transport and getting about",
        "272",
        "getting out\nlift\ntravel",
        term(
            "community-transport",
            "Community transport",
            "272",
            "dial a ride\nvolunteer drivers\ncommunity bus",
        ),
        term(
            "travel-passes", "Bus passes and travel help", "280", "bus pass\nconcessionary travel"
        ),
    ),
    term(
        "mental-wellbeing",
        "Mental wellbeing",
        "1284",
        "mood\nanxiety\ndepression\nlow mood\nstress",
        term("peer-support", "Peer support groups", "", "talking group\nsupport group"),
        term("counselling", "Counselling and talking therapies", "163", "therapy\ntalking"),
        term("bereavement", "Bereavement support", "328", "grief\nloss\nwidow"),
    ),
    term(
        "learning",
        "Learning and hobbies",
        "27",
        "course\nclass\nhobby",
        term(
            "arts-and-crafts",
            "Arts and crafts",
            "1791",
            "art\ncraft\nknitting\nsewing\npainting\ndrawing",
        ),
        term("music-and-singing", "Music and singing", "", "choir\nsinging\nmusic"),
        term("gardening", "Gardening", "510", "garden\nallotment\ngrowing"),
        term("libraries", "Libraries and reading groups", "437", "library\nbook club\nreading"),
        term(
            "digital-skills",
            "Digital skills",
            "",
            "computer\ninternet\nonline\ntablet\nsmartphone\nIT help",
        ),
        term(
            "english-language",
            "English classes (ESOL)",
            "",
            "ESOL\nEnglish for speakers of other languages\nconversation club",
        ),
    ),
    term(
        "volunteering",
        "Volunteering",
        "1113",
        "volunteer\nhelping others\ngive back",
    ),
    term(
        "faith-and-culture",
        "Faith and culture",
        "838",
        "church\nmosque\ntemple\nculture\nheritage",
        term(
            "faith-groups",
            "Faith groups",
            "",
            "church\nchapel\nmosque\ngurdwara\nsynagogue\nprayer",
        ),
        term("cultural-groups", "Cultural and community groups", "838", "heritage\nlanguage group"),
    ),
    term(
        "managing-at-home",
        "Managing at home",
        "242",
        "independent living\nhelp at home",
        term(
            "community-alarms",
            "Community alarms and telecare",
            "313",
            "pendant alarm\ncareline\ntelecare",
        ),
        term(
            "equipment",
            "Equipment and adaptations",
            "1402",
            "aids\nadaptations\nmobility equipment",
        ),
        term(
            "home-help",
            "Home help and gardening help",
            "147",
            "cleaning\nshopping help\nhandyperson",
        ),
    ),
    term(
        "advice-and-information",
        "Advice and information",
        "199",
        "advice\nhelp\ninformation",
        term("housing-advice", "Housing advice", "652", "housing\nhomeless\ntenancy"),
        term("legal-advice", "Legal advice", "676", "solicitor\nrights"),
        term("advocacy", "Advocacy", "728", "advocate\nspeak up"),
    ),
    term(
        "health-and-wellbeing",
        "Health and wellbeing",
        "",
        "health\nwellbeing",
        term("health-checks", "Health checks", "1747", "blood pressure\nhealth check"),
        term(
            "disability-support", "Disability support", "204", "disabled\nsight loss\nhearing loss"
        ),
        term("pharmacies", "Pharmacies", "", "pharmacy\nchemist\nprescriptions"),
        term(
            "gp-surgeries",
            "GP surgeries and health centres",
            "",
            "GP\ndoctor\ndoctors surgery\nhealth centre\nmedical centre",
        ),
        term(
            "health-conditions",
            "Support for health conditions",
            "",
            "long-term condition\ncancer support\nstroke\nparkinsons\ndiabetes\nhospice",
        ),
        term(
            "drug-alcohol",
            "Drug and alcohol support",
            "730",
            "addiction\nalcohol\ndrugs\nsubstance misuse\nrecovery",
        ),
    ),
    term(
        "care-homes",
        "Care homes and housing with care",
        "292",
        "care home\nnursing home\nresidential care\nextra care housing\nsheltered housing",
    ),
    term(
        "families",
        "Children, young people and families",
        "831",
        "parent and toddler\nstay and play\nbaby group\nyouth club\nfamily support",
    ),
    term(
        "employment",
        "Work and employment support",
        "343",
        "job club\njob search\nback to work\nemployment support\nCV help",
    ),
    term(
        "domestic-abuse",
        "Domestic abuse support",
        "",
        "domestic abuse\ndomestic violence\nabusive relationship",
    ),
)


def iter_seed_terms(
    terms: tuple[SeedTerm, ...] = SEED_TAXONOMY, parent: SeedTerm | None = None
) -> list[tuple[SeedTerm, SeedTerm | None]]:
    """Every seed term with its parent, parents first."""
    found: list[tuple[SeedTerm, SeedTerm | None]] = []
    for item in terms:
        found.append((item, parent))
        found.extend(iter_seed_terms(item.children, item))
    return found
