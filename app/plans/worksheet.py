"""The success-definition worksheet: "How will we know this worked for us?" on paper.

An action group defines success before the plan starts (DOMAIN, stage 3). The worksheet is
what it writes on at that meeting: the plan's goal and the themes it answers for reference,
the signs of success already written down (to keep, change or drop), and blank boxes that ask,
in plain words, for what the plan's success indicators record. Staff then type what the group
agreed into the plan, field for field, and note the meeting where it was agreed. It is printed
for the public: no names, and theme counts under 5 are hidden.
"""

from dataclasses import dataclass

from app.documents.audience import Audience
from app.plans.document import (
    IndicatorEntry,
    ThemeEntry,
    indicator_entry,
    indicator_order,
    theme_entries,
)
from app.plans.models import IndicatorKind, IndicatorLevel, Plan

#: Blank boxes for new signs of success; fewer once some are written down.
BLANK_BOXES = 3
BLANK_BOXES_WITH_INDICATORS = 2

#: Each kind of indicator, as the group would say it.
KIND_PROMPTS = {
    IndicatorKind.STORY: "A story someone tells us",
    IndicatorKind.COUNT: "Something we count",
    IndicatorKind.SURVEY_OUTCOME: "What people tell us in a short survey",
    IndicatorKind.OBSERVATION: "Something we see happen",
    IndicatorKind.MILESTONE: "A step we reach",
}
#: Each level, as when the sign would show.
LEVEL_PROMPTS = {
    IndicatorLevel.OUTPUT: "What we did: sessions held, people who came",
    IndicatorLevel.SHORT_TERM: "Soon after: what people learn or feel",
    IndicatorLevel.INTERMEDIATE: "Later: what people do differently",
    IndicatorLevel.LONG_TERM: "In the long run: what changes for the community",
}


@dataclass(frozen=True)
class SuccessWorksheet:
    group: str
    focus_community: str
    goal: str
    themes: list[ThemeEntry]
    written: list[IndicatorEntry]
    blank_boxes: int
    kinds: list[str]
    levels: list[str]


def success_worksheet(plan: Plan) -> SuccessWorksheet:
    """Return the worksheet of `plan`, as printed for the public."""
    written = [indicator_entry(indicator)
               for indicator in sorted(plan.indicators, key=indicator_order)]
    return SuccessWorksheet(
        group=plan.action_group.name if plan.action_group else "",
        focus_community=plan.focus_community.name if plan.focus_community else "",
        goal=plan.goal, themes=theme_entries(plan, Audience.PUBLIC), written=written,
        blank_boxes=BLANK_BOXES_WITH_INDICATORS if written else BLANK_BOXES,
        kinds=[KIND_PROMPTS[kind] for kind in IndicatorKind],
        levels=[LEVEL_PROMPTS[level] for level in IndicatorLevel])
