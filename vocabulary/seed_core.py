"""The hand-written core of the concept lexicon: needs and types of service, the
everyday phrases people use for each, the words listings use, and the categories
(``directory/taxonomy_seed.py`` codes), LGA Services List ids and Open Eligibility
ids that belong to it. It is the starting point the data migration loads; council
staff edit the concepts afterwards. The former ``search/synonyms.txt`` lives here now.

Each entry: slug, kind, name, people say, listings say (comma-separated phrases),
category codes, LGSL ids, Open Eligibility ids (space-separated). A need's slug is
the code of the self-assessment need it gives phrases to (``recommender/needs_seed.json``).
Only whole phrases of at most three words (after stop words and filler are dropped)
can match a query: "struggling to pay the gas" is looked up as "pay gas".
"""

from __future__ import annotations

from typing import NamedTuple


class CoreConcept(NamedTuple):
    slug: str
    kind: str
    name: str
    people: str
    listings: str
    terms: str = ""
    lgsl: str = ""
    oe: str = ""


N, S = "need", "service"

# fmt: off
CORE: tuple[CoreConcept, ...] = (
    # ---------------------------------------------------------------- needs
    CoreConcept(
        "money", N, "Money worries",
        "money worries, money problems, worried about money, afford, cost of living, hard up,"
        " skint, low income, short of money, bills, pay bills, paying bills, money",
        "money advice, benefits advice, debt advice, welfare rights, financial support,"
        " budgeting",
        "money-advice debt-advice welfare-rights", "190", "20063 20062",
    ),
    CoreConcept(
        "food", N, "Food and eating well",
        "hungry, no food, nothing to eat, run out of food, afford food, free food, hot food,"
        " something to eat, meal, meals",
        "food bank, community meal, lunch club, community pantry, community fridge, free meal,"
        " hot meal",
        "food", "", "1102 1131",
    ),
    CoreConcept(
        "wellbeing", N, "Mood and mental wellbeing",
        "feeling low, low mood, depressed, depression, anxious, anxiety, stressed, stress,"
        " cope, coping, mental health, panic attacks, worried, feeling down, feel low",
        # No "wellbeing" or "support group" alone: too many listings say them for other
        # things, and a need is served only by a phrase that means it.
        "mental wellbeing, mental health support, peer support, talking therapy, counselling",
        "mental-wellbeing peer-support counselling", "1284", "20025 20051",
    ),
    CoreConcept(
        "meet-people", N, "Loneliness and meeting people",
        "lonely, loneliness, isolated, isolation, alone, feeling alone, nobody to talk to,"
        " no one to talk to, no friends, make friends, meet people, meet new people, company,"
        " no company, housebound",
        "befriending, social group, friendship group, coffee morning, lunch club,"
        " community cafe, companionship",
        "social-groups befriending",
    ),
    CoreConcept(
        "bereavement", N, "Bereavement and grief",
        "bereaved, bereavement, grief, grieving, lost my wife, lost my husband,"
        " lost my partner, lost my mum, lost my dad, passed away, died, death, widow,"
        " widowed, widower",
        "bereavement support, bereavement group, grief support, bereavement cafe,"
        " bereavement counselling",
        "bereavement", "328", "20030",
    ),
    CoreConcept(
        "caring", N, "Caring for someone",
        "carer, carers, unpaid carer, caring for, caring, look after my mum,"
        " look after my dad, look after my wife, look after my husband, looking after,"
        " break from caring, need a break, respite, sitting service, carers break",
        "carers support, carers group, carers centre, carers cafe, respite, sitting service,"
        " carers break",
        "carers carers-groups carers-breaks carers-advice", "225 298 1755", "20073",
    ),
    CoreConcept(
        "memory", N, "Memory or dementia",
        "dementia, alzheimers, alzheimer's, memory loss, memory problems, forgetful,"
        " forgetting things, confused, memory",
        "memory cafe, dementia support, dementia cafe, dementia friendly,"
        " singing for the brain, memory group",
        "dementia memory-cafes dementia-support", "", "20045",
    ),
    CoreConcept(
        "mobility", N, "Mobility and getting about safely",
        "mobility, walking frame, walking stick, zimmer, wheelchair, wheelchair user,"
        " mobility scooter, walk far, unsteady, step free, no steps, disabled, disability",
        "wheelchair accessible, step free, level access, accessible, mobility equipment,"
        " disability support",
        "disability-support equipment", "178 205", "20022 20020",
    ),
    CoreConcept(
        "getting-out", N, "Getting out and about",
        "getting out, get out, getting about, getting around, transport, lift, lifts,"
        " stuck at home, stuck indoors, trips, outings, days out",
        "community transport, dial a ride, volunteer driver, community bus, trips, outings,"
        " walking group",
        "transport community-transport walking-groups", "272",
    ),
    CoreConcept(
        "digital", N, "Digital skills",
        "computer, computers, internet, online, tablet, smartphone, mobile phone, ipad,"
        " laptop, email, wifi, wi fi, video call, using my phone, get online, digital skills,"
        " digital help, computer help, it help",
        "digital skills, digital help, computer help, it help, computer class,"
        " internet access, free wifi, digital inclusion",
        "digital-skills", "442",
    ),
    CoreConcept(
        "housing", N, "Housing and homelessness",
        "housing, homeless, homelessness, no home, nowhere to live, nowhere to sleep,"
        " sleeping rough, rough sleeping, evicted, eviction, landlord, rent, tenancy,"
        " housing problems, damp",
        "housing advice, homelessness support, housing support, tenancy support,"
        " night shelter, hostel",
        "housing-advice", "652 112 1800", "20058 20059 1103 1136 1142",
    ),
    CoreConcept(
        "learning", N, "Learning and hobbies",
        "learn, learning, course, courses, class, classes, evening class, adult learning,"
        " adult education, qualifications, study, hobby, hobbies, learn something new",
        "adult learning, adult education, learning centre, community learning, evening class",
        "learning", "27",
    ),
    CoreConcept(
        "health", N, "Health",
        "health, health problems, poorly, ill, unwell, illness, long term condition,"
        " chronic illness, healthy, keep healthy, check up",
        "health and wellbeing, health check, healthy living, health centre",
        "health-and-wellbeing health-checks health-conditions", "1747", "20041 20090",
    ),
    CoreConcept(
        "stay-active", N, "Staying active",
        "exercise, keep fit, fitness, stay active, keep active, get active, staying active,"
        " exercise class, work out, get fit",
        "exercise class, physical activity, keep fit, fitness class, chair exercise,"
        " walking group, yoga, tai chi",
        "physical-activity exercise-classes", "1789",
    ),
    CoreConcept(
        "managing-at-home", N, "Managing at home",
        "help at home, manage at home, managing at home, cleaning, help with shopping,"
        " housework, falls, fallen, stay independent, stay in my home",
        "home help, help at home, handyperson, community alarm, telecare, home adaptations,"
        " independent living, shopping service",
        "managing-at-home home-help community-alarms equipment", "242 147 313 178",
    ),
    CoreConcept(
        "volunteering", N, "Helping others or volunteering",
        "volunteer, volunteering, help others, helping others, give something back, give back",
        "volunteering, volunteer, volunteers wanted, volunteer opportunities",
        "volunteering", "1113",
    ),
    # ---------------------------------------------------------------- services
    CoreConcept(
        "warm-space", S, "Warm space",
        "cold, freezing, somewhere warm, warm place, keep warm, warm, heat, heating,"
        " warm space, warm hub, warm welcome, warm bank",
        "warm space, warm hub, warm welcome, warm bank, energy advice",
        "warm-spaces", "269",
    ),
    CoreConcept(
        "energy-advice", S, "Energy advice",
        "gas, electric, electricity, energy, gas bill, electric bill, energy bill,"
        " energy bills, fuel bills, heating bills, pay gas, pay electric, prepayment meter,"
        " top up meter, heat my home, afford heat",
        "energy advice, fuel poverty, energy saving, warm home, energy bills",
        "energy-advice", "880 269", "1117 1119",
    ),
    CoreConcept(
        "benefits-advice", S, "Benefits advice",
        "benefits, benefit, benefit check, benefits check, claim benefits, pension credit,"
        " attendance allowance, universal credit, pip, council tax, council tax support,"
        " filling in forms",
        "benefits advice, welfare rights, benefit check, benefits check, money advice",
        "welfare-rights money-advice", "189 190",
    ),
    CoreConcept(
        "debt-advice", S, "Debt advice",
        "debt, debts, in debt, arrears, owe money, bailiffs, loan shark, payday loan",
        "debt advice, debt counselling, money advice",
        "debt-advice", "651",
    ),
    CoreConcept(
        "food-bank", S, "Food bank or pantry",
        "food bank, foodbank, food banks, food parcel, food parcels, emergency food,"
        " food pantry, pantry, community pantry, community fridge, larder, food voucher",
        "food bank, foodbank, food pantry, community pantry, community fridge,"
        " community larder, food parcels, social supermarket",
        "food-banks", "1818", "1120 1128 1130",
    ),
    CoreConcept(
        "lunch-club", S, "Lunch club or community meal",
        "lunch club, luncheon club, community lunch, lunch, dinner, hot dinner, hot meal,"
        " two course meal, soup kitchen, free lunch, pay as you feel, breakfast",
        "lunch club, luncheon club, community lunch, community meal, hot meal, meal,"
        " soup kitchen, pay as you feel",
        "lunch-clubs community-meals", "640",
    ),
    CoreConcept(
        "meals-at-home", S, "Meals at home",
        "meals on wheels, meals at home, meals delivered, hot meals delivered, mobile meals,"
        " cook for myself",
        "meals on wheels, meals at home, meal delivery, frozen meals",
        "meals-at-home", "315", "1129",
    ),
    CoreConcept(
        "community-cafe", S, "Community café",
        "cuppa, cup of tea, brew, tea, coffee, cafe, sit and chat, tea and chat, chat,"
        " natter, biscuits, warm drink, hot drink, coffee morning",
        "tea, coffee, community cafe, coffee morning, tea and chat, cafe, refreshments,"
        " hot drinks",
        "community-cafes",
    ),
    CoreConcept(
        "befriending", S, "Befriending",
        "befriending, befriender, befrienders, befriend, someone to visit, home visit,"
        " visitor, friendly call, check in call, telephone friend",
        "befriending, befriender, befriending service, telephone befriending, home visiting,"
        " companionship, good neighbours",
        "befriending telephone-befriending home-visiting",
    ),
    CoreConcept(
        "social-group", S, "Social group or club",
        "social club, social group, friendship group, get together, meet up, social,"
        " socialise, things to do, something to do",
        "social group, social club, friendship group, community group",
        "social-groups", "297",
    ),
    CoreConcept(
        "older-people", S, "Activities for older people",
        "older people, elderly, old people, seniors, pensioner, pensioners, over 50s,"
        " over 55s, over 60s, over 65s, over 70s, retired, later life, old age",
        "older people, over 50s, over 60s, seniors, later life, older adults",
        "older-peoples-activities", "", "20006 20033",
    ),
    CoreConcept(
        "day-centre", S, "Day centre",
        "day centre, day center, day care, day service, day services, day opportunities,"
        " during day",
        "day centre, day service, day care, day opportunities",
        "day-services", "296",
    ),
    CoreConcept(
        "mens-shed", S, "Men's shed",
        "mens shed, men's shed, mens sheds, shed, woodwork, tinkering, men's group, mens group",
        "mens shed, men's shed, woodwork",
        "mens-sheds",
    ),
    CoreConcept(
        "community-centre", S, "Community centre",
        "community centre, community center, community hall, village hall, church hall, hall",
        "community centre, community hall, village hall, church hall",
        "community-centres", "1149",
    ),
    CoreConcept(
        "library", S, "Library",
        "library, libraries, books, borrow books, reading, book club, reading group,"
        " audiobooks",
        "library, libraries, book club, reading group, books",
        "libraries", "437 438 444",
    ),
    CoreConcept(
        "pharmacy", S, "Pharmacy",
        "pharmacy, chemist, chemists, prescription, prescriptions, medicine, medicines,"
        " pharmacist",
        "pharmacy, chemist, pharmacist, prescriptions",
        "pharmacies",
    ),
    CoreConcept(
        "gp", S, "GP surgery",
        "gp, doctor, doctors, surgery, doctors surgery, see a doctor, health centre,"
        " medical centre",
        "gp, gp surgery, doctors surgery, health centre, medical centre, medical practice",
        "gp-surgeries",
    ),
    CoreConcept(
        "care-home", S, "Care home",
        "care home, care homes, nursing home, residential care, old people's home,"
        " retirement home, sheltered housing, extra care, assisted living, live in care",
        "care home, nursing home, residential care, sheltered housing, extra care housing,"
        " retirement housing",
        "care-homes", "292", "1147",
    ),
    CoreConcept(
        "advocacy", S, "Advocacy",
        "advocacy, advocate, speak up, speak for me, not listened to, complaint, complain",
        "advocacy, advocate, independent advocacy, self advocacy",
        "advocacy", "728 162 645",
    ),
    CoreConcept(
        "advice", S, "Advice and information",
        "advice, advice centre, information, help, signposting, where to get help",
        "advice, information and advice, advice service, signposting",
        "advice-and-information", "199",
    ),
    CoreConcept(
        "counselling", S, "Counselling",
        "counselling, counseling, counsellor, therapy, therapist, talking therapy,"
        " talk to someone, talk",
        "counselling, talking therapy, therapy, listening service, emotional support",
        "counselling", "163",
    ),
    CoreConcept(
        "peer-support", S, "Support group",
        "support group, peer support, people like me, same boat",
        "support group, peer support, self help group",
        "peer-support",
    ),
    CoreConcept(
        "chair-exercise", S, "Chair exercise",
        "chair exercise, chair exercises, seated exercise, chair based exercise,"
        " gentle exercise, chair yoga",
        "chair exercise, seated exercise, chair based exercise, gentle exercise, chair yoga",
        "exercise-classes",
    ),
    CoreConcept(
        "walking-group", S, "Walking group",
        "walk, walking, walks, walking group, rambling, ramble, health walk",
        "walking group, health walk, walk",
        "walking-groups",
    ),
    CoreConcept(
        "sport", S, "Sports club",
        # A sport by name also finds sports clubs in general; the clubs of that sport
        # still come first, since an expanded word counts for less than the word typed.
        "badminton, tennis, table tennis, bowls, swimming, football, netball, cricket,"
        " pickleball, golf, sport, sports",
        "sport, sports club",
        "sports-clubs", "641",
    ),
    CoreConcept(
        "dance", S, "Dance",
        "dance, dancing, dance class, tea dance, line dancing, ballroom",
        "dance, dancing, dance class, tea dance",
        "physical-activity",
    ),
    CoreConcept(
        "arts-crafts", S, "Arts and crafts",
        "craft, crafts, knitting, knit, sewing, crochet, painting, drawing, art,"
        " arts and crafts, stitch",
        "arts and crafts, craft group, knit and natter, knitting group, art class",
        "arts-and-crafts", "1791",
    ),
    CoreConcept(
        "music", S, "Music and singing",
        "singing, sing, choir, music, sing along, singalong",
        "choir, singing group, music group, community choir",
        "music-and-singing",
    ),
    CoreConcept(
        "gardening", S, "Gardening",
        "gardening, garden, allotment, growing, grow vegetables, plants",
        "gardening, community garden, allotment, growing group, gardening club",
        "gardening", "510", "1127",
    ),
    CoreConcept(
        "english-classes", S, "English classes",
        "english classes, learn english, english lessons, esol, speak english,"
        " english language, conversation club",
        "esol, english classes, english for speakers of other languages, conversation club,"
        " english conversation",
        "english-language", "", "20067",
    ),
    CoreConcept(
        "faith", S, "Faith group or place of worship",
        "church, chapel, mosque, temple, gurdwara, synagogue, place of worship,"
        " places of worship, faith, pray, prayer",
        "church, place of worship, faith group, prayer, worship",
        "faith-groups faith-and-culture",
    ),
    CoreConcept(
        "families", S, "Families and young children",
        "baby, babies, toddler, toddlers, baby group, toddler group, parent and toddler,"
        " stay and play, kids, children, family, families, young children",
        "parent and toddler, stay and play, baby group, toddler group, families, children",
        "families", "", "20054 20005",
    ),
    CoreConcept(
        "youth", S, "Youth club",
        "youth club, teenagers, teens, young people, youth",
        "youth club, young people, youth group, teenagers",
        "families", "", "20004",
    ),
    CoreConcept(
        "learning-disability", S, "Support for people with learning disabilities",
        "learning disability, learning disabilities, learning difficulties, autism,"
        " autistic, special needs",
        "learning disability, learning disabilities, inclusive, autism",
        "inclusive-activities", "241", "20018 20093 20019",
    ),
    CoreConcept(
        "hearing-loss", S, "Hearing loss support",
        "deaf, hard of hearing, hearing loss, hearing aid, hearing aids",
        "hearing loss, deaf, hard of hearing, hearing loop",
        "disability-support", "", "20023",
    ),
    CoreConcept(
        "sight-loss", S, "Sight loss support",
        "blind, partially sighted, sight loss, visually impaired, visual impairment",
        "sight loss, visual impairment, partially sighted, blind",
        "disability-support", "1759", "20024",
    ),
    CoreConcept(
        "drink-drugs", S, "Drug and alcohol support",
        "drink problem, drink problems, drinking, alcohol, drugs, addiction, addicted,"
        " recovery, sober",
        "drug and alcohol, alcohol, recovery, addiction, substance misuse",
        "drug-alcohol", "727 730", "20050",
    ),
    CoreConcept(
        "stop-smoking", S, "Stop smoking",
        "stop smoking, quit smoking, give up smoking, smoking, cigarettes, vaping",
        "stop smoking, smoking cessation, quit smoking, smokefree",
        "health-and-wellbeing", "1746",
    ),
    CoreConcept(
        "health-check", S, "Health check",
        "health check, health checks, blood pressure, check up, cholesterol",
        "health check, blood pressure, nhs health check, wellbeing check",
        "health-checks", "1747",
    ),
    CoreConcept(
        "health-conditions", S, "Support for health conditions",
        "diabetes, cancer, stroke, parkinsons, heart condition, copd, arthritis,"
        " long term condition",
        "support group, health conditions, long term conditions, living well",
        "health-conditions", "", "20044",
    ),
    CoreConcept(
        "washing", S, "Showers and laundry",
        "shower, showers, wash clothes, washing clothes, laundry, washing machine, toiletries",
        "showers, laundry, shower facilities, laundrette",
        "",
    ),
    CoreConcept(
        "community-alarm", S, "Community alarm",
        "pendant alarm, alarm, panic button, careline, personal alarm",
        "community alarm, telecare, careline, personal alarm",
        "community-alarms", "313",
    ),
    CoreConcept(
        "domestic-abuse", S, "Domestic abuse support",
        "domestic abuse, domestic violence, abusive partner, not safe at home",
        "domestic abuse, domestic violence, refuge",
        "domestic-abuse", "", "1124",
    ),
    CoreConcept(
        "employment", S, "Work and employment support",
        "job, jobs, find work, unemployed, cv, back to work",
        "employment support, job club, job search, back to work",
        "employment", "", "20034",
    ),
    CoreConcept(
        "legal-advice", S, "Legal advice",
        "solicitor, lawyer, legal, legal problem",
        "legal advice, law centre",
        "legal-advice", "676",
    ),
    CoreConcept(
        "community-transport", S, "Community transport",
        "dial a ride, community bus, volunteer driver, volunteer drivers, door to door",
        "community transport, dial a ride, community bus, volunteer driver",
        "community-transport", "272",
    ),
    CoreConcept(
        "bus-pass", S, "Bus pass and travel help",
        "bus pass, free bus pass, blue badge, concessionary travel",
        "bus pass, concessionary travel",
        "travel-passes", "280",
    ),
    CoreConcept(
        "veterans", S, "Veterans' support",
        "veteran, veterans, ex forces, armed forces, ex service",
        "veterans, armed forces, ex service",
        "", "", "20010",
    ),
)
# fmt: on
