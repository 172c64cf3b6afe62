"""Data files with network checks, care teams and costs: they travel intact, and bad rows stop
the whole import with a plain line."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backlog_app.domain.cases import CallData, CallDirection, CaseData, Procedure
from backlog_app.domain.costs import CostCategory, CostData, CostKind, CostStatus
from backlog_app.domain.documents import DocumentData, DocumentKind, LinkTarget
from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.domain.network_rules import CareRole, CareTeamData
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.interchange import export_data, import_data
from backlog_app.services.interchange.codec import check_document, dumps
from backlog_app.services.interchange.files import VaultFiles
from tests.document_files import write_pdf

Document = dict[str, Any]
TODAY = dt.date(2026, 11, 27)  # the clock of the conftest profiles
NEW_KEYS = ("network_verifications", "care_team_members", "cost_entries")


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def source(profile: ProfileSession, tmp_path: Path) -> ProfileSession:
    """A profile with a check on a call, a care team, costs of every kind and a linked bill."""
    plan = profile.plans.add(
        PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO, deductible_cents=150_000)
    )
    surgeon = profile.providers.add(ProviderData("Dr. Okafor", ProviderRole.SPINE_SURGEON))
    anesthesia = profile.providers.add(ProviderData("Capital", ProviderRole.ANESTHESIOLOGY))
    case = profile.cases.add(
        CaseData(Procedure.MICRODISCECTOMY, plan_id=plan, requesting_provider_id=surgeon)
    )
    call = profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 20, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            case_id=case,
            reference_number="MS-261120-1",
        )
    )
    network = profile.network
    for provider, status in (
        (surgeon, NetworkStatus.IN_NETWORK),
        (anesthesia, NetworkStatus.OUT_OF_NETWORK),
    ):
        network.add_verification(
            VerificationData(
                provider, plan, status, VerificationMethod.CALL, day(-7), "MS-261120-1", call
            )
        )
    network.add_verification(
        VerificationData(
            surgeon, plan, NetworkStatus.IN_NETWORK, VerificationMethod.INSURER_WEBSITE, day(-200)
        )
    )
    anesthesiologist = next(
        m for m in network.team(case) if m.data.role is CareRole.ANESTHESIOLOGIST
    )
    network.update_member(
        anesthesiologist.id,
        CareTeamData(case, CareRole.ANESTHESIOLOGIST, anesthesia, "Northside's group"),
    )
    network.add_member(CareTeamData(case, CareRole.DME))  # a second unassigned kind of row
    costs = profile.costs
    bill_id = costs.add(
        CostData(
            CostKind.BILL,
            "Anesthesia",
            anesthesia,
            case,
            plan,
            day(-30),
            day(-20),
            billed_cents=128_000,
            plan_paid_cents=43_200,
            patient_cents=84_800,
            category=CostCategory.ANESTHESIA,
        )
    )
    costs.add(
        CostData(
            CostKind.EOB_LINE,
            provider_id=anesthesia,
            plan_id=plan,
            service_date=day(-30),
            billed_cents=128_000,
            allowed_cents=54_000,
            plan_paid_cents=43_200,
            patient_cents=10_800,
            status=CostStatus.PAID,
        )
    )
    costs.add(
        CostData(
            CostKind.BILL,
            "Refund",
            surgeon,
            service_date=day(-10),
            bill_date=day(-5),
            billed_cents=-2_500,
            is_adjustment=True,
        )
    )
    costs.add(CostData(CostKind.GOOD_FAITH_ESTIMATE, provider_id=surgeon, billed_cents=90_000))
    costs.add(CostData(CostKind.HSA_CONTRIBUTION, service_date=day(-300), billed_cents=100_000))
    costs.add(CostData(CostKind.HSA_PAYMENT, service_date=day(-3), billed_cents=10_800))
    costs.add(CostData(CostKind.SUPPLEMENTAL_CLAIM, service_date=day(-30), expected_cents=20_000))
    document = profile.importer.add(
        write_pdf(tmp_path / "bill.pdf"), DocumentData(DocumentKind.BILL, "Anesthesia bill")
    )
    profile.documents.link(document, LinkTarget.COST, bill_id)
    return profile


@pytest.fixture
def target(tmp_path: Path) -> Iterator[ProfileSession]:
    """A second, empty profile to import into."""
    session = open_profile(tmp_path / "target", create=True, clock=lambda: TODAY)
    yield session
    session.close()


def files_of(profile: ProfileSession) -> VaultFiles:
    return VaultFiles(profile.documents.vault)


def test_checks_care_teams_costs_and_links_round_trip(
    source: ProfileSession, target: ProfileSession
) -> None:
    document = export_data(source)
    check_document(document)
    assert [len(document[key]) for key in NEW_KEYS] == [3, 9, 7]
    assert sum(link["cost_id"] is not None for link in document["document_links"]) == 1

    counts = import_data(target, document, files=files_of(source))
    assert [counts[key] for key in NEW_KEYS] == [3, 9, 7]
    assert dumps(export_data(target)) == dumps(document)  # identical rows, ids and timestamps
    assert target.network.verifications() == source.network.verifications()
    (case,) = source.cases.list()
    assert target.network.team(case.id) == source.network.team(case.id)
    assert target.network.checklist(case.id) == source.network.checklist(case.id)
    assert target.costs.list() == source.costs.list()
    assert target.costs.overview() == source.costs.overview()
    (row,) = target.documents.list()
    assert [link.target for link in row.info.links] == [LinkTarget.COST]
    # New records continue after the imported ids.
    assert target.costs.add(source.costs.list()[0].data) > max(c.id for c in source.costs.list())


def test_a_file_from_before_these_tables_still_imports(
    source: ProfileSession, target: ProfileSession
) -> None:
    document = export_data(source)
    for key in NEW_KEYS:
        del document[key]
    # Its links name no cost entries and have no cost_id column at all.
    document["document_links"] = [
        {key: value for key, value in link.items() if key != "cost_id"}
        for link in document["document_links"]
        if link["cost_id"] is None
    ]
    check_document(document)
    counts = import_data(target, document, files=files_of(source))
    assert all(counts[key] == 0 for key in NEW_KEYS)
    assert target.network.count() == target.network.team_count() == target.costs.count() == 0
    assert target.cases.count() == 1  # a case imported without its care team keeps none
    assert target.network.due_items() == [] and target.costs.flags() == []


def cost_row(document: Document, kind: str) -> dict[str, Any]:
    return next(row for row in document["cost_entries"] if row["kind"] == kind)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda row: row.update(billed_cents=-100),
            "The billed amount is negative; only an entry marked as an adjustment",
        ),
        (
            lambda row: row.update(allowed_cents=999_999),
            "The allowed amount is more than the billed amount",
        ),
    ],
)
def test_a_bad_cost_row_stops_the_import(
    source: ProfileSession, target: ProfileSession, edit: Any, message: str
) -> None:
    document = copy.deepcopy(export_data(source))
    row = cost_row(document, "eob_line")
    edit(row)
    position = document["cost_entries"].index(row)
    with pytest.raises(ValidationError) as caught:
        import_data(target, document, files=files_of(source))
    assert caught.value.problems[0] == "The data file was not imported:"
    assert any(p.startswith(f"cost_entries/{position}: {message}") for p in caught.value.problems)
    assert all("\n" not in problem for problem in caught.value.problems)  # plain lines
    assert target.is_empty()
    assert not list(target.documents.vault.root.rglob("*.pdf"))  # no file left behind


def test_a_future_check_stops_the_import(source: ProfileSession, target: ProfileSession) -> None:
    document = copy.deepcopy(export_data(source))
    document["network_verifications"][0]["verified_on"] = day(2).isoformat()
    with pytest.raises(ValidationError, match="in the future"):
        import_data(target, document, files=files_of(source))
    assert target.is_empty()


def test_unassigned_rows_of_one_role_import_but_one_provider_twice_does_not(
    source: ProfileSession, target: ProfileSession, tmp_path: Path
) -> None:
    document = copy.deepcopy(export_data(source))
    rows = document["care_team_members"]
    open_rows = [row for row in rows if row["provider_id"] is None]
    first, second = open_rows[:2]
    second["role"] = first["role"]  # two open rows of one role: fine
    counts = import_data(target, document, files=files_of(source))
    assert counts["care_team_members"] == len(rows)

    surgeon = next(row["provider_id"] for row in rows if row["role"] == "surgeon")
    first["provider_id"] = second["provider_id"] = surgeon
    again = open_profile(tmp_path / "again", create=True, clock=lambda: TODAY)
    try:
        with pytest.raises(UserError, match="the same case_id and role and provider_id"):
            import_data(again, document, files=files_of(source))
        assert again.is_empty()
    finally:
        again.close()


def test_a_cost_pointing_at_a_missing_case_stops_the_import(
    source: ProfileSession, target: ProfileSession
) -> None:
    document = copy.deepcopy(export_data(source))
    cost_row(document, "bill")["case_id"] = 99
    with pytest.raises(ValidationError, match="case_id 99 points at a record"):
        import_data(target, document, files=files_of(source))
    assert target.is_empty()
