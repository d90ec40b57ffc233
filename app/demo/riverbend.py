"""The Riverbend Public Library's community map, all invented: people, branches, focus
communities, organizations with their standing, contact people and spaces.

Records refer to each other by name (or email for people); `seed` swaps names for objects.
Numbers under `*_ago` count days back from today, so the demo never looks stale.
"""

ADMIN = "admin@riverbend.example"
AMIRA = "amira@riverbend.example"
MEMBER = "member@riverbend.example"
DANIEL = "daniel@riverbend.example"
LUCIA = "lucia@riverbend.example"
MARCUS = "marcus@riverbend.example"

EASTGATE_FAMILIES = "Newcomer families with school-age children, Eastgate"
NORTHSIDE_ELDERS = "Older adults living alone, Northside"
MILLBROOK_WORKERS = "Seasonal farm workers and their families, Millbrook"
DOWNTOWN_YOUTH = "Young people 13 to 18 downtown after school"

PEOPLE = [
    {"email": ADMIN, "name": "Jordan Ellis", "role": "admin", "branch": "Central"},
    {"email": AMIRA, "name": "Amira Haddad", "role": "staff", "branch": "Eastgate"},
    {"email": MEMBER, "name": "Selam Tesfay", "role": "member", "branch": None},
    {"email": DANIEL, "name": "Daniel Okafor", "role": "staff", "branch": "Northside"},
    {"email": LUCIA, "name": "Lucía Romero", "role": "staff", "branch": "Millbrook"},
    {"email": MARCUS, "name": "Marcus Lee", "role": "staff", "branch": "Central"},
]

BRANCHES = [
    {"name": "Central", "kind": "main_library", "catchment":
        "Downtown. A mix of office workers, students and families from the older streets. "
        "The shelter and Harbour Street Drop-In are two blocks away, and teens pass through "
        "after school on their way to the mall."},
    {"name": "Eastgate", "kind": "branch", "catchment":
        "Apartment district of high-rise rentals. Many newcomer and refugee families; Arabic, "
        "Dari and Tigrinya are heard as often as English. Two elementary schools nearby."},
    {"name": "Northside", "kind": "branch", "catchment":
        "Next to the Northside Towers public housing. Many older adults living alone; the "
        "tenants' association is active. Buses every 20 minutes, but the elevators often fail."},
    {"name": "Millbrook", "kind": "branch", "catchment":
        "Small rural branch, a 30-minute drive from Central. Seasonal farm workers (May to "
        "October), young parents and retired farmers. The bus runs twice a day; most people "
        "need a car or a ride."},
    {"name": "Books on the Go", "kind": "bookmobile", "catchment":
        "The bookmobile. Weekly stops at three seniors' buildings and the farm-worker housing "
        "site outside Millbrook; schedule set each season."},
]

FOCUS_COMMUNITIES = [
    {"name": EASTGATE_FAMILIES, "branches": ["Eastgate"], "status": "active",
     "languages": ["en", "ar", "prs", "ti"],
     "who": "Parents and children who arrived in the last five years, mostly from Syria, "
            "Afghanistan and Eritrea, living in the Eastgate towers.",
     "why_chosen": "Card sign-ups at Eastgate are the lowest in the system while the school "
                   "says half its families are new to Canada. Settlement workers asked us to "
                   "help with homework and forms.",
     "baseline_notes": "Catalytic stage: small groups are already starting things on their "
                       "own. We know the settlement agency and the school family room. 2021 "
                       "census: 38% of Eastgate residents are recent immigrants."},
    {"name": NORTHSIDE_ELDERS, "branches": ["Northside", "Books on the Go"], "status": "active",
     "languages": ["en", "fr"],
     "who": "People over 65 who live on their own in the Northside Towers and nearby streets.",
     "why_chosen": "The tenants' association told us some residents see no one for days in "
                   "winter. Northside branch visits by older adults dropped after the bus "
                   "route changed.",
     "baseline_notes": "Waiting place: people feel let down and are waiting for someone to "
                       "act. Strong tenants' association; St. Brendan's lunch draws about 60 "
                       "people. City seniors' survey (2023): 1 in 3 reports weekly loneliness."},
    {"name": MILLBROOK_WORKERS, "branches": ["Millbrook", "Books on the Go"], "status": "active",
     "languages": ["en", "es"],
     "who": "Farm workers who come each season, mostly Spanish-speaking, and the families "
            "who have settled in Millbrook year-round.",
     "why_chosen": "The branch closes before work ends, and staff rarely see workers inside. "
                   "The clinic nurse said families ask her for books in Spanish.",
     "baseline_notes": "Waiting place. No library cards in the co-op housing site last "
                       "season. We know the clinic and the co-op's HR person."},
    {"name": DOWNTOWN_YOUTH, "branches": ["Central"], "status": "exploring",
     "languages": ["en"],
     "who": "Teenagers who spend after-school hours downtown, in the mall food court, the "
            "Youth Hub and sometimes Central's reading room.",
     "why_chosen": "Staff and teens both describe tension at Central after school; the "
                   "Youth Hub asked whether we could work together.",
     "baseline_notes": "Impasse: things are stuck and trust is low on both sides. Youth Hub "
                       "counts about 45 teens a day in winter."},
]

ORGANIZATIONS = [
    {"name": "Eastgate Settlement Services", "asset_category": "institution",
     "area_served": "Eastgate and the east end", "languages": ["en", "fr", "ar", "prs", "ti"],
     "programs_services": "Settlement counselling, ESL referrals, help with forms and school "
                          "registration.",
     "gaps_barriers": "Families wait months for ESL. Children need homework help in their "
                      "home languages. Parents do not know what the library offers for free.",
     "shareable_resources": "Lobby table on Tuesday mornings; interpreters for events by "
                            "arrangement; meeting room in the evenings.",
     "staff_lead": AMIRA, "focus_communities": [EASTGATE_FAMILIES]},
    {"name": "Eastgate Elementary Family Room", "asset_category": "school",
     "area_served": "Eastgate school catchment", "languages": ["en", "ar", "prs"],
     "programs_services": "Parent coffee mornings on Tuesdays and Thursdays.",
     "gaps_barriers": "Parents struggle with the school's online portal and teacher messages.",
     "shareable_resources": "The family room itself, and time at coffee mornings.",
     "staff_lead": AMIRA, "focus_communities": [EASTGATE_FAMILIES]},
    {"name": "Horn of Africa Families Association", "asset_category": "association",
     "area_served": "Citywide, most families in Eastgate", "languages": ["ti", "en"],
     "programs_services": "Saturday language school teaching Tigrinya to children.",
     "gaps_barriers": "The borrowed church basement is cold and cramped.",
     "shareable_resources": "Volunteer teachers; parents who translate.",
     "staff_lead": AMIRA, "focus_communities": [EASTGATE_FAMILIES]},
    {"name": "Eastgate mosque women's circle", "kind": "informal_group",
     "asset_category": "association", "area_served": "Eastgate",
     "languages": ["ar", "prs", "en"],
     "programs_services": "Women meet after Friday prayers for tea and to share news.",
     "notes": "Nadia at settlement services offered to introduce us.",
     "staff_lead": AMIRA, "focus_communities": [EASTGATE_FAMILIES]},
    {"name": "Northside Tenants' Association", "asset_category": "association",
     "area_served": "Northside Towers A to D", "languages": ["en", "fr"],
     "programs_services": "Monthly meeting in the community room; advocacy with the housing "
                          "authority; phone tree in winter.",
     "gaps_barriers": "Elevator outages, forms now online only, phone scams.",
     "shareable_resources": "Community room; the phone tree; a newsletter slipped under doors.",
     "staff_lead": DANIEL, "focus_communities": [NORTHSIDE_ELDERS]},
    {"name": "St. Brendan's Thursday Lunch", "kind": "informal_group",
     "asset_category": "faith", "area_served": "Northside", "languages": ["en", "fr", "tl"],
     "programs_services": "Free hot lunch every Thursday, about 60 people, mostly older adults.",
     "gaps_barriers": "Getting there: no ride, and the bus stop has no bench.",
     "shareable_resources": "Hall and kitchen; volunteer drivers for a few people.",
     "staff_lead": DANIEL, "focus_communities": [NORTHSIDE_ELDERS]},
    {"name": "Riverbend Food Bank, Northside depot", "asset_category": "institution",
     "area_served": "Northside and Eastgate", "languages": ["en", "fr", "ar", "es"],
     "programs_services": "Food distribution on Wednesdays, 9 to 11 am.",
     "gaps_barriers": "Families come by bus from Eastgate and wait outdoors in all weather.",
     "shareable_resources": "Room for a table by the line.",
     "staff_lead": DANIEL, "focus_communities": [NORTHSIDE_ELDERS, EASTGATE_FAMILIES]},
    {"name": "Millbrook Growers' Co-op", "asset_category": "business",
     "area_served": "Millbrook and the farms around it", "languages": ["en", "es"],
     "programs_services": "Employs seasonal workers May to October; runs the housing site.",
     "gaps_barriers": "Workers finish at 6 pm and have no way into town in the evening.",
     "shareable_resources": "Notice board in the lunchroom; the HR person can share schedules.",
     "staff_lead": LUCIA, "focus_communities": [MILLBROOK_WORKERS]},
    {"name": "Millbrook Family Health Clinic", "asset_category": "institution",
     "area_served": "Millbrook and the rural townships", "languages": ["en", "es"],
     "programs_services": "Family doctor and nurse; a Spanish-speaking nurse on Tuesdays.",
     "gaps_barriers": "Parents cannot find children's health information they can read.",
     "shareable_resources": "Waiting room space for a book box.",
     "staff_lead": LUCIA, "focus_communities": [MILLBROOK_WORKERS]},
    {"name": "Harbour Street Drop-In", "asset_category": "institution",
     "area_served": "Downtown", "languages": ["en", "fr"],
     "programs_services": "Breakfast, showers, laundry, outreach workers.",
     "gaps_barriers": "Replacing lost ID takes forms, an address and a phone.",
     "shareable_resources": "Outreach workers who can introduce us.",
     "staff_lead": MARCUS, "focus_communities": []},
    {"name": "Civic Rec Centre Youth Hub", "asset_category": "government",
     "area_served": "Downtown", "languages": ["en"],
     "programs_services": "Drop-in for teens, 3 to 8 pm on weekdays: games, homework, snacks.",
     "gaps_barriers": "Full by 5 pm in winter; no quiet room.",
     "shareable_resources": "Music room with two laptops; youth workers.",
     "staff_lead": MARCUS, "focus_communities": [DOWNTOWN_YOUTH]},
    {"name": "Riverbend Adult Learning Centre", "asset_category": "institution",
     "area_served": "Citywide", "languages": ["en", "fr", "ar", "prs", "es", "tl"],
     "programs_services": "ESL classes and high-school upgrading.",
     "gaps_barriers": "Waitlist of 40 for ESL; no conversation practice outside class.",
     "shareable_resources": "Instructors' advice; a list of retired teachers who volunteer.",
     "staff_lead": AMIRA, "focus_communities": [EASTGATE_FAMILIES]},
]

#: Standing over time, per organization: (days ago, relationship status, engagement level, note).
#: The first step is where the organization started; later steps are changes.
STANDING = {
    "Eastgate Settlement Services": [
        (110, "contacted", "consulting", "Met the intake coordinator at the interagency meeting."),
        (45, "in_relationship", "engaging", "Tuesday lobby visits are now a regular thing."),
    ],
    "Eastgate Elementary Family Room": [
        (95, "contacted", "consulting", "The principal invited us to a coffee morning."),
    ],
    "Horn of Africa Families Association": [
        (80, "contacted", "consulting", "Introduced by a parent at the family room."),
        (20, "in_relationship", "engaging", "Agreed to try Saturday mornings in our program "
                                            "room with their own teachers."),
    ],
    "Eastgate mosque women's circle": [
        (35, "identified", "informing", "Heard about the circle from settlement services."),
    ],
    "Northside Tenants' Association": [
        (120, "in_relationship", "engaging", "We have known the president for years."),
    ],
    "St. Brendan's Thursday Lunch": [
        (60, "contacted", "consulting", "Called the parish office; welcome any Thursday."),
    ],
    "Riverbend Food Bank, Northside depot": [
        (300, "dormant", "informing", "The summer reading table at the depot stopped when "
                                      "the depot coordinator left."),
        (50, "contacted", "consulting", "New coordinator is happy for us to come to the line."),
    ],
    "Millbrook Growers' Co-op": [
        (70, "contacted", "informing", "Left posters with the HR person."),
    ],
    "Millbrook Family Health Clinic": [
        (55, "contacted", "consulting", "Lucía spoke with the Tuesday nurse."),
        (30, "in_relationship", "engaging", "Book box set up in the waiting room."),
    ],
    "Harbour Street Drop-In": [
        (40, "contacted", "consulting", "Outreach worker invited us to breakfast."),
    ],
    "Civic Rec Centre Youth Hub": [
        (35, "contacted", "consulting", "Hub coordinator asked us to come by."),
    ],
    "Riverbend Adult Learning Centre": [
        (45, "contacted", "consulting", "Emailed about the ESL waitlist."),
    ],
}

#: Contact people in their professional roles. `consented_on` counts days back from today.
CONTACTS = [
    {"name": "Nadia Karimi", "role": "Settlement worker",
     "organization": "Eastgate Settlement Services", "preferred_channel": "email",
     "channel_value": "nadia.karimi@eastgate-settlement.example", "languages": ["prs", "en"],
     "has_consented": True, "consented_on": 86, "consent_method": "verbal"},
    {"name": "Gloria Mensah", "role": "President",
     "organization": "Northside Tenants' Association", "preferred_channel": "phone",
     "channel_value": "555-0142", "languages": ["en", "fr"],
     "has_consented": True, "consented_on": 55, "consent_method": "signed",
     "notes": "Prefers a call in the morning; trusted by many residents."},
    {"name": "Rosa Jiménez", "role": "Nurse (Tuesdays)",
     "organization": "Millbrook Family Health Clinic", "preferred_channel": "in_person",
     "languages": ["es", "en"], "has_consented": True, "consented_on": 38,
     "consent_method": "verbal"},
    {"name": "Yonas Gebremedhin", "role": "Saturday school coordinator",
     "organization": "Horn of Africa Families Association", "preferred_channel": "text",
     "channel_value": "555-0187", "languages": ["ti", "en"],
     "has_consented": True, "consented_on": 73, "consent_method": "verbal"},
    {"name": "Helen Park", "role": "ESL instructor",
     "organization": "Riverbend Adult Learning Centre", "preferred_channel": "email",
     "channel_value": "hpark@adultlearning.example", "languages": ["en"],
     "has_consented": True, "consented_on": 20, "consent_method": "email"},
    {"name": "Paul Desrosiers", "role": "Youth Hub coordinator",
     "organization": "Civic Rec Centre Youth Hub", "languages": ["en", "fr"],
     "notes": "Name passed on by the Rec Centre front desk. We have not yet asked whether we "
              "may keep his details; reach him through the Hub."},
]

SPACES = [
    {"name": "Lavender Laundromat", "kind": "laundromat",
     "area": "Eastgate, Lavender Road at Birch Street",
     "when_people_gather": "Saturday mornings, 9 am to noon",
     "who_is_there": "Mothers with young children, some grandmothers; Arabic, Dari and "
                     "Tigrinya spoken.",
     "accessibility_notes": "Step-free entrance; chairs by the window. Dryers are loud, so "
                            "talk near the door.",
     "focus_communities": [EASTGATE_FAMILIES]},
    {"name": "Northside Tower B lobby", "kind": "housing_lobby",
     "area": "Northside Towers, 40 Marlowe Court",
     "when_people_gather": "Weekdays around 11 am, after the mail comes",
     "who_is_there": "Older residents, many living alone; a few stay and chat for an hour.",
     "accessibility_notes": "Two benches, good light. Elevators often out of service.",
     "focus_communities": [NORTHSIDE_ELDERS]},
    {"name": "Millbrook General Store porch", "kind": "market",
     "area": "Millbrook, Main Street by the grain elevator",
     "when_people_gather": "Weekdays 12 to 1 pm, May to October",
     "who_is_there": "Farm workers buying lunch and phone top-ups, mostly Spanish-speaking.",
     "accessibility_notes": "Covered porch with one bench; gravel lot, no sidewalk.",
     "focus_communities": [MILLBROOK_WORKERS]},
    {"name": "Food bank line, Northside depot", "kind": "food_bank",
     "area": "Northside, 12 Hollis Street",
     "organization": "Riverbend Food Bank, Northside depot",
     "when_people_gather": "Wednesdays 9 to 11 am; the line starts at 8:30",
     "who_is_there": "Families and older adults; some come from Eastgate by bus.",
     "accessibility_notes": "Outdoors, no shelter from rain; people may not want to be seen "
                            "talking there, so ask before starting.",
     "focus_communities": [NORTHSIDE_ELDERS, EASTGATE_FAMILIES]},
    {"name": "Central Mall food court", "kind": "cafe",
     "area": "Downtown, lower level of Central Mall",
     "when_people_gather": "Weekdays 3:30 to 6 pm",
     "who_is_there": "Teens after school, in groups of 4 to 10.",
     "accessibility_notes": "Elevator and escalator; mall security asks groups to move on "
                            "after 6 pm.",
     "focus_communities": [DOWNTOWN_YOUTH]},
]
