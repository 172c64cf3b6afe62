"""Costs: bad input, plan-year totals without double counting, and the surprise-bill flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from backlog_app.domain.cases import CaseEvent, CaseEventData, EventType, Outcome
from backlog_app.domain.cost_flags import (
    GFE_DISPUTE_SOURCE,
    CostFlag,
    CostFlagKind,
    ProviderCase,
    cost_flags,
    matching_estimate,
    was_authorized,
)
from backlog_app.domain.costs import (
    Cost,
    CostCategory,
    CostData,
    CostKind,
    CostStatus,
    Progress,
    plan_in_force,
    plan_year_totals,
    spending_by_category,
    totals_by_plan_in_force,
)
from backlog_app.domain.costs_rules import cost_problems
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.records import PlanData, PlanType

TODAY = dt.date(2026, 11, 27)
K = CostKind
SURGEON = 7
ANESTHESIA = 8


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def bill(**fields: Any) -> CostData:
    base: dict[str, Any] = {
        "kind": K.BILL,
        "provider_id": SURGEON,
        "service_date": d("2026-06-01"),
        "bill_date": d("2026-07-01"),
        "billed_cents": 500_000,
    }
    return CostData(**(base | fields))


def eob(**fields: Any) -> CostData:
    base: dict[str, Any] = {
        "kind": K.EOB_LINE,
        "provider_id": SURGEON,
        "service_date": d("2026-06-01"),
    }
    return CostData(**(base | fields))


def gfe(**fields: Any) -> CostData:
    base: dict[str, Any] = {
        "kind": K.GOOD_FAITH_ESTIMATE,
        "provider_id": SURGEON,
        "service_date": d("2026-06-01"),
        "bill_date": d("2026-05-01"),
        "billed_cents": 300_000,
        "status": CostStatus.EXPECTED,
    }
    return CostData(**(base | fields))


def entries(*datas: CostData) -> list[Cost]:
    return [Cost(i + 1, data) for i, data in enumerate(datas)]


# -- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize("enum", [CostKind, CostStatus, CostCategory, CostFlagKind])
def test_every_member_has_a_plain_label(enum: Any) -> None:
    for member in enum:
        assert member.label and member.label[0].isupper(), member


# -- bad input -------------------------------------------------------------------------------

VALID = [
    bill(),
    bill(allowed_cents=300_000, plan_paid_cents=240_000, patient_cents=60_000),
    bill(allowed_cents=500_000),  # allowed = billed
    bill(billed_cents=1_000_000_000),  # exactly $10,000,000
    bill(service_date=TODAY, bill_date=TODAY),
    bill(is_adjustment=True, billed_cents=-20_000, patient_cents=-20_000),
    eob(billed_cents=100, allowed_cents=80, plan_paid_cents=0, patient_cents=80, eob_denied=True),
    gfe(service_date=TODAY + dt.timedelta(days=366)),  # an estimate is for care to come
    CostData(K.INSURER_ESTIMATE, billed_cents=90_000),
    CostData(K.HSA_CONTRIBUTION, service_date=d("2026-01-15"), billed_cents=100_000),
    CostData(K.HSA_PAYMENT, service_date=d("2026-07-15"), billed_cents=60_000),
    CostData(K.SUPPLEMENTAL_CLAIM, service_date=d("2026-06-01"), expected_cents=150_000),
    CostData(K.SUPPLEMENTAL_CLAIM, service_date=d("2026-06-01"), received_cents=0),
    bill(description="x" * 200, notes="y" * 20_000),
]


@pytest.mark.parametrize("data", VALID)
def test_valid_entries_have_no_problems(data: CostData) -> None:
    assert cost_problems(data, TODAY) == []


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            bill(billed_cents=-1),
            "The billed amount is negative; only an entry marked as an adjustment (a credit) may be.",
        ),
        (bill(allowed_cents=-5), "The allowed amount is negative; only an entry marked"),
        (bill(plan_paid_cents=-5), "The amount the plan paid is negative"),
        (bill(patient_cents=-5), "Your share is negative"),
        (
            CostData(K.SUPPLEMENTAL_CLAIM, service_date=d("2026-06-01"), expected_cents=-1),
            "The amount expected is negative",
        ),
        (
            CostData(K.SUPPLEMENTAL_CLAIM, service_date=d("2026-06-01"), received_cents=-1),
            "The amount received is negative",
        ),
        (
            bill(allowed_cents=500_001),
            "The allowed amount is more than the billed amount; please check both.",
        ),
        (
            bill(allowed_cents=100_000, plan_paid_cents=80_000, patient_cents=20_001),
            "The plan's payment and your share add up to more than the allowed amount; please check all three.",
        ),
        (
            bill(billed_cents=1_000_000_001),
            "The billed amount ($10,000,000.01) is over $10,000,000.00; please check for a typo.",
        ),
        (
            bill(is_adjustment=True, billed_cents=-1_000_000_001),
            "The billed amount (-$10,000,000.01) is over",
        ),
        (bill(bill_date=None), "A bill needs its bill date (the date printed on the bill)."),
        (bill(billed_cents=None), "A bill needs the amount billed."),
        (bill(service_date=None), "Please enter the date of service."),
        (eob(service_date=None), "Please enter the date of service."),
        (gfe(billed_cents=None), "An estimate needs its estimated total."),
        (CostData(K.INSURER_ESTIMATE), "An estimate needs its estimated total."),
        (CostData(K.HSA_PAYMENT, service_date=d("2026-01-01")), "Please enter the amount."),
        (
            CostData(K.HSA_CONTRIBUTION, billed_cents=1),
            "Please enter the date of the contribution or payment.",
        ),
        (
            CostData(K.SUPPLEMENTAL_CLAIM, service_date=d("2026-06-01")),
            "A supplemental claim needs the amount expected or received.",
        ),
        (
            eob(service_date=TODAY + dt.timedelta(days=1)),
            "The date of service (28 Nov 2026) is in the future; please check the date.",
        ),
        (
            bill(bill_date=TODAY + dt.timedelta(days=1)),
            "The bill date (28 Nov 2026) is in the future; please check the date.",
        ),
        (
            CostData(K.HSA_PAYMENT, service_date=d("2026-12-01"), billed_cents=1),
            "The date (1 Dec 2026) is in the future",
        ),
        (
            gfe(service_date=TODAY + dt.timedelta(days=367)),
            "The date of service (29 Nov 2027) is more than a year ahead; please check the year.",
        ),
        (
            gfe(bill_date=TODAY + dt.timedelta(days=1)),
            "The date of the estimate (28 Nov 2026) is in the future",
        ),
        (
            bill(service_date=d("1989-12-31")),
            "The date of service (1989-12-31) is before 1990; please check the year.",
        ),
        (
            bill(bill_date=d("2026-05-31")),
            "The bill date is before the date of service; please check both.",
        ),
        (
            gfe(is_adjustment=True),
            "An estimate cannot be an adjustment; please untick “adjustment”.",
        ),
        (bill(eob_denied=True), "Only an EOB line can be marked as denied by the plan."),
        (
            bill(description="x" * 201),
            "The description is longer than 200 characters; please shorten it.",
        ),
        (bill(notes="y" * 20_001), "Notes is longer than 20,000 characters; please shorten it."),
    ],
)
def test_each_broken_rule_has_one_plain_sentence(data: CostData, problem: str) -> None:
    problems = cost_problems(data, TODAY)
    assert len(problems) == 1, problems
    assert problems[0].startswith(problem)


def test_adjustments_skip_the_amount_comparisons() -> None:
    credit = bill(is_adjustment=True, billed_cents=-10_000, allowed_cents=0, patient_cents=-10_000)
    assert cost_problems(credit, TODAY) == []


def test_several_broken_rules_are_all_reported() -> None:
    data = bill(billed_cents=-1, allowed_cents=5, bill_date=None, notes="n" * 20_001)
    assert len(cost_problems(data, TODAY)) == 4


# -- plan-year totals ------------------------------------------------------------------------

PLAN = PlanData(
    "Acme Health",
    PlanType.EMPLOYER_PPO,
    deductible_cents=150_000,
    out_of_pocket_max_cents=500_000,
)


def paid(day: str, patient: int, **fields: Any) -> CostData:
    """An EOB line for ``patient`` cents of the patient's share on ``day``."""
    return eob(service_date=d(day), patient_cents=patient, **fields)


def test_calendar_year_totals_count_bills_and_eob_lines_not_estimates() -> None:
    costs = entries(
        gfe(billed_cents=999_999),
        CostData(K.INSURER_ESTIMATE, billed_cents=888_888, service_date=d("2026-03-01")),
        eob(
            billed_cents=500_000,
            allowed_cents=300_000,
            plan_paid_cents=200_000,
            patient_cents=100_000,
        ),
        bill(provider_id=ANESTHESIA, billed_cents=120_000, patient_cents=120_000),
    )
    [year] = plan_year_totals(costs, PLAN, None, TODAY)
    assert (year.start, year.end) == (d("2026-01-01"), d("2026-12-31"))
    assert year.billed_cents == 620_000
    assert year.allowed_cents == 300_000
    assert year.plan_paid_cents == 200_000
    assert year.patient_cents == 220_000
    assert year.deductible == Progress(220_000, 150_000)
    assert year.out_of_pocket == Progress(220_000, 500_000)


@pytest.mark.parametrize(
    ("costs", "billed", "patient"),
    [
        # a bill alone counts
        ([bill(patient_cents=50_000)], 500_000, 50_000),
        # its EOB line wins for every figure the line states
        (
            [bill(patient_cents=90_000), eob(billed_cents=500_000, patient_cents=40_000)],
            500_000,
            40_000,
        ),
        # ... and the bill's figure counts where the EOB line says nothing
        ([bill(patient_cents=90_000), eob(patient_cents=40_000)], 500_000, 40_000),
        # several lines of one EOB add up
        (
            [
                bill(),
                eob(billed_cents=300_000, patient_cents=10_000),
                eob(billed_cents=200_000, patient_cents=5_000),
            ],
            500_000,
            15_000,
        ),
        # a different date of service is another service
        (
            [bill(patient_cents=90_000), eob(service_date=d("2026-06-02"), patient_cents=40_000)],
            500_000,
            130_000,
        ),
        # a different provider is another service
        (
            [bill(patient_cents=90_000), eob(provider_id=ANESTHESIA, patient_cents=40_000)],
            500_000,
            130_000,
        ),
        # without a provider nothing matches
        (
            [
                bill(provider_id=None, patient_cents=90_000),
                eob(provider_id=None, patient_cents=40_000),
            ],
            500_000,
            130_000,
        ),
        # an adjustment (a credit) lowers the totals
        (
            [
                bill(patient_cents=90_000),
                bill(
                    is_adjustment=True,
                    billed_cents=-100_000,
                    patient_cents=-30_000,
                    service_date=d("2026-06-05"),
                    bill_date=d("2026-07-05"),
                ),
            ],
            400_000,
            60_000,
        ),
    ],
)
def test_a_bill_and_its_eob_line_are_not_counted_twice(
    costs: list[CostData], billed: int, patient: int
) -> None:
    [year] = plan_year_totals(entries(*costs), PLAN, None, TODAY)
    assert (year.billed_cents, year.patient_cents) == (billed, patient)


@pytest.mark.parametrize(
    ("patient", "deductible_fraction", "deductible_met", "oop_fraction", "oop_met"),
    [
        (0, 0.0, False, 0.0, False),
        (75_000, 0.5, False, 0.15, False),
        (149_999, 149_999 / 150_000, False, 149_999 / 500_000, False),
        (150_000, 1.0, True, 0.3, False),
        (499_999, 1.0, True, 499_999 / 500_000, False),
        (500_000, 1.0, True, 1.0, True),
        (900_000, 1.0, True, 1.0, True),  # capped
    ],
)
def test_deductible_and_out_of_pocket_progress(
    patient: int,
    deductible_fraction: float,
    deductible_met: bool,
    oop_fraction: float,
    oop_met: bool,
) -> None:
    [year] = plan_year_totals(entries(paid("2026-03-01", patient)), PLAN, None, TODAY)
    assert year.deductible is not None and year.out_of_pocket is not None
    assert year.deductible.fraction == pytest.approx(deductible_fraction)
    assert year.deductible.met is deductible_met
    assert year.out_of_pocket.fraction == pytest.approx(oop_fraction)
    assert year.out_of_pocket.met is oop_met
    assert year.deductible.used_cents == patient  # the amount itself is not capped
    assert year.deductible.left_cents == max(0, 150_000 - patient)


@pytest.mark.parametrize(
    ("plan", "has_deductible", "has_oop"),
    [
        (PlanData("Acme", PlanType.EMPLOYER_PPO), False, False),
        (PlanData("Acme", PlanType.EMPLOYER_PPO, deductible_cents=0), True, False),
        (
            PlanData(
                "Acme", PlanType.HOSPITAL_INDEMNITY, deductible_cents=1, out_of_pocket_max_cents=1
            ),
            False,
            False,
        ),
    ],
)
def test_limits_only_when_the_plan_states_them(
    plan: PlanData, has_deductible: bool, has_oop: bool
) -> None:
    [year] = plan_year_totals(entries(paid("2026-03-01", 100)), plan, None, TODAY)
    assert (year.deductible is not None, year.out_of_pocket is not None) == (
        has_deductible,
        has_oop,
    )
    if year.deductible is not None:
        assert (year.deductible.fraction, year.deductible.met) == (1.0, True)


def test_a_credit_larger_than_the_spending_shows_no_negative_progress() -> None:
    costs = entries(bill(is_adjustment=True, billed_cents=-100, patient_cents=-100))
    [year] = plan_year_totals(costs, PLAN, None, TODAY)
    assert year.patient_cents == -100
    assert year.deductible == Progress(0, 150_000)


@pytest.mark.parametrize(
    ("plan_year_start", "days", "expected"),
    [
        # 1 July plan year: 30 June and 1 July fall in different years
        (
            "2020-07-01",
            ["2026-06-30", "2026-07-01"],
            [("2026-07-01", "2027-06-30", 2), ("2025-07-01", "2026-06-30", 1)],
        ),
        (
            "2020-07-01",
            ["2025-07-01", "2026-06-30"],
            [("2026-07-01", "2027-06-30", 0), ("2025-07-01", "2026-06-30", 3)],
        ),
        # calendar year: 31 Dec and 1 Jan are different years
        (
            "2020-01-01",
            ["2025-12-31", "2026-01-01"],
            [("2026-01-01", "2026-12-31", 2), ("2025-01-01", "2025-12-31", 1)],
        ),
    ],
)
def test_plan_year_boundaries(
    plan_year_start: str, days: list[str], expected: list[tuple[str, str, int]]
) -> None:
    costs = entries(*(paid(day, n + 1) for n, day in enumerate(days)))
    totals = plan_year_totals(costs, PLAN, d(plan_year_start), TODAY)
    assert [(t.start, t.end, t.patient_cents) for t in totals] == [
        (d(start), d(end), cents) for start, end, cents in expected
    ]


def test_the_plan_year_start_comes_from_the_plan_when_not_given() -> None:
    plan = replace(PLAN, plan_year_start=d("2019-07-01"))
    [current, last] = plan_year_totals(entries(paid("2026-05-01", 100)), plan, None, TODAY)
    assert (current.start, last.start, last.patient_cents) == (
        d("2026-07-01"),
        d("2025-07-01"),
        100,
    )


def test_the_deductible_starts_again_each_plan_year() -> None:
    costs = entries(paid("2025-12-20", 150_000), paid("2026-01-05", 10_000))
    [this_year, last_year] = plan_year_totals(costs, PLAN, None, TODAY)
    assert this_year.deductible == Progress(10_000, 150_000)
    assert last_year.deductible is not None and last_year.deductible.met


def test_todays_year_is_listed_even_when_empty() -> None:
    [year] = plan_year_totals([], PLAN, None, TODAY)
    assert (year.start, year.patient_cents, year.deductible) == (
        d("2026-01-01"),
        0,
        Progress(0, 150_000),
    )


def test_hsa_and_supplemental_money() -> None:
    costs = entries(
        CostData(K.HSA_CONTRIBUTION, service_date=d("2026-01-15"), billed_cents=200_000),
        CostData(K.HSA_CONTRIBUTION, service_date=d("2026-02-15"), billed_cents=50_000),
        CostData(K.HSA_PAYMENT, service_date=d("2026-07-15"), billed_cents=60_000),
        CostData(
            K.SUPPLEMENTAL_CLAIM,
            service_date=d("2026-06-01"),
            expected_cents=150_000,
            received_cents=100_000,
            plan_id=99,
        ),
        CostData(K.SUPPLEMENTAL_CLAIM, service_date=d("2026-06-03"), expected_cents=20_000),
    )
    [year] = plan_year_totals(costs, PLAN, None, TODAY, plan_id=1)
    assert (year.hsa_contributions_cents, year.hsa_payments_cents) == (250_000, 60_000)
    assert (year.supplemental_expected_cents, year.supplemental_received_cents) == (
        170_000,
        100_000,
    )
    assert year.supplemental_outstanding_cents == 70_000
    assert year.patient_cents == 0  # HSA money is not a cost share


def test_estimates_and_other_plans_open_no_plan_year() -> None:
    costs = entries(
        gfe(service_date=d("2027-03-01"), bill_date=d("2026-11-01")),
        paid("2024-03-01", 100, plan_id=2),
    )
    totals = plan_year_totals(costs, PLAN, None, TODAY, plan_id=1)
    assert [t.start for t in totals] == [d("2026-01-01")]


def test_plan_id_leaves_out_other_plans_claims() -> None:
    costs = entries(
        paid("2026-03-01", 100, plan_id=1), paid("2026-03-02", 20, plan_id=2), paid("2026-03-03", 3)
    )
    [year] = plan_year_totals(costs, PLAN, None, TODAY, plan_id=1)
    assert year.patient_cents == 103
    [everything] = plan_year_totals(costs, PLAN, None, TODAY)
    assert everything.patient_cents == 123


# -- denied services and the plan in force each year -----------------------------------------


@pytest.mark.parametrize(
    ("costs", "patient", "towards_limits"),
    [
        # a denied EOB line: you owe it, and it does not count towards the limits
        ([paid("2026-03-01", 65_000, eob_denied=True)], 65_000, 0),
        # the bill for the denied service: the EOB line states your share, so it wins
        ([bill(patient_cents=65_000), eob(patient_cents=65_000, eob_denied=True)], 65_000, 0),
        # ... and when the denied line states no share, the bill's share counts, still denied
        ([bill(patient_cents=65_000), eob(eob_denied=True, plan_paid_cents=0)], 65_000, 0),
        # another date of service or provider is another service: it counts
        (
            [
                bill(patient_cents=50_000, service_date=d("2026-06-02")),
                eob(patient_cents=65_000, eob_denied=True),
            ],
            115_000,
            50_000,
        ),
        (
            [bill(provider_id=ANESTHESIA, patient_cents=50_000), eob(eob_denied=True)],
            50_000,
            50_000,
        ),
        # a covered line beside a denied one counts
        ([paid("2026-03-01", 20_000), paid("2026-04-01", 9_000, eob_denied=True)], 29_000, 20_000),
    ],
)
def test_denied_services_are_owed_but_do_not_count_towards_the_limits(
    costs: list[CostData], patient: int, towards_limits: int
) -> None:
    [year] = plan_year_totals(entries(*costs), PLAN, None, TODAY)
    assert year.patient_cents == patient  # "You owe"
    assert year.denied_cents == patient - towards_limits
    assert year.deductible == Progress(towards_limits, 150_000)
    assert year.out_of_pocket == Progress(towards_limits, 500_000)


def plan(start: str | None, end: str | None, **fields: Any) -> PlanData:
    return replace(
        PLAN,
        coverage_start=d(start) if start else None,
        coverage_end=d(end) if end else None,
        **fields,
    )


YEAR_2026 = (d("2026-01-01"), d("2026-12-31"))


@pytest.mark.parametrize(
    ("plans", "expected"),
    [
        ({}, None),
        ({1: plan(None, None)}, 1),  # no coverage dates: always in force
        ({1: plan("2024-01-01", "2025-12-31"), 2: plan("2026-01-01", None)}, 2),
        ({1: plan("2024-01-01", "2025-12-31")}, None),  # ended before the year
        ({1: plan("2027-01-01", None)}, None),  # begins after it
        # covers the year's first day, even for a few days only
        ({1: plan("2024-01-01", "2026-01-05")}, 1),
        # covers more than half of the year without its first day
        ({1: plan("2026-05-01", None)}, 1),
        ({1: plan("2026-09-01", None)}, None),  # neither
        # a change of plan mid-year: the plan covering more of the year
        ({1: plan("2024-01-01", "2026-03-31"), 2: plan("2026-04-01", None)}, 2),
        ({1: plan("2024-01-01", "2026-08-31"), 2: plan("2026-09-01", None)}, 1),
        # the lowest priority number first, then the one entered first
        ({1: plan(None, None, priority=2), 2: plan(None, None)}, 2),
        ({1: plan(None, None), 2: plan(None, None)}, 1),
        # a supplemental policy is never the plan a year is measured against
        ({1: plan(None, None, plan_type=PlanType.HOSPITAL_INDEMNITY)}, None),
        (
            {
                1: plan(None, None, plan_type=PlanType.HOSPITAL_INDEMNITY, priority=0),
                2: plan("2025-06-01", None),
            },
            2,
        ),
    ],
)
def test_which_plan_a_plan_year_is_measured_against(
    plans: dict[int, PlanData], expected: int | None
) -> None:
    assert plan_in_force(plans, YEAR_2026) == expected


def test_each_plan_year_is_measured_against_the_plan_in_force_then() -> None:
    old = plan("2023-01-01", "2025-12-31", deductible_cents=100_000, out_of_pocket_max_cents=1)
    new = plan("2026-01-01", None)
    costs = entries(
        paid("2026-03-01", 30_000, plan_id=2),
        paid("2026-03-02", 1_000, plan_id=1),  # billed to the old plan in 2026: left out
        paid("2025-03-01", 40_000, plan_id=1),  # billed to the old plan: counts in 2025
        paid("2025-03-02", 2_000, plan_id=2),
        paid("2025-03-03", 500),  # no plan named: counts
        paid("2021-05-01", 7_000, plan_id=1),  # no plan known that year: every claim counts
        paid("2021-05-02", 3_000, plan_id=2),
        paid("2020-05-01", 9, plan_id=1, eob_denied=True),
    )
    totals = totals_by_plan_in_force(costs, {1: old, 2: new}, None, TODAY)
    assert [(t.start.year, t.plan_id, t.patient_cents) for t in totals] == [
        (2026, 2, 30_000),
        (2025, 1, 40_500),
        (2021, None, 10_000),
        (2020, None, 9),
    ]
    this_year, last_year, no_plan, _ = totals
    assert this_year.deductible == Progress(30_000, 150_000)
    assert last_year.deductible == Progress(40_500, 100_000)
    assert last_year.out_of_pocket is not None and last_year.out_of_pocket.met
    assert no_plan.deductible is None and no_plan.out_of_pocket is None


def test_claims_of_another_plan_alone_open_no_plan_year() -> None:
    costs = entries(paid("2025-03-01", 100, plan_id=2))
    totals = totals_by_plan_in_force(costs, {1: plan(None, None)}, None, TODAY)
    assert [t.start for t in totals] == [d("2026-01-01")]


# -- spending by category --------------------------------------------------------------------


def test_spending_by_category_counts_the_patients_share_once() -> None:
    costs = entries(
        bill(category=CostCategory.SURGERY, patient_cents=90_000),
        eob(category=CostCategory.SURGERY, patient_cents=40_000),
        bill(provider_id=ANESTHESIA, category=CostCategory.ANESTHESIA, patient_cents=65_000),
        paid("2026-02-01", 3_000, category=CostCategory.PHYSICAL_THERAPY),
        paid("2025-12-31", 7_000, category=CostCategory.IMAGING),  # before the range
        gfe(category=CostCategory.FACILITY, patient_cents=1_000),  # estimates never count
        paid("2026-04-01", 0, category=CostCategory.MEDICATION),  # nothing spent: not listed
    )
    spending = spending_by_category(costs, (d("2026-01-01"), d("2026-12-31")))
    assert spending == {
        CostCategory.SURGERY: 40_000,
        CostCategory.ANESTHESIA: 65_000,
        CostCategory.PHYSICAL_THERAPY: 3_000,
    }
    assert list(spending) == [
        CostCategory.SURGERY,
        CostCategory.ANESTHESIA,
        CostCategory.PHYSICAL_THERAPY,
    ]


@pytest.mark.parametrize(
    ("first", "last", "cents"),
    [
        ("2026-06-01", "2026-06-01", 5),
        ("2026-06-02", "2026-12-31", 0),
        ("2026-01-01", "2026-05-31", 0),
    ],
)
def test_spending_range_includes_both_ends(first: str, last: str, cents: int) -> None:
    spending = spending_by_category(entries(paid("2026-06-01", 5)), (d(first), d(last)))
    assert spending.get(CostCategory.OTHER, 0) == cents


def test_spending_leaves_out_other_plans_like_the_totals() -> None:
    costs = entries(
        paid("2026-02-01", 1_000, plan_id=1, category=CostCategory.SURGERY),
        paid("2026-02-02", 200, plan_id=2, category=CostCategory.SURGERY),
        paid("2026-02-03", 30, category=CostCategory.IMAGING),
        paid("2026-02-04", 4, plan_id=1, category=CostCategory.IMAGING, eob_denied=True),
    )
    assert spending_by_category(costs, YEAR_2026, plan_id=1) == {
        CostCategory.SURGERY: 1_000,
        CostCategory.IMAGING: 34,  # a denied service is still owed
    }
    assert spending_by_category(costs, YEAR_2026)[CostCategory.SURGERY] == 1_200


# -- flags -----------------------------------------------------------------------------------


def flags_of(
    *datas: CostData,
    authorizations: dict[int, bool] | None = None,
    protected: set[ProviderCase] | None = None,
    today: dt.date = TODAY,
) -> list[CostFlag]:
    return cost_flags(entries(*datas), authorizations or {}, protected or set(), today)


@pytest.mark.parametrize(
    ("estimate", "billed", "flagged"),
    [
        (300_000, 340_000, True),  # exactly $400.00 over
        (300_000, 339_999, False),  # $399.99 over
        (300_000, 500_000, True),
        (300_000, 300_000, False),
        (300_000, 100_000, False),  # under the estimate
    ],
)
def test_a_bill_400_dollars_over_its_gfe(estimate: int, billed: int, flagged: bool) -> None:
    flags = flags_of(
        gfe(billed_cents=estimate),
        bill(billed_cents=billed, bill_date=d("2026-07-01"), case_id=3),
        today=d("2026-08-01"),
    )
    assert [f.kind for f in flags] == ([CostFlagKind.OVER_GOOD_FAITH_ESTIMATE] if flagged else [])
    if flagged:
        [flag] = flags
        assert flag.cost_ids == (2, 1)
        assert "dispute it within 120 days of the bill date (by 29 Oct 2026)" in flag.message
        assert flag.due is not None
        assert flag.due.due == d("2026-10-29")  # bill date + 120 days
        assert flag.due.party is Party.YOU
        assert flag.due.rule is None
        assert flag.due.source == GFE_DISPUTE_SOURCE
        assert flag.due.case_id == 3


@pytest.mark.parametrize(
    ("today", "words", "due"),
    [
        ("2026-10-29", "dispute it within 120 days of the bill date (by 29 Oct 2026).", True),
        # the window has closed: the flag says so, and no due item stays overdue on Home
        ("2026-10-30", "; the 120 days to dispute it ended on 29 Oct 2026.", False),
        ("2027-06-01", "; the 120 days to dispute it ended on 29 Oct 2026.", False),
    ],
)
def test_the_gfe_flag_message_says_when_the_window_closes(
    today: str, words: str, due: bool
) -> None:
    [flag] = flags_of(gfe(), bill(), today=d(today))
    assert flag.message.endswith(words)
    if due:
        assert flag.due is not None and flag.due.due == d("2026-10-29")
    else:
        assert flag.due is None


@pytest.mark.parametrize(
    ("estimates", "matched_ids"),
    [
        # the newest GFE given on or before the date of service wins
        ([gfe(bill_date=d("2026-04-01"), billed_cents=100), gfe(bill_date=d("2026-05-01"))], [2]),
        ([gfe(bill_date=d("2026-06-01")), gfe(bill_date=d("2026-04-01"))], [1]),  # given on the day
        # a GFE given after the date of service does not count
        ([gfe(bill_date=d("2026-06-02"))], []),
        ([gfe(bill_date=d("2026-06-02")), gfe(bill_date=d("2026-03-01"))], [2]),
        # without the day it was given, its planned date of service counts; undated is oldest
        ([gfe(bill_date=None, service_date=d("2026-06-01"))], [1]),
        ([gfe(bill_date=None, service_date=None)], [1]),
        ([gfe(bill_date=None, service_date=None), gfe(bill_date=d("2026-01-01"))], [2]),
        # several lines of one GFE (same day) make up its total
        ([gfe(billed_cents=100_000), gfe(billed_cents=200_000)], [1, 2]),
        # another provider's or another case's GFE does not count
        ([gfe(provider_id=ANESTHESIA)], []),
        ([gfe(case_id=4)], []),
        ([gfe(case_id=3)], [1]),
        # an insurer's estimate is not a Good Faith Estimate
        ([gfe(kind=K.INSURER_ESTIMATE)], []),
        # a GFE covers care up to a year after it was given: later care is other care
        ([gfe(bill_date=d("2025-06-01"))], [1]),  # 365 days before the care
        ([gfe(bill_date=d("2025-05-31"))], []),  # 366 days
        ([gfe(bill_date=d("2025-05-31")), gfe(bill_date=None, service_date=None)], [2]),
    ],
)
def test_which_gfe_a_bill_is_measured_against(
    estimates: list[CostData], matched_ids: list[int]
) -> None:
    costs = entries(*estimates, bill(case_id=3))
    assert [c.id for c in matching_estimate(costs[-1], costs)] == matched_ids


def test_gfe_lines_add_up_before_comparing() -> None:
    # $3,000 + $1,000 estimated; $4,399.99 billed is $399.99 over: no flag
    assert (
        flags_of(gfe(billed_cents=300_000), gfe(billed_cents=100_000), bill(billed_cents=439_999))
        == []
    )


def first_bill(**fields: Any) -> CostData:
    """A bill on case 3 (the case of the GFE in the table below)."""
    return bill(**({"case_id": 3} | fields))


def second_bill(**fields: Any) -> CostData:
    """A second bill for the care of the same GFE, a month after the first."""
    later = {"case_id": 3, "service_date": d("2026-07-01"), "bill_date": d("2026-08-01")}
    return bill(**(later | fields))


@pytest.mark.parametrize(
    ("bills", "listed"),
    [
        # $2,000 + $1,400 billed against a $3,000 estimate: $400 over together
        ([first_bill(billed_cents=200_000), second_bill(billed_cents=140_000)], (3, 2, 1)),
        ([first_bill(billed_cents=200_000), second_bill(billed_cents=139_999)], ()),
        # the latest bill by bill date carries the flag, whatever the order of entry
        ([second_bill(billed_cents=140_000), first_bill(billed_cents=200_000)], (2, 3, 1)),
        # a credit lowers the total billed; it is listed, never flagged itself
        (
            [
                first_bill(billed_cents=200_000),
                second_bill(billed_cents=160_000),
                second_bill(billed_cents=-20_001, is_adjustment=True),
            ],
            (),
        ),
        (
            [
                first_bill(billed_cents=200_000),
                second_bill(billed_cents=160_000),
                second_bill(billed_cents=-20_000, is_adjustment=True),
            ],
            (3, 2, 4, 1),
        ),
        # a bill on another case is not measured against this case's estimate
        ([first_bill(billed_cents=200_000), second_bill(billed_cents=140_000, case_id=4)], ()),
        # a bill on no case is
        (
            [first_bill(billed_cents=200_000), second_bill(billed_cents=140_000, case_id=None)],
            (3, 2, 1),
        ),
        # another provider's bill is not
        (
            [
                first_bill(billed_cents=200_000),
                second_bill(billed_cents=140_000, provider_id=ANESTHESIA),
            ],
            (),
        ),
        # disputing or appealing any of the bills settles it
        (
            [
                first_bill(billed_cents=200_000),
                second_bill(billed_cents=140_000, status=CostStatus.DISPUTED),
            ],
            (),
        ),
        (
            [
                first_bill(billed_cents=200_000, status=CostStatus.APPEALED),
                second_bill(billed_cents=140_000),
            ],
            (),
        ),
        # care before the estimate was given is not measured against it
        (
            [
                first_bill(billed_cents=200_000),
                first_bill(
                    service_date=d("2026-04-01"), bill_date=d("2026-04-10"), billed_cents=900_000
                ),
            ],
            (),
        ),
    ],
)
def test_the_bills_of_one_good_faith_estimate_add_up(
    bills: list[CostData], listed: tuple[int, ...]
) -> None:
    flags = flags_of(gfe(case_id=3), *bills, today=d("2026-08-15"))
    if not listed:
        assert flags == []
        return
    [flag] = flags  # one flag, on the latest bill, listing the others and the estimate
    assert flag.kind is CostFlagKind.OVER_GOOD_FAITH_ESTIMATE
    assert flag.cost_ids == listed
    assert flag.due is not None and flag.due.cost_id == listed[0]


def test_several_bills_over_an_estimate_are_disputed_from_the_latest_bill_date() -> None:
    costs = (
        gfe(case_id=3),
        first_bill(billed_cents=200_000),
        second_bill(billed_cents=150_000, description="Follow-up visits"),
    )
    [flag] = flags_of(*costs, today=d("2026-08-15"))
    assert flag.message == (
        "The 2 bills for this Good Faith Estimate add up to $3,500.00, $500.00 over its "
        "$3,000.00: dispute them within 120 days of the latest bill's date (by 29 Nov 2026)."
    )
    assert flag.due is not None
    assert flag.due.due == d("2026-11-29")  # 1 Aug 2026 + 120 days
    assert flag.due.title == "Dispute the bills over their Good Faith Estimate: Follow-up visits"
    assert flag.due.explanation.startswith("120 days after the latest bill's date, 1 Aug 2026")
    [closed] = flags_of(*costs, today=d("2026-11-30"))
    assert closed.due is None
    assert closed.message.endswith("; the 120 days to dispute them ended on 29 Nov 2026.")


@pytest.mark.parametrize(
    ("bill_fields", "flagged"),
    [
        ({}, True),
        ({"status": CostStatus.PAID}, True),
        ({"status": CostStatus.DISPUTED}, False),  # the user has acted
        ({"status": CostStatus.APPEALED}, False),
        ({"is_adjustment": True}, False),
        ({"provider_id": None}, False),
    ],
)
def test_which_bills_are_flagged(bill_fields: dict[str, Any], flagged: bool) -> None:
    flags = flags_of(gfe(provider_id=bill_fields.get("provider_id", SURGEON)), bill(**bill_fields))
    assert bool(flags) is flagged


@pytest.mark.parametrize(
    ("protected", "provider", "case_id", "flagged"),
    [
        ({(ANESTHESIA, 3)}, ANESTHESIA, 3, True),
        ({(ANESTHESIA, 3)}, SURGEON, 3, False),
        (set(), ANESTHESIA, 3, False),
        # protected on case 3 only: a bill for other care of the same provider is not flagged
        ({(ANESTHESIA, 3)}, ANESTHESIA, 4, False),
        ({(ANESTHESIA, 3)}, ANESTHESIA, None, False),  # a bill on no case
        ({(ANESTHESIA, 3), (ANESTHESIA, 4)}, ANESTHESIA, 4, True),
    ],
)
def test_an_out_of_network_bill_for_a_protected_role(
    protected: set[ProviderCase], provider: int, case_id: int | None, flagged: bool
) -> None:
    flags = flags_of(bill(provider_id=provider, case_id=case_id), protected=protected)
    assert [f.kind for f in flags] == ([CostFlagKind.PROTECTED_OUT_OF_NETWORK] if flagged else [])
    if flagged:
        assert flags[0].cost_ids == (1,)
        assert flags[0].due is None
        assert (
            "you owe only the in-network cost share; call the provider's billing office and cite the No Surprises Act (45 CFR 149.420)"
            in flags[0].message
        )


@pytest.mark.parametrize(
    ("line", "ids"),
    [
        (eob(eob_denied=True), (1, 2)),
        (eob(eob_denied=False), None),
        (eob(eob_denied=True, service_date=d("2026-06-02")), None),  # another service
        (eob(eob_denied=True, provider_id=ANESTHESIA), None),
    ],
)
def test_a_bill_for_a_service_the_eob_denied(line: CostData, ids: tuple[int, ...] | None) -> None:
    flags = flags_of(bill(), line)
    if ids is None:
        assert flags == []
    else:
        [flag] = flags
        assert (flag.kind, flag.cost_ids, flag.due) == (CostFlagKind.DENIED_BY_EOB, ids, None)
        assert (
            "Do not pay yet: appeal the denial or ask the provider to correct the claim."
            in flag.message
        )


@pytest.mark.parametrize(
    ("authorizations", "case_id", "flagged"),
    [
        ({3: False}, 3, True),
        ({3: True}, 3, False),
        ({}, 3, False),  # the procedure needs no authorization
        ({3: False}, None, False),  # a bill on no case
        ({4: False}, 3, False),
    ],
)
def test_a_bill_without_the_authorization_it_needed(
    authorizations: dict[int, bool], case_id: int | None, flagged: bool
) -> None:
    flags = flags_of(bill(case_id=case_id), authorizations=authorizations)
    assert [f.kind for f in flags] == ([CostFlagKind.NO_AUTHORIZATION] if flagged else [])
    if flagged:
        assert "ask the provider why it was billed without an authorization" in flags[0].message


def test_one_bill_can_raise_every_flag_in_order() -> None:
    flags = flags_of(
        gfe(case_id=3),
        bill(case_id=3),
        eob(eob_denied=True),
        authorizations={3: False},
        protected={(SURGEON, 3)},
    )
    assert [f.kind for f in flags] == list(CostFlagKind)
    assert all(f.cost_ids[0] == 2 for f in flags)


def test_only_bills_raise_flags() -> None:
    costs = [
        gfe(),
        eob(eob_denied=True, billed_cents=900_000),
        CostData(K.HSA_PAYMENT, billed_cents=900_000),
    ]
    assert flags_of(*costs, authorizations={3: False}, protected={(SURGEON, 3)}) == []


def event(kind: EventType, outcome: Outcome | None = None, **fields: Any) -> CaseEvent:
    return CaseEvent(0, CaseEventData(3, kind, d("2026-05-01"), outcome=outcome, **fields))


@pytest.mark.parametrize(
    ("events", "number", "authorized"),
    [
        ([], None, False),
        ([], "PA-1", True),  # an authorization number on the case
        ([], "  ", False),
        ([event(EventType.REQUEST_SUBMITTED)], None, False),
        ([event(EventType.REQUEST_SUBMITTED), event(EventType.APPROVED)], None, True),
        ([event(EventType.DENIED)], None, False),
        ([event(EventType.APPROVED, authorization_number=None)], None, True),
        ([event(EventType.INFO_REQUESTED, authorization_number="PA-7")], None, True),
        # approved on appeal, by a peer-to-peer or an external review (also in part)
        ([event(EventType.DENIED), event(EventType.DECISION, Outcome.APPROVED)], None, True),
        ([event(EventType.DECISION, Outcome.PARTLY_APPROVED)], None, True),
        ([event(EventType.DECISION, Outcome.DENIED)], None, False),
        ([event(EventType.P2P_OUTCOME, Outcome.APPROVED)], None, True),
        ([event(EventType.P2P_HELD, Outcome.PARTLY_APPROVED)], None, True),
        ([event(EventType.EXTERNAL_REVIEW_DECIDED, Outcome.APPROVED)], None, True),
        ([event(EventType.EXTERNAL_REVIEW_DECIDED, Outcome.DENIED)], None, False),
        # approved once, whatever came after (an appeal filed, a denied claim)
        ([event(EventType.APPROVED), event(EventType.APPEAL_FILED)], None, True),
        ([event(EventType.APPROVED), event(EventType.CLAIM_DENIED)], None, True),
        ([event(EventType.CLAIM_PAID)], None, True),
    ],
)
def test_a_case_counts_as_authorized_when_anything_ever_approved_it(
    events: list[CaseEvent], number: str | None, authorized: bool
) -> None:
    assert was_authorized(events, number) is authorized
