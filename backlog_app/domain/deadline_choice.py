"""Which deadline rule the engine counts from, by plan family, urgency, service type and level."""

from __future__ import annotations

import datetime as dt

from backlog_app.domain.deadline_rules import MA_SEVEN_DAY_RULE_FROM, RuleKey
from backlog_app.domain.records import AppealRules

_ERISA = AppealRules.ERISA_ACA
_MEDICARE = AppealRules.ORIGINAL_MEDICARE
_MA = AppealRules.MEDICARE_ADVANTAGE
_MEDICAID = AppealRules.MEDICAID

# The first appeal after an initial denial, per plan family.
FIRST_FILING: dict[AppealRules, RuleKey] = {
    _ERISA: RuleKey.ERISA_APPEAL_FILING,
    _MEDICARE: RuleKey.MEDICARE_REDETERMINATION_FILING,
    _MA: RuleKey.MA_RECONSIDERATION_FILING,
    _MEDICAID: RuleKey.MEDICAID_APPEAL_FILING,
}
# Original Medicare: after a denial at level n, the filing rule of level n + 1 (Medicare
# Advantage from level 2, the Independent Review Entity, on).
MEDICARE_NEXT_FILING: dict[int, RuleKey] = {
    1: RuleKey.MEDICARE_RECONSIDERATION_FILING,
    2: RuleKey.MEDICARE_ALJ_FILING,
    3: RuleKey.MEDICARE_COUNCIL_FILING,
    4: RuleKey.MEDICARE_COURT_FILING,
}
# Original Medicare: the contractor's decision on the appeal at each level.
_MEDICARE_APPEAL_DECISION: dict[int, RuleKey] = {
    1: RuleKey.MEDICARE_REDETERMINATION_DECISION,
    2: RuleKey.MEDICARE_RECONSIDERATION_DECISION,
}


def initial_decision_rule(
    family: AppealRules, *, expedited: bool, post_service: bool, request_day: dt.date | None
) -> RuleKey | None:
    """The plan's deadline to decide a request (or, after care, a payment request)."""
    if family is _ERISA:
        if post_service:
            return RuleKey.ERISA_DECISION_POST_SERVICE
        if expedited:
            return RuleKey.ERISA_DECISION_URGENT
        return RuleKey.ERISA_DECISION_PRE_SERVICE
    if post_service:
        return None  # the prior-authorization figures do not fit a payment request
    if family is _MA:
        if expedited:
            return RuleKey.MA_DECISION_EXPEDITED
        if request_day is not None and request_day < MA_SEVEN_DAY_RULE_FROM:
            return RuleKey.MA_DECISION_STANDARD_BEFORE_2026
        return RuleKey.MA_DECISION_STANDARD
    if family is _MEDICAID:
        if expedited:
            return RuleKey.MEDICAID_DECISION_EXPEDITED
        return RuleKey.MEDICAID_DECISION_STANDARD
    return None


def claim_decision_rule(family: AppealRules) -> RuleKey | None:
    """The plan's deadline to decide a claim for care already given."""
    return RuleKey.ERISA_DECISION_POST_SERVICE if family is _ERISA else None


def info_response_rule(family: AppealRules) -> RuleKey | None:
    """Your deadline to send the information the plan asked for."""
    return RuleKey.ERISA_INFO_RESPONSE if family is _ERISA else None


def appeal_decision_rule(
    family: AppealRules, level: int, *, expedited: bool, post_service: bool
) -> RuleKey | None:
    """The deadline to decide the appeal at ``level``."""
    if family is _ERISA:
        # A level 2 appeal means a plan with two levels: each gets half the time
        # (29 CFR 2560.503-1(i)(2)); urgent appeals keep 72 hours.
        if expedited:
            return RuleKey.ERISA_APPEAL_DECISION_URGENT
        if post_service:
            if level >= 2:
                return RuleKey.ERISA_APPEAL_DECISION_POST_SERVICE_LEVEL_2
            return RuleKey.ERISA_APPEAL_DECISION_POST_SERVICE
        if level >= 2:
            return RuleKey.ERISA_APPEAL_DECISION_PRE_SERVICE_LEVEL_2
        return RuleKey.ERISA_APPEAL_DECISION_PRE_SERVICE
    if family is _MEDICARE:
        return _MEDICARE_APPEAL_DECISION.get(level)
    if family is _MA and level == 1:
        if expedited:
            return RuleKey.MA_RECONSIDERATION_DECISION_EXPEDITED
        if post_service:
            return RuleKey.MA_RECONSIDERATION_DECISION_PAYMENT
        return RuleKey.MA_RECONSIDERATION_DECISION_PRE_SERVICE
    if family is _MEDICAID and level == 1:
        if expedited:
            return RuleKey.MEDICAID_APPEAL_DECISION_EXPEDITED
        return RuleKey.MEDICAID_APPEAL_DECISION_STANDARD
    return None


def external_decision_rule(family: AppealRules, *, expedited: bool) -> RuleKey | None:
    """The external reviewer's deadline to decide (employer/ACA plans only)."""
    if family is not _ERISA:
        return None
    if expedited:
        return RuleKey.EXTERNAL_REVIEW_DECISION_EXPEDITED
    return RuleKey.EXTERNAL_REVIEW_DECISION


def filing_after_appeal_denial(family: AppealRules, level: int) -> RuleKey | None:
    """Your deadline to take the next step after the appeal at ``level`` is denied."""
    if family is _ERISA:
        return RuleKey.EXTERNAL_REVIEW_FILING
    if family is _MEDICARE:
        return MEDICARE_NEXT_FILING.get(level)
    if family is _MEDICAID and level == 1:
        return RuleKey.MEDICAID_FAIR_HEARING_FILING
    if family is _MA and level != 1:
        # After the Independent Review Entity: the judge, the Council, the court
        # (42 CFR 422.602-612). At level 1 the plan forwards the case to the Entity itself.
        return MEDICARE_NEXT_FILING.get(level)
    return None
