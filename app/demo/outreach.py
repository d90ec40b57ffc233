"""The Riverbend outreach log, all invented: conversations over the last three months, typed
the way community librarians type them, with quotes and the follow-ups they promised.

`happened_on` is (days ago, weekday): the conversation falls on that weekday on or before the
day so many days back. A follow-up is (owner, due in days from today, done how many days ago or
None, what was promised); a negative due date is in the past.
"""

from calendar import FRIDAY, MONDAY, SATURDAY, THURSDAY, TUESDAY, WEDNESDAY
from datetime import time

from app.demo.riverbend import (
    ADMIN,
    AMIRA,
    DANIEL,
    DOWNTOWN_YOUTH,
    EASTGATE_FAMILIES,
    LUCIA,
    MARCUS,
    MILLBROOK_WORKERS,
    NORTHSIDE_ELDERS,
)

CONVERSATIONS = [
    {"happened_on": (86, TUESDAY), "happened_at": time(10), "logged_by": AMIRA,
     "branch": "Eastgate", "focus_community": EASTGATE_FAMILIES,
     "place_organization": "Eastgate Settlement Services",
     "organizations": ["Eastgate Settlement Services"], "contacts": ["Nadia Karimi"],
     "who_description": "about 5 mums waiting for appointments", "headcount": 5,
     "kind": "drop_in_visit", "purpose": "listening", "languages": ["ar", "en"], "stage": "1",
     "notes": "Sat with the mums in the lobby while they waited. None knew a library card is "
              "free. Two thought kids' books cost money if they come back late; fines stopped "
              "two years ago but word hasn't reached them. They want a place where kids do "
              "homework with someone who can explain in Arabic. Nadia translated a bit.",
     "quotes": [{"text": "Nobody told us the card is free.", "is_public": True},
                {"text": "My son needs someone who can explain the homework in Arabic, "
                         "not only in English.",
                 "attribution": "role", "attributed_to": "a mother of two"}],
     "follow_ups": [(AMIRA, -79, 80, "Bring library card forms in Arabic next Tuesday"),
                    (AMIRA, -12, None, "Ask Nadia whether settlement workers could co-host "
                                       "a card sign-up morning in the lobby")]},
    {"happened_on": (80, THURSDAY), "happened_at": time(9), "logged_by": AMIRA,
     "branch": "Eastgate", "focus_community": EASTGATE_FAMILIES,
     "place_organization": "Eastgate Elementary Family Room",
     "organizations": ["Eastgate Elementary Family Room"],
     "who_description": "parents at the coffee morning", "headcount": 11,
     "kind": "group_conversation", "purpose": "relationship",
     "languages": ["en", "ar", "prs"], "stage": "1",
     "notes": "Coffee morning. Parents asked about help with the school's online portal: "
              "passwords, messages from teachers they can't find. One dad asked for "
              "driving-test practice books in Dari. Principal dropped in and said we're "
              "welcome every week.",
     "follow_ups": [(AMIRA, -6, None, "Find driving-test practice books in Dari; order some "
                                      "if we have none"),
                    (AMIRA, -2, None, "Ask the school about a portal help evening at the "
                                      "branch")]},
    {"happened_on": (73, SATURDAY), "happened_at": time(10, 30), "logged_by": AMIRA,
     "branch": "Eastgate", "focus_community": EASTGATE_FAMILIES,
     "place_text": "St. Mark's church basement, Birch Street",
     "organizations": ["Horn of Africa Families Association"],
     "contacts": ["Yonas Gebremedhin"], "who_description": "volunteer teachers and parents",
     "headcount": 6, "kind": "group_conversation", "purpose": "relationship",
     "languages": ["ti", "en"], "stage": "1",
     "notes": "Saturday school. Volunteers teach Tigrinya to about 25 kids in a borrowed "
              "church basement that's cold and cramped. They asked if the library room is "
              "free on Saturday mornings. They'd bring their own teachers.",
     "quotes": [{"text": "Our children should not learn their language in a cold basement.",
                 "attribution": "role", "attributed_to": "a volunteer teacher",
                 "is_public": True}],
     "follow_ups": [(AMIRA, -55, 58, "Check whether the Eastgate program room is free on "
                                     "Saturday mornings and tell Yonas"),
                    (AMIRA, 4, None, "Walk Yonas through the room booking before the "
                                     "first Saturday")]},
    {"happened_on": (66, SATURDAY), "happened_at": time(10), "logged_by": AMIRA,
     "branch": "Eastgate", "focus_community": EASTGATE_FAMILIES,
     "space": "Lavender Laundromat", "who_description": "women waiting for their laundry",
     "headcount": 4, "kind": "drop_in_visit", "purpose": "listening",
     "languages": ["en", "ar"], "stage": "1",
     "notes": "Handed out nothing; just chatted. One woman said the library is for students. "
              "Her English class is full and she's on a waitlist. Others nodded.",
     "quotes": [{"text": "The library is for students, not for people like me.",
                 "is_public": True}],
     "follow_ups": [(AMIRA, -50, 45, "Ask the Adult Learning Centre how the ESL waitlist "
                                     "works and whether there is conversation practice")]},
    {"happened_on": (62, MONDAY), "happened_at": time(11), "logged_by": DANIEL,
     "branch": "Books on the Go", "focus_community": NORTHSIDE_ELDERS,
     "space": "Northside Tower B lobby", "who_description": "three older men after the mail",
     "headcount": 3, "kind": "drop_in_visit", "purpose": "listening", "languages": ["en"],
     "stage": "1",
     "notes": "Bookmobile parked outside Tower B, so I went into the lobby. Three older men "
              "said winter is long and they see no one some days. One used to fix radios and "
              "would happily show others. None use email; one has a tablet from his son he "
              "can't set up.",
     "quotes": [{"text": "Some days in winter I don't say a word to anybody.",
                 "attribution": "role", "attributed_to": "a resident of Tower B"}],
     "follow_ups": [(DANIEL, -40, 41, "Ask IT whether a volunteer can help residents set "
                                      "up tablets"),
                    (DANIEL, 10, None, "Ask the radio repairer whether he'd lead a fix-it "
                                       "afternoon")]},
    {"happened_on": (55, WEDNESDAY), "happened_at": time(18, 30), "logged_by": DANIEL,
     "branch": "Northside", "focus_community": NORTHSIDE_ELDERS,
     "place_text": "Community room, Northside Towers",
     "organizations": ["Northside Tenants' Association"], "contacts": ["Gloria Mensah"],
     "who_description": "tenants at the monthly meeting", "headcount": 22,
     "kind": "group_conversation", "purpose": "listening", "languages": ["en", "fr"],
     "stage": "1",
     "notes": "Tenants' association meeting, 15 minutes on the agenda. Main worries: elevator "
              "outages, rent subsidy forms now online only, fear of scams by phone. They "
              "trust Gloria and the nurse who visits monthly, not \"the city\".",
     "quotes": [{"text": "We trust Gloria and the nurse. We don't trust the city.",
                 "attribution": "role", "attributed_to": "a tenant at the meeting"}],
     "follow_ups": [(DANIEL, -3, None, "Find a scam-awareness speaker who will come with "
                                       "the tenants' association"),
                    (DANIEL, -45, 47, "Print the rent subsidy form steps in large print")]},
    {"happened_on": (48, THURSDAY), "happened_at": time(12), "logged_by": DANIEL,
     "branch": "Northside", "focus_community": NORTHSIDE_ELDERS,
     "place_organization": "St. Brendan's Thursday Lunch",
     "organizations": ["St. Brendan's Thursday Lunch"], "headcount": 60,
     "who_description": "people at lunch, table by table",
     "kind": "event_table", "purpose": "listening", "languages": ["en", "fr", "tl"],
     "stage": "1",
     "notes": "Went table to table. Many would come to things if there were a ride; the bus "
              "stop has no bench. Large-print books wanted. Several asked whether the "
              "bookmobile could stop on Thursdays.",
     "quotes": [{"text": "If there was a ride, I'd be there every week.",
                 "attribution": "role", "attributed_to": "a regular at the Thursday lunch",
                 "is_public": True}],
     "follow_ups": [(DANIEL, -34, 36, "Ask the Books on the Go team about a Thursday stop "
                                      "at St. Brendan's")]},
    {"happened_on": (41, FRIDAY), "happened_at": time(12, 15), "logged_by": LUCIA,
     "branch": "Millbrook", "focus_community": MILLBROOK_WORKERS,
     "space": "Millbrook General Store porch", "who_description": "farm workers on lunch",
     "headcount": 7, "kind": "drop_in_visit", "purpose": "listening", "languages": ["es"],
     "stage": "1",
     "notes": "Workers say they finish at 6 pm and the branch closes at 6 pm. Want to send "
              "money home safely and learn English for work safety words. Worried about "
              "giving their address on forms.",
     "quotes": [{"text": "We finish at six, you close at six.", "attribution": "first_name",
                 "attributed_to": "Mateo", "has_name_consent": True, "is_public": True}],
     "follow_ups": [(LUCIA, -30, 32, "Find out what a card needs without proof of address"),
                    (ADMIN, 14, None, "Decide whether Millbrook can open until 8 pm one "
                                      "evening a week in season")]},
    {"happened_on": (38, TUESDAY), "happened_at": time(14), "logged_by": LUCIA,
     "branch": "Millbrook", "focus_community": MILLBROOK_WORKERS,
     "place_organization": "Millbrook Family Health Clinic",
     "organizations": ["Millbrook Family Health Clinic"], "contacts": ["Rosa Jiménez"],
     "headcount": 1, "kind": "one_to_one", "purpose": "relationship",
     "languages": ["es", "en"], "stage": "1",
     "notes": "Rosa says parents ask for picture books in Spanish and for children's health "
              "information they can read. She offered her waiting room for a book box.",
     "quotes": [{"text": "Parents ask me for picture books in Spanish every week.",
                 "attribution": "role", "attributed_to": "the clinic's Tuesday nurse"}],
     "follow_ups": [(LUCIA, -30, 31, "Put a box of 30 Spanish and bilingual picture books "
                                     "in the clinic waiting room")]},
    {"happened_on": (33, MONDAY), "happened_at": time(8), "logged_by": MARCUS,
     "branch": "Central", "place_organization": "Harbour Street Drop-In",
     "organizations": ["Harbour Street Drop-In"], "who_description": "people at breakfast",
     "headcount": 9, "kind": "drop_in_visit", "purpose": "listening",
     "languages": ["en", "fr"], "stage": "1", "is_sensitive": True,
     "notes": "Breakfast with the outreach worker. People need phone charging, a quiet "
              "place, help with ID replacement forms. Some were asked to leave Central for "
              "sleeping and feel unwelcome.",
     "quotes": [{"text": "I got asked to leave for falling asleep. I don't go back."}],
     "follow_ups": [(MARCUS, -26, 27, "Bring the ID replacement guide and a list of places "
                                      "to charge phones"),
                    (ADMIN, -5, None, "Review how Central staff respond to people sleeping "
                                      "in the reading room")]},
    {"happened_on": (27, WEDNESDAY), "happened_at": time(16), "logged_by": MARCUS,
     "branch": "Central", "focus_community": DOWNTOWN_YOUTH,
     "place_organization": "Civic Rec Centre Youth Hub",
     "organizations": ["Civic Rec Centre Youth Hub"], "who_description": "teens playing pool",
     "headcount": 8, "kind": "group_conversation", "purpose": "listening",
     "languages": ["en"], "stage": "1",
     "notes": "Teens want somewhere warm with Wi-Fi and no one \"watching\" them. Interested "
              "in music production and help with job applications for summer work. Say the "
              "security guard at Central follows them around.",
     "quotes": [{"text": "Somewhere warm with Wi-Fi where nobody's watching us.",
                 "is_public": True}],
     "follow_ups": [(MARCUS, -15, None, "Talk to Central's security lead about how teens "
                                        "are followed")]},
    {"happened_on": (20, TUESDAY), "happened_at": time(14), "logged_by": AMIRA,
     "branch": "Eastgate", "focus_community": EASTGATE_FAMILIES,
     "place_organization": "Riverbend Adult Learning Centre",
     "organizations": ["Riverbend Adult Learning Centre"], "contacts": ["Helen Park"],
     "headcount": 1, "kind": "agency_meeting", "purpose": "planning", "languages": ["en"],
     "stage": "2",
     "notes": "Met Helen, ESL instructor. Waitlist of 40 for ESL; conversation practice is "
              "the gap. Several retired teachers in the area might volunteer to run "
              "conversation circles at the branch.",
     "quotes": [{"text": "They learn the grammar here; what they never get is someone to "
                         "talk to.", "attribution": "role", "attributed_to": "an ESL instructor"}],
     "follow_ups": [(AMIRA, -9, None, "Send Helen the conversation circle outline and the "
                                      "volunteer sign-up sheet"),
                    (AMIRA, 20, None, "Ask the retired teachers' association for volunteers")]},
    {"happened_on": (13, SATURDAY), "happened_at": time(11), "logged_by": MARCUS,
     "branch": "Central", "place_text": "Central branch front steps",
     "who_description": "passers-by, anonymous", "headcount": 8, "kind": "event_table",
     "purpose": "listening", "languages": ["en", "fr"], "stage": "2",
     "notes": "Ask exercise with a whiteboard: \"What kind of community do you want?\" "
              "Aspirations heard: neighbours who know each other, safe streets for kids, "
              "jobs that use people's skills.",
     "quotes": [{"text": "A town where neighbours know each other.", "is_public": True},
                {"text": "Safe for my kids to walk.", "is_public": True},
                {"text": "Jobs that use my skills.", "is_public": True}]},
    {"happened_on": (8, THURSDAY), "happened_at": time(16, 30), "logged_by": MARCUS,
     "branch": "Central", "focus_community": DOWNTOWN_YOUTH,
     "place_organization": "Civic Rec Centre Youth Hub",
     "organizations": ["Civic Rec Centre Youth Hub"], "contacts": ["Paul Desrosiers"],
     "who_description": "teens in the music room", "headcount": 6,
     "kind": "group_conversation", "purpose": "follow_up", "languages": ["en"],
     "stage": "2",
     "notes": "Follow-up visit. Took the music production idea back to the Hub. Paul offered "
              "the music room for a beat-making afternoon if we bring the software. Teens "
              "said they'd come as long as it's at the Hub, not Central. Two asked for help "
              "with resumes before summer job deadlines.",
     "follow_ups": [(MARCUS, 6, None, "Draft a summer-jobs resume drop-in with Paul")]},
    {"happened_on": (4, TUESDAY), "happened_at": time(10), "logged_by": LUCIA,
     "branch": "Millbrook", "focus_community": MILLBROOK_WORKERS,
     "place_organization": "Millbrook Family Health Clinic",
     "organizations": ["Millbrook Family Health Clinic"], "contacts": ["Rosa Jiménez"],
     "who_description": "Rosa and two mothers in the waiting room", "headcount": 3,
     "kind": "drop_in_visit", "purpose": "follow_up", "languages": ["es", "en"],
     "stage": "4",
     "notes": "Book box check, a few weeks in. 21 of 30 books out, 9 came back. Rosa says "
              "bilingual bedtime stories go first. One mum asked whether she can get a card "
              "without a lease; told her yes, with a letter from the co-op.",
     "quotes": [{"text": "My daughter reads them to me now, in English.",
                 "attribution": "role", "attributed_to": "a mother at the clinic"}],
     "follow_ups": [(LUCIA, 2, None, "Restock the clinic box with bilingual bedtime "
                                     "stories")]},
]
