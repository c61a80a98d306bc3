"""The evidence that a listing *is* a kind of provision: phrases, and feed taxonomies.

Kept apart from the synonyms on each term (``taxonomy_seed``), which are the words
residents *search* with ("lonely", "bills", "online"): those are right for finding a
listing but far too loose to decide what a listing is. These phrases are the words a
listing anywhere in the UK uses when it offers that thing ("lunch club", "food bank",
"chair yoga"), matched as whole phrases on stemmed words, never word by word: "two
course meal" is a meal, not a course.

A phrase starting ``title:`` counts only in the listing's name: venues ("library",
"community centre") are often mentioned as the place where something else happens.
``not`` phrases are removed before a term's phrases are looked for ("donations for
the food bank" is not a food bank). ``unless`` names terms that, when also found,
describe the listing better (a lunch club's meal is not a separate community meal).

Terms a council adds in the CMS have no entry here; they match on their own name
and synonyms (``directory.categorise``).
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    phrases: tuple[str, ...]
    not_phrases: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


def rule(phrases: str, not_phrases: str = "", unless: str = "") -> Rule:
    """Phrases one per line (or ``;``-separated), for readability."""

    def split(text: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in text.replace("\n", ";").split(";") if p.strip())

    return Rule(split(phrases), split(not_phrases), split(unless))


RULES: dict[str, Rule] = {
    "social-groups": rule(
        "social group; social club; social evening; friendship group; friendship club;"
        "women's group; men's group; ladies group; ladies club; title:bingo; games club;"
        "games group; gaming group; reminiscence; supper club; title:social"
    ),
    "lunch-clubs": rule("lunch club; luncheon club; lunch group; friendship lunch"),
    "community-cafes": rule(
        "community cafe; drop in cafe; coffee morning; coffee and chat; cuppa and chat;"
        "tea and chat; chatty cafe; chatter cafe; welcome cafe; pay as you feel cafe;"
        "coffee and chatter; title:cafe",
        not_phrases="cafe church; youth cafe; memory cafe; dementia cafe; carers cafe;repair cafe",
        unless="memory-cafes; carers-groups",
    ),
    "warm-spaces": rule("warm space; warm hub; warm bank; warm room; welcome space; warm welcome"),
    "mens-sheds": rule("men's shed; men in shed; community shed; title:shed"),
    "community-centres": rule(
        "title:community centre; title:community center; title:community hub;"
        "title:village hall; title:church hall; title:community hall; title:parish hall;"
        "title:memorial hall"
    ),
    "older-peoples-activities": rule(
        "over 50s; over 55s; over 60s; over 65s; over 70s; aged 50; aged 55; aged 60;"
        "aged 65; 50 plus; 60 plus; older people; older adults; older residents;"
        "senior citizen; seniors; pensioners; later life"
    ),
    "day-services": rule("day centre; day center; day care; day service; day opportunities"),
    "inclusive-activities": rule(
        "learning disability; learning disabilities; additional needs; adults with a disability;"
        "adults with disabilities; people with disabilities; down syndrome; disability sport;"
        "inclusive sport; inclusive football; title:inclusive"
    ),
    "befriending": rule("befriending; befriender; befriend"),
    "telephone-befriending": rule(
        "telephone befriending; phone befriending; befriending call; friendship call;"
        "telephone friendship"
    ),
    "home-visiting": rule("befriending visit; visiting befriending; home visiting befriending"),
    "carers": rule(
        "unpaid carer; for carers; carers support; support for carers; carers centre;"
        "young carers; caring for someone; carer support; title:carer"
    ),
    "carers-groups": rule(
        "carers group; carers cafe; carer support group; carers support group;carers coffee morning"
    ),
    "carers-breaks": rule("respite; carers break; sitting service; short break"),
    "carers-advice": rule("carers assessment; carers allowance"),
    "dementia": rule("alzheimer; alzheimers; memory loss"),
    "memory-cafes": rule("memory cafe; dementia cafe; memory club"),
    "dementia-support": rule(
        "with dementia; dementia support; dementia group; singing for the brain;memory service",
        unless="memory-cafes",
    ),
    "physical-activity": rule(
        "leisure centre; gym; fitness; keep fit; get active; personal training; workout"
    ),
    "exercise-classes": rule(
        "exercise class; chair exercise; chair yoga; yoga; tai chi; pilates; zumba; aerobics;"
        "circuits; boxercise; strength and balance; legs bums and tums; bootcamp; boot camp;"
        "dance fitness; exercise group; exercise session; gentle exercise; seated exercise;"
        "armchair exercise; falls prevention"
    ),
    "walking-groups": rule(
        "walking group; walking club; health walk; community walk; guided walk; ramblers;"
        "rambling; stroll; nature walk"
    ),
    "sports-clubs": rule(
        "football; netball; cricket club; title:table tennis; badminton; bowls club; bowling club;"
        "indoor bowls; lawn bowls; short mat bowls; carpet bowls; bowls drive; bowling green;"
        "archery; karate; martial arts; swimming club; swimming session; tennis club; golf;"
        "walking football; walking netball; boccia; basketball; rugby; cycling club;"
        "running club; sports club; multi sport"
    ),
    "food-banks": rule(
        "food bank; foodbank; food parcel; food pantry; community pantry; community fridge;"
        "community larder; food larder; social supermarket; food club; food share; food hub",
        not_phrases="for the food bank; to the food bank; with food bank; to food bank;"
        "for food bank; for local food bank; to local food bank; for foodbank; to foodbank",
    ),
    "meals-at-home": rule(
        "meals on wheels; meal delivery; meals delivered; delivered meals; frozen meals;"
        "deliver meals; mobile meals"
    ),
    "cooking-groups": rule(
        "cooking class; cookery class; cookery course; cook and eat; cooking group;"
        "cooking session; healthy eating course; cookery; cooking lessons"
    ),
    "community-meals": rule(
        "community meal; free lunch; free hot meal; hot meal; hot lunch; free meal;"
        "soup kitchen; soup lunch; community lunch; community dinner; community supper;"
        "two course meal; 2 course meal; three course meal; 3 course meal; warm lunch;"
        "free breakfast; pay as you feel meal",
        unless="lunch-clubs; meals-at-home",
    ),
    "money-advice": rule(
        "money advice; benefits advice; benefit advice; benefit queries; benefits queries;"
        "help with benefits; welfare benefits; welfare advice; welfare advisor;"
        "welfare adviser; financial advice; budgeting; money management; appointeeship;"
        "deputyship; household support fund; money worries"
    ),
    "debt-advice": rule(
        "debt advice; debt counselling; debt support; debt help; christians against poverty;"
        "debt management; help with debt"
    ),
    "welfare-rights": rule(
        "welfare rights; benefits check; benefit check; pension credit; attendance allowance;"
        "benefit entitlement; benefits entitlement; universal credit;"
        "personal independence payment"
    ),
    "energy-advice": rule(
        "energy advice; fuel poverty; energy bills; energy efficiency; energy affordability;"
        "warm homes; fuel bank; fuel voucher; energy saving"
    ),
    "transport": rule("school transport; patient transport; hospital transport"),
    "community-transport": rule(
        "community transport; dial a ride; volunteer driver; community bus;"
        "door to door transport; car scheme"
    ),
    "travel-passes": rule("bus pass; concessionary travel; travel pass; blue badge"),
    "mental-wellbeing": rule(
        "mental health; mental ill health; emotional support; suicide; anxiety; depression;low mood"
    ),
    "peer-support": rule(
        "support group; peer support; self help group; share experiences; talking group",
        unless="carers-groups; dementia-support; memory-cafes; families; bereavement;"
        "drug-alcohol; health-conditions; domestic-abuse",
    ),
    "counselling": rule(
        "counselling; counsellor; talking therapy; talking therapies; psychotherapy",
        not_phrases="debt counselling",
    ),
    "bereavement": rule("bereavement; bereaved; grief; widow; loss of a loved one"),
    "learning": rule(
        "u3a; university of the third age; adult learning; adult education; language class;"
        "lecture; tuition; evening class"
    ),
    "arts-and-crafts": rule(
        "arts and crafts group; craft group; craft session; craft club; craft and chat;"
        "knit and natter; knitting; crochet; sewing; pottery; painting; art class; art group;"
        "art club; drawing; stitch; card making; craft workshop; creative writing;"
        "art workshop"
    ),
    "music-and-singing": rule(
        "choir; singing group; singing for; sing along; singalong; music group; music class;"
        "music session; concert; musician; singer; songwriter; band; guitar; ukulele;"
        "orchestra; open mic; folk club"
    ),
    "gardening": rule(
        "gardening; allotment; community garden; garden project; grow your own;"
        "horticulture; garden club"
    ),
    "libraries": rule(
        "title:library; title:libraries; book club; reading group; mobile library;"
        "home library service; library card; library membership; borrow books"
    ),
    "digital-skills": rule(
        "digital skills; digital support; computer class; computer course; computer help;"
        "ipad; tablet group; tablet help; smartphone; get online; getting online;"
        "digital inclusion; online safety; it help; it skills; computer skills;"
        "digital champion"
    ),
    "english-language": rule(
        "esol; english class; english for speakers; english language; learn english;"
        "english conversation"
    ),
    "volunteering": rule(
        "volunteer opportunity; volunteering opportunity; become a volunteer; volunteer role"
    ),
    "faith-groups": rule(
        "worship; church service; bible study; bible; prayer; holy communion; sunday service;"
        "god; faith group"
    ),
    "cultural-groups": rule("cultural group; heritage group; language group"),
    "managing-at-home": rule(
        "help at home; home care; care at home; domiciliary care; independent living"
    ),
    "community-alarms": rule(
        "community alarm; pendant alarm; telecare; careline; personal alarm; falls alarm"
    ),
    "equipment": rule(
        "mobility equipment; equipment loan; adaptations; mobility aids; wheelchair loan;"
        "mobility scooter hire; shopmobility; daily living aids; disability equipment"
    ),
    "home-help": rule(
        "home help; cleaning service; shopping service; help with shopping; handyperson;"
        "handyman; odd jobs; domestic help"
    ),
    "advice-and-information": rule(
        "citizens advice; advice service; advice centre; advice session; advice drop in;"
        "help with forms; form filling; help filling in forms"
    ),
    "housing-advice": rule(
        "housing advice; homeless; homelessness; housing support; tenancy support;"
        "housing options; rough sleeping; rough sleeper"
    ),
    "legal-advice": rule("legal advice; solicitor; legal aid; law centre; legal clinic"),
    "advocacy": rule("advocacy; advocate; self advocacy"),
    "health-and-wellbeing": rule(
        "stop smoking; smoking cessation; dentist; dental; physiotherapy; podiatry;"
        "chiropody; foot care; hearing aid; herbalist; complementary therapy"
    ),
    "health-checks": rule(
        "title:health check; blood pressure check; nhs health check; health mot; flu jab;"
        "title:vaccination"
    ),
    "disability-support": rule(
        "sight loss; vision loss; visual impairment; visually impaired; blind; deaf;"
        "hearing loss; sensory impairment; disability support; disabled children;"
        "physical disability; physical disabilities"
    ),
    "pharmacies": rule("pharmacy; chemist; pharmacist"),
    "gp-surgeries": rule(
        "title:surgery; title:medical centre; title:health centre; title:medical practice;"
        "gp surgery; doctors surgery; gp practice"
    ),
    "health-conditions": rule(
        "cancer; stroke; parkinson; parkinsons; diabetes; multiple sclerosis; heart failure;"
        "copd; long term condition; long term health condition; palliative; end of life;"
        "hospice; arthritis; epilepsy; long covid; chronic pain"
    ),
    "drug-alcohol": rule(
        "drug and alcohol; drugs and alcohol; alcohol support; alcohol advice; alcohol misuse;"
        "addiction; substance misuse; alcoholics anonymous; narcotics anonymous;"
        "drug support; harm reduction"
    ),
    "care-homes": rule(
        "care home; nursing home; residential home; residential care; extra care;"
        "sheltered housing; retirement village; assisted living"
    ),
    "families": rule(
        "parent and toddler; parents and toddlers; toddler group; stay and play; baby group;"
        "baby and toddler; mums and tots; parent and baby; playgroup; play group; messy play;"
        "rhyme time; rhymetime; story time; youth club; youth cafe;"
        "children's centre; children aged; your child; under 5s; under fives; pre school;"
        "preschool; toddler; family hub; family support; breastfeeding; antenatal; maternity;"
        "parenting course; parenting support; new parents; teenage; teenagers;"
        "special educational needs; foster"
    ),
    "employment": rule(
        "employment support; job club; jobs club; job search; find work; finding work;"
        "back to work; cv; jobcentre; job centre; careers advice; employability;"
        "find employment; into work; work club; jobseekers"
    ),
    "domestic-abuse": rule(
        "domestic abuse; domestic violence; abusive relationship; coercive control; refuge"
    ),
}

#: LGA Services List ids that are not on a seed term, mapped onto ours (the seed
#: terms' own ``lga_service_id``s are read from the database).
LGSL_TO_CODE: dict[str, str] = {
    "292": "care-homes", "727": "drug-alcohol", "730": "drug-alcohol", "53": "families",
    "831": "families", "1579": "families", "112": "housing-advice", "1800": "housing-advice",
    "343": "employment", "299": "employment", "239": "employment", "178": "equipment",
    "205": "equipment", "451": "sports-clubs", "453": "sports-clubs", "444": "libraries",
    "449": "libraries", "438": "libraries", "901": "community-transport", "162": "advocacy",
    "645": "advocacy", "1787": "inclusive-activities", "221": "travel-passes",
    "275": "travel-passes", "4": "community-meals", "1437": "carers-advice",
}  # fmt: skip

#: Open Eligibility service names (folded), as ORUK feeds send them, mapped onto ours.
#: Its "situations" (Seniors, Caregivers, Low-Income...) say who a service is for, not
#: what it is, so they are not mapped.
OPEN_ELIGIBILITY_TO_CODE: dict[str, str] = {
    "help pay for food": "food-banks", "emergency food": "food-banks",
    "food pantry": "food-banks", "free meals": "community-meals",
    "food delivery": "meals-at-home", "community gardens": "gardening",
    "nutrition education": "cooking-groups", "help pay for gas": "energy-advice",
    "help pay for utilities": "energy-advice", "help find housing": "housing-advice",
    "housing advice": "housing-advice", "emergency shelter": "housing-advice",
    "nursing home": "care-homes", "assisted living": "care-homes",
    "residential care": "care-homes", "in-home support": "home-help",
    "independent living": "managing-at-home", "assistive technology": "equipment",
    "medical supplies": "equipment", "bus passes": "travel-passes",
    "help pay for transit": "travel-passes", "transportation": "community-transport",
    "transportation for healthcare": "community-transport",
    "addiction & recovery": "drug-alcohol", "12-step": "drug-alcohol",
    "detox": "drug-alcohol", "sober living": "drug-alcohol",
    "bereavement": "bereavement", "burial & funeral help": "bereavement",
    "end-of-life care": "health-conditions", "hospice": "health-conditions",
    "disease management": "health-conditions", "counseling": "counselling",
    "peer support": "peer-support", "support groups": "peer-support",
    "adult daycare": "day-services", "relief for caregivers": "carers-breaks",
    "home visiting": "home-visiting", "spiritual support": "faith-groups",
    "parenting education": "families", "childcare": "families", "preschool": "families",
    "afterschool care": "families", "english as a second language (esl)": "english-language",
    "computer class": "digital-skills", "basic literacy": "learning",
    "more education": "learning", "help find work": "employment",
    "job placement": "employment", "supported employment": "employment",
    "resume development": "employment", "interview training": "employment",
    "financial education": "money-advice", "credit counseling": "debt-advice",
    "government benefits": "welfare-rights", "disability benefits": "welfare-rights",
    "retirement benefits": "welfare-rights",
    "understand government programs": "welfare-rights",
    "help fill out forms": "advice-and-information",
    "advocacy & legal aid": "advocacy", "representation": "legal-advice",
    "help escape violence": "domestic-abuse", "checkup & test": "health-checks",
    "vaccinations": "health-checks", "disease screening": "health-checks",
    "primary care": "gp-surgeries", "medical care": "gp-surgeries",
    "prescription assistance": "pharmacies", "dental care": "health-and-wellbeing",
    "understand mental health": "mental-wellbeing",
    "mental health evaluation": "mental-wellbeing",
}  # fmt: skip
