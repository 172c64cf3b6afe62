"""The demo profile: a realistic patient to explore BackLog with (``backlog demo``).

Maria Alvarez, 52, has an L4-L5 disc herniation with left-sided sciatica. She is on her employer's
PPO with a hospital-indemnity policy on the side, and sees about a dozen providers. Her 14 months
of treatment log come from ``demo_history``, her letters and card photos from ``demo_documents``,
her coverage requests, appeals and calls from ``demo_cases``, her network checks, care teams and
costs from ``demo_network``.
"""

from __future__ import annotations

import datetime as dt

from backlog_app.domain.npi import npi_check_digit
from backlog_app.domain.records import PatientData, PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.demo_history import add_demo_history
from backlog_app.services.progress import Progress

DEMO_AGE_YEARS = 52


def demo_npi(first_nine: str) -> str:
    """A well-formed NPI for demo data (the check digit computed, not invented)."""
    return first_nine + str(npi_check_digit(first_nine))


def create_demo(profile: ProfileSession, progress: Progress | None = None) -> None:
    """Fill the empty ``profile`` with the demo patient. Raises UserError if it holds records."""
    progress = progress or Progress()
    if not profile.is_empty():
        raise UserError(
            f"The profile in {profile.paths.root} already holds records; "
            "the demo goes into a new, empty folder."
        )
    today = profile.clock()
    steps = 6
    progress.report(0, steps, "Creating the patient")
    profile.patient.save(_patient(today))
    progress.report(1, steps, "Adding insurance plans")
    for plan in _plans(today):
        profile.plans.add(plan)
    progress.report(2, steps, "Adding providers")
    for provider in _providers():
        profile.providers.add(provider)
    progress.report(3, steps, "Adding the treatment log")
    add_demo_history(profile, progress)
    progress.report(4, steps, "Adding documents")
    from backlog_app.services.demo_documents import add_demo_documents  # draws with reportlab

    add_demo_documents(profile, progress)
    progress.report(5, steps, "Adding coverage cases")
    from backlog_app.services.demo_cases import add_demo_cases

    add_demo_cases(profile, progress)
    from backlog_app.services.demo_network import add_demo_network  # checks, care teams, costs

    add_demo_network(profile, progress)
    from backlog_app.services.demo_packet import add_demo_packet_story

    add_demo_packet_story(profile)
    progress.report(steps, steps, "Adding coverage cases")


def _patient(today: dt.date) -> PatientData:
    birthday = _birthday_for_age(today, DEMO_AGE_YEARS)
    return PatientData(
        full_name="Maria Alvarez",
        date_of_birth=birthday,
        phone="(614) 555-0142",
        email="maria.alvarez@example.com",
        address="2217 Maple Hollow Dr\nColumbus, OH 43215",
        notes="Demo profile. L4-L5 disc herniation with left-sided sciatica since last spring.",
    )


def _birthday_for_age(today: dt.date, age: int) -> dt.date:
    """A birthday about four months ago, so the demo patient is ``age`` whenever it is made."""
    month = (today.month - 4 - 1) % 12 + 1
    year = today.year - age - (1 if month > today.month else 0)
    return dt.date(year, month, min(today.day, 28))


def _plans(today: dt.date) -> list[PlanData]:
    year_start = dt.date(today.year, 1, 1)
    return [
        PlanData(
            insurer="Buckeye Mutual Health",
            plan_name="Choice PPO 1500",
            plan_type=PlanType.EMPLOYER_PPO,
            member_id="BMH-448210937",
            group_number="GRP-77120",
            member_services_phone="1-800-555-0110",
            prior_auth_phone="1-800-555-0125",
            appeals_phone="1-800-555-0133",
            appeals_address="Buckeye Mutual Health — Appeals Unit\nPO Box 18220\nColumbus, OH 43218",
            appeals_fax="1-614-555-0190",
            plan_year_start=year_start,
            deductible_cents=150_000,
            out_of_pocket_max_cents=600_000,
            coverage_start=dt.date(today.year - 3, 1, 1),
            priority=1,
            notes="Through Maria's employer (Franklin County Schools). Self-funded ERISA plan.",
        ),
        PlanData(
            insurer="Guardian Shield Supplemental",
            plan_name="Hospital Indemnity Plus",
            plan_type=PlanType.HOSPITAL_INDEMNITY,
            member_id="GSS-0092231",
            group_number="FCS-HI-12",
            member_services_phone="1-888-555-0177",
            plan_year_start=year_start,
            coverage_start=dt.date(today.year - 1, 1, 1),
            priority=2,
            notes="Pays $1,500 per hospital admission and $200 per outpatient surgery.",
        ),
    ]


def _providers() -> list[ProviderData]:
    columbus = "Columbus, OH"
    return [
        ProviderData(
            "Dr. Karen Whitfield",
            ProviderRole.PRIMARY_CARE,
            "Family medicine",
            "Clintonville Family Practice",
            demo_npi("148291035"),
            "(614) 555-0201",
            "(614) 555-0202",
            f"3400 N High St\n{columbus} 43202",
        ),
        ProviderData(
            "Dr. Samuel Okafor",
            ProviderRole.SPINE_SURGEON,
            "Orthopedic spine surgery",
            "Midwest Spine Institute",
            demo_npi("130587264"),
            "(614) 555-0310",
            "(614) 555-0311",
            f"5025 Arlington Centre Blvd\n{columbus} 43220",
        ),
        ProviderData(
            "Dr. Priya Raman",
            ProviderRole.PAIN_MANAGEMENT,
            "Interventional pain medicine",
            "Midwest Spine Institute",
            demo_npi("172049381"),
            "(614) 555-0315",
            "(614) 555-0311",
            f"5025 Arlington Centre Blvd\n{columbus} 43220",
        ),
        ProviderData(
            "Dr. Thomas Lindqvist",
            ProviderRole.PHYSIATRIST,
            "Physical medicine & rehab",
            "OhioHealth Rehabilitation",
            demo_npi("155820476"),
            "(614) 555-0420",
        ),
        ProviderData(
            "Jenna Brooks, DPT",
            ProviderRole.PHYSICAL_THERAPY,
            "Physical therapist",
            "Motion Forward Physical Therapy",
            demo_npi("191736204"),
            "(614) 555-0533",
            "(614) 555-0534",
            f"1180 W 5th Ave\n{columbus} 43212",
        ),
        ProviderData(
            "Dr. Alan Reyes, DC",
            ProviderRole.CHIROPRACTOR,
            "Chiropractic",
            "Reyes Chiropractic",
            demo_npi("163348120"),
            "(614) 555-0620",
        ),
        ProviderData(
            "Columbus Open MRI",
            ProviderRole.RADIOLOGY,
            "Diagnostic imaging",
            "Columbus Open MRI",
            demo_npi("201548836"),
            "(614) 555-0700",
            "(614) 555-0701",
            f"960 Bethel Rd\n{columbus} 43214",
        ),
        ProviderData(
            "Dr. Helen Marsh",
            ProviderRole.RADIOLOGY,
            "Neuroradiology",
            "Columbus Open MRI",
            demo_npi("117093458"),
            "(614) 555-0705",
        ),
        ProviderData(
            "Northside Surgery Center",
            ProviderRole.SURGERY_CENTER,
            "Ambulatory surgery center",
            "Northside Surgery Center",
            demo_npi("244610397"),
            "(614) 555-0800",
            "(614) 555-0801",
            f"7100 Graphics Way\n{columbus} 43235",
        ),
        ProviderData(
            "Capital Anesthesia Associates",
            ProviderRole.ANESTHESIOLOGY,
            "Anesthesiology group",
            "Capital Anesthesia Associates",
            demo_npi("260031984"),
            "(614) 555-0850",
            notes="Bills separately from the surgery center.",
        ),
        ProviderData(
            "Dr. Nadia Farouk",
            ProviderRole.PSYCHOLOGIST,
            "Pain psychology",
            "Mind & Body Behavioral Health",
            None,
            "(614) 555-0910",
            notes="NPI not on her intake paperwork — ask at the next visit.",
        ),
        ProviderData(
            "Riverside Pharmacy",
            ProviderRole.PHARMACY,
            "Retail pharmacy",
            "Riverside Pharmacy",
            demo_npi("235077612"),
            "(614) 555-0960",
        ),
    ]
