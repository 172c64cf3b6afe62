"""The deadline rules as data: how long, counted from what, who must act, and the source.

Every figure comes from ../shared/DOMAIN.md with its citation. Nothing here is a silent constant:
the case view lists the rules a case uses, and the user can override any of them for one case
("my letter says 60 days"). A date printed on a notice wins over all of them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.records import AppealRules


class Unit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    MONTHS = "months"

    def label(self, amount: int) -> str:
        singular = {Unit.HOURS: "hour", Unit.DAYS: "day", Unit.MONTHS: "month"}[self]
        return f"{amount} {singular}{'' if amount == 1 else 's'}"


class Party(StrEnum):
    """Who must act by the date."""

    YOU = "you"  # file, answer, follow up
    INSURER = "insurer"  # decide (or the external reviewer)


class Anchor(StrEnum):
    """The day a period is counted from."""

    EVENT_DATE = "event_date"  # the day of the filing or the notice
    RECEIVED = "received"  # the day the notice arrived; the notice's date when not entered
    # the notice's date + 5 days (Medicare), or an earlier day of arrival the user noted
    PRESUMED_RECEIVED = "presumed_received"


# Original Medicare presumes a notice arrives 5 days after its date (42 CFR 405.902 "date of
# receipt"); the user would need proof to count from a later day. An earlier day of arrival the
# user noted is used instead (the safer date). The same presumption applies to a Medicare
# Advantage case's requests to the judge, the Council and the court (42 CFR 422.602 → 405.1002).
MEDICARE_PRESUMED_MAIL_DAYS = 5
# The day CMS-0057-F's shorter Medicare Advantage prior-authorization timeframe took effect.
MA_SEVEN_DAY_RULE_FROM = dt.date(2026, 1, 1)


class RuleKey(StrEnum):
    """Every rule has a stable key: per-case overrides and data files store it."""

    # Employer (ERISA) and ACA plans
    ERISA_DECISION_URGENT = "erisa_decision_urgent"
    ERISA_DECISION_PRE_SERVICE = "erisa_decision_pre_service"
    ERISA_DECISION_POST_SERVICE = "erisa_decision_post_service"
    ERISA_INFO_RESPONSE = "erisa_info_response"
    ERISA_APPEAL_FILING = "erisa_appeal_filing"
    ERISA_APPEAL_DECISION_URGENT = "erisa_appeal_decision_urgent"
    ERISA_APPEAL_DECISION_PRE_SERVICE = "erisa_appeal_decision_pre_service"
    ERISA_APPEAL_DECISION_POST_SERVICE = "erisa_appeal_decision_post_service"
    # A plan with two internal appeal levels: each level gets half the time.
    ERISA_APPEAL_DECISION_PRE_SERVICE_LEVEL_2 = "erisa_appeal_decision_pre_service_level_2"
    ERISA_APPEAL_DECISION_POST_SERVICE_LEVEL_2 = "erisa_appeal_decision_post_service_level_2"
    EXTERNAL_REVIEW_FILING = "external_review_filing"
    EXTERNAL_REVIEW_DECISION = "external_review_decision"
    EXTERNAL_REVIEW_DECISION_EXPEDITED = "external_review_decision_expedited"
    # Original Medicare (the judge, Council and court also follow a Medicare Advantage plan's
    # Independent Review Entity)
    MEDICARE_REDETERMINATION_FILING = "medicare_redetermination_filing"
    MEDICARE_REDETERMINATION_DECISION = "medicare_redetermination_decision"
    MEDICARE_RECONSIDERATION_FILING = "medicare_reconsideration_filing"
    MEDICARE_RECONSIDERATION_DECISION = "medicare_reconsideration_decision"
    MEDICARE_ALJ_FILING = "medicare_alj_filing"
    MEDICARE_COUNCIL_FILING = "medicare_council_filing"
    MEDICARE_COURT_FILING = "medicare_court_filing"
    # Medicare Advantage
    MA_DECISION_EXPEDITED = "ma_decision_expedited"
    MA_DECISION_STANDARD = "ma_decision_standard"
    MA_DECISION_STANDARD_BEFORE_2026 = "ma_decision_standard_before_2026"
    MA_RECONSIDERATION_FILING = "ma_reconsideration_filing"
    MA_RECONSIDERATION_DECISION_EXPEDITED = "ma_reconsideration_decision_expedited"
    MA_RECONSIDERATION_DECISION_PRE_SERVICE = "ma_reconsideration_decision_pre_service"
    MA_RECONSIDERATION_DECISION_PAYMENT = "ma_reconsideration_decision_payment"
    # Medicaid managed care
    MEDICAID_DECISION_EXPEDITED = "medicaid_decision_expedited"
    MEDICAID_DECISION_STANDARD = "medicaid_decision_standard"
    MEDICAID_APPEAL_FILING = "medicaid_appeal_filing"
    MEDICAID_APPEAL_DECISION_STANDARD = "medicaid_appeal_decision_standard"
    MEDICAID_APPEAL_DECISION_EXPEDITED = "medicaid_appeal_decision_expedited"
    MEDICAID_FAIR_HEARING_FILING = "medicaid_fair_hearing_filing"
    # Any plan
    AUTHORIZATION_EXPIRY = "authorization_expiry"
    CALL_FOLLOW_UP = "call_follow_up"


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """One default period.

    Args:
        key: stable identifier.
        families: the plan families it applies to (empty: every plan).
        what: what must happen by the date, in plain words ("File your first appeal").
        amount, unit: the period ("180 days"); None for rules whose date is on a record
            (an approval's expiry, a call's follow-up date).
        anchor: what the period is counted from.
        party: who must act.
        source: where the figure comes from, shown beside every date it makes.
        note: a caveat shown with the rule ("some states allow 60 days to 6 months").
    """

    key: RuleKey
    families: frozenset[AppealRules]
    what: str
    amount: int | None
    unit: Unit
    anchor: Anchor
    party: Party
    source: str
    note: str = ""

    @property
    def period(self) -> str:
        """ "180 days" (or "" for a date taken from a record)."""
        return self.unit.label(self.amount) if self.amount is not None else ""


_ERISA = frozenset({AppealRules.ERISA_ACA})
_MEDICARE = frozenset({AppealRules.ORIGINAL_MEDICARE})
_MA = frozenset({AppealRules.MEDICARE_ADVANTAGE})
# After the Independent Review Entity, a Medicare Advantage appeal joins Original Medicare's
# levels 3 to 5 (42 CFR 422.602, 422.608, 422.612).
_MEDICARE_AND_MA = _MEDICARE | _MA
_MA_SOURCE = "(Medicare Advantage, after the Independent Review Entity)"
_MEDICAID = frozenset({AppealRules.MEDICAID})
_ANY: frozenset[AppealRules] = frozenset()
_ERISA_SOURCE = "ERISA claims rule, 29 CFR 2560.503-1"
_ACA_SOURCE = "45 CFR 147.136(b) (ACA plans)"


def _rule(
    key: RuleKey,
    families: frozenset[AppealRules],
    what: str,
    amount: int | None,
    unit: Unit,
    anchor: Anchor,
    party: Party,
    source: str,
    note: str = "",
) -> DeadlineRule:
    return DeadlineRule(key, families, what, amount, unit, anchor, party, source, note)


RULES: dict[RuleKey, DeadlineRule] = {
    rule.key: rule
    for rule in (
        # -- employer and ACA plans ------------------------------------------------------
        _rule(
            RuleKey.ERISA_DECISION_URGENT,
            _ERISA,
            "The plan decides an urgent request",
            72,
            Unit.HOURS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            f"{_ERISA_SOURCE}(f)(2)(i)",
        ),
        _rule(
            RuleKey.ERISA_DECISION_PRE_SERVICE,
            _ERISA,
            "The plan decides the preauthorization",
            15,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            f"{_ERISA_SOURCE}(f)(2)(iii)(A)",
            "The plan may take one 15-day extension if it tells you why before the end.",
        ),
        _rule(
            RuleKey.ERISA_DECISION_POST_SERVICE,
            _ERISA,
            "The plan decides the claim",
            30,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            f"{_ERISA_SOURCE}(f)(2)(iii)(B)",
        ),
        _rule(
            RuleKey.ERISA_INFO_RESPONSE,
            _ERISA,
            "Send the information the plan asked for",
            45,
            Unit.DAYS,
            Anchor.RECEIVED,
            Party.YOU,
            f"{_ERISA_SOURCE}(f)(2)(iii)(A); (f)(4)",
            "The plan's clock stops until you answer; answering sooner gets a decision sooner.",
        ),
        _rule(
            RuleKey.ERISA_APPEAL_FILING,
            _ERISA,
            "File your appeal",
            180,
            Unit.DAYS,
            Anchor.RECEIVED,
            Party.YOU,
            f"29 CFR 2560.503-1(h)(3)(i); {_ACA_SOURCE}",
            "Counted from the day you received the denial. If you did not note that day, "
            "BackLog counts from the date on the letter, which is never later.",
        ),
        _rule(
            RuleKey.ERISA_APPEAL_DECISION_URGENT,
            _ERISA,
            "The plan decides the urgent appeal",
            72,
            Unit.HOURS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            f"{_ERISA_SOURCE}(i)(2)(i)",
        ),
        _rule(
            RuleKey.ERISA_APPEAL_DECISION_PRE_SERVICE,
            _ERISA,
            "The plan decides the appeal",
            30,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            f"{_ERISA_SOURCE}(i)(2)(ii)",
            "With two appeal levels, each level gets 15 days (the level 2 rule).",
        ),
        _rule(
            RuleKey.ERISA_APPEAL_DECISION_POST_SERVICE,
            _ERISA,
            "The plan decides the claim appeal",
            60,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            f"{_ERISA_SOURCE}(i)(2)(iii)",
            "With two appeal levels, each level gets 30 days (the level 2 rule).",
        ),
        _rule(
            RuleKey.ERISA_APPEAL_DECISION_PRE_SERVICE_LEVEL_2,
            _ERISA,
            "The plan decides the appeal",
            15,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            f"{_ERISA_SOURCE}(i)(2)(ii)",
            "Used for a level 2 appeal: plans with two appeal levels get half the time for "
            "each level.",
        ),
        _rule(
            RuleKey.ERISA_APPEAL_DECISION_POST_SERVICE_LEVEL_2,
            _ERISA,
            "The plan decides the claim appeal",
            30,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            f"{_ERISA_SOURCE}(i)(2)(iii)",
            "Used for a level 2 appeal: plans with two appeal levels get half the time for "
            "each level.",
        ),
        _rule(
            RuleKey.EXTERNAL_REVIEW_FILING,
            _ERISA,
            "Ask for an external review",
            4,
            Unit.MONTHS,
            Anchor.RECEIVED,
            Party.YOU,
            "45 CFR 147.136(d) — federal external review process",
            "Counted from the final internal denial. Some state processes allow "
            "60 days to 6 months: your denial letter says which applies.",
        ),
        _rule(
            RuleKey.EXTERNAL_REVIEW_DECISION,
            _ERISA,
            "The external reviewer decides",
            45,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "45 CFR 147.136(d)(2) — federal external review process",
        ),
        _rule(
            RuleKey.EXTERNAL_REVIEW_DECISION_EXPEDITED,
            _ERISA,
            "The external reviewer decides the expedited review",
            72,
            Unit.HOURS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "45 CFR 147.136(d)(3) — federal external review process",
        ),
        # -- Original Medicare -------------------------------------------------------------
        _rule(
            RuleKey.MEDICARE_REDETERMINATION_FILING,
            _MEDICARE,
            "Ask for a redetermination (level 1 appeal)",
            120,
            Unit.DAYS,
            Anchor.PRESUMED_RECEIVED,
            Party.YOU,
            "42 CFR 405.942(a)",
            "Medicare presumes the notice reached you 5 days after its date.",
        ),
        _rule(
            RuleKey.MEDICARE_REDETERMINATION_DECISION,
            _MEDICARE,
            "The Medicare contractor decides the redetermination",
            60,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 405.950(a)",
        ),
        _rule(
            RuleKey.MEDICARE_RECONSIDERATION_FILING,
            _MEDICARE,
            "Ask for a reconsideration (level 2 appeal)",
            180,
            Unit.DAYS,
            Anchor.PRESUMED_RECEIVED,
            Party.YOU,
            "42 CFR 405.962(a)",
            "Medicare presumes the notice reached you 5 days after its date.",
        ),
        _rule(
            RuleKey.MEDICARE_RECONSIDERATION_DECISION,
            _MEDICARE,
            "The Qualified Independent Contractor decides the reconsideration",
            60,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 405.970(a)",
        ),
        _rule(
            RuleKey.MEDICARE_ALJ_FILING,
            _MEDICARE_AND_MA,
            "Ask for an Administrative Law Judge hearing (level 3)",
            60,
            Unit.DAYS,
            Anchor.PRESUMED_RECEIVED,
            Party.YOU,
            f"42 CFR 405.1002(a); 42 CFR 422.602(b) {_MA_SOURCE}",
            "Only when the amount in dispute is at least $190 (2025 figure).",
        ),
        _rule(
            RuleKey.MEDICARE_COUNCIL_FILING,
            _MEDICARE_AND_MA,
            "Ask the Medicare Appeals Council to review (level 4)",
            60,
            Unit.DAYS,
            Anchor.PRESUMED_RECEIVED,
            Party.YOU,
            f"42 CFR 405.1102(a); 42 CFR 422.608 {_MA_SOURCE}",
        ),
        _rule(
            RuleKey.MEDICARE_COURT_FILING,
            _MEDICARE_AND_MA,
            "File in federal district court (level 5)",
            60,
            Unit.DAYS,
            Anchor.PRESUMED_RECEIVED,
            Party.YOU,
            f"42 CFR 405.1130; 42 CFR 422.612 {_MA_SOURCE}",
            "Only when the amount in dispute is at least $1,900 (2025 figure).",
        ),
        # -- Medicare Advantage ---------------------------------------------------------------
        _rule(
            RuleKey.MA_DECISION_EXPEDITED,
            _MA,
            "The plan decides the expedited request",
            72,
            Unit.HOURS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 422.572(a); CMS-0057-F",
        ),
        _rule(
            RuleKey.MA_DECISION_STANDARD,
            _MA,
            "The plan decides the prior authorization",
            7,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 422.568(b); CMS-0057-F (from 1 Jan 2026)",
            "For requests submitted from 1 Jan 2026 (earlier ones: 14 days). A denial must give "
            "a specific reason.",
        ),
        _rule(
            RuleKey.MA_DECISION_STANDARD_BEFORE_2026,
            _MA,
            "The plan decides the prior authorization",
            14,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 422.568(b) (before CMS-0057-F)",
            "For requests submitted before 1 Jan 2026.",
        ),
        _rule(
            RuleKey.MA_RECONSIDERATION_FILING,
            _MA,
            "Ask the plan for a reconsideration (appeal)",
            65,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.YOU,
            "42 CFR 422.582(b)",
            "Counted from the date on the notice. Some older pages still say 60 days.",
        ),
        _rule(
            RuleKey.MA_RECONSIDERATION_DECISION_EXPEDITED,
            _MA,
            "The plan decides the expedited reconsideration",
            72,
            Unit.HOURS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 422.590(e)",
        ),
        _rule(
            RuleKey.MA_RECONSIDERATION_DECISION_PRE_SERVICE,
            _MA,
            "The plan decides the reconsideration",
            30,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 422.590(a)",
            "If the plan upholds its denial, it must send the case to the Independent Review "
            "Entity itself.",
        ),
        _rule(
            RuleKey.MA_RECONSIDERATION_DECISION_PAYMENT,
            _MA,
            "The plan decides the payment reconsideration",
            60,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 422.590(b)",
        ),
        # -- Medicaid managed care -------------------------------------------------------------
        _rule(
            RuleKey.MEDICAID_DECISION_EXPEDITED,
            _MEDICAID,
            "The plan decides the expedited request",
            72,
            Unit.HOURS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 438.210(d)(2)",
        ),
        _rule(
            RuleKey.MEDICAID_DECISION_STANDARD,
            _MEDICAID,
            "The plan decides the prior authorization",
            7,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 438.210(d)(1); CMS-0057-F (from 1 Jan 2026)",
            "Rules vary by state; your plan's handbook gives its own figure.",
        ),
        _rule(
            RuleKey.MEDICAID_APPEAL_FILING,
            _MEDICAID,
            "File your appeal with the plan",
            60,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.YOU,
            "42 CFR 438.402(c)(2)(ii)",
            "Counted from the date on the notice. Rules vary by state.",
        ),
        _rule(
            RuleKey.MEDICAID_APPEAL_DECISION_STANDARD,
            _MEDICAID,
            "The plan decides the appeal",
            30,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 438.408(b)(2)",
        ),
        _rule(
            RuleKey.MEDICAID_APPEAL_DECISION_EXPEDITED,
            _MEDICAID,
            "The plan decides the expedited appeal",
            72,
            Unit.HOURS,
            Anchor.EVENT_DATE,
            Party.INSURER,
            "42 CFR 438.408(b)(3)",
        ),
        _rule(
            RuleKey.MEDICAID_FAIR_HEARING_FILING,
            _MEDICAID,
            "Ask for a state fair hearing",
            120,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.YOU,
            "42 CFR 438.408(f)(2)",
            "Counted from the date on the plan's appeal decision.",
        ),
        # -- any plan --------------------------------------------------------------------------
        _rule(
            RuleKey.AUTHORIZATION_EXPIRY,
            _ANY,
            "Have the care done before the approval runs out",
            None,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.YOU,
            "The end date on your approval letter",
            "If the date of service moves past it, ask the office to request an extension.",
        ),
        _rule(
            RuleKey.CALL_FOLLOW_UP,
            _ANY,
            "Follow up on the promise made on the phone",
            None,
            Unit.DAYS,
            Anchor.EVENT_DATE,
            Party.YOU,
            "Your call log",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class RuleOverride:
    """A case's own figure for one rule ("my letter says 60 days")."""

    rule: RuleKey
    amount: int
    unit: Unit
    note: str | None = None


def rules_for(family: AppealRules) -> list[DeadlineRule]:
    """The rules that apply to plans of ``family``, in the order a case meets them."""
    return [rule for rule in RULES.values() if not rule.families or family in rule.families]


def add_period(start: dt.date, amount: int, unit: Unit) -> dt.date:
    """``start`` plus the period. Hours round up to whole days (72 h → 3 days); months keep the
    day of the month, or take the month's last day when it is shorter (31 Oct + 4 months →
    28 or 29 Feb)."""
    if unit is Unit.HOURS:
        return start + dt.timedelta(days=-(-amount // 24))
    if unit is Unit.DAYS:
        return start + dt.timedelta(days=amount)
    month_index = start.month - 1 + amount
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
