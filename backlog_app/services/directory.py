"""Insurance plans and the provider directory: validated list/add/update/delete."""

from __future__ import annotations

from dataclasses import replace

from backlog_app.domain.npi import normalize_npi
from backlog_app.domain.records import PlanData, ProviderData
from backlog_app.domain.validation import plan_problems, provider_problems
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.records import Clock, RecordService
from backlog_app.storage.models import InsurancePlan, Provider

PlanService = RecordService[PlanData, InsurancePlan]


class ProviderService(RecordService[ProviderData, Provider]):
    """Providers; NPIs are stored without the spaces and dashes people type."""

    def add(self, data: ProviderData) -> int:
        return super().add(_clean_npi(data))

    def update(self, record_id: int, data: ProviderData) -> None:
        super().update(record_id, _clean_npi(data))


def make_plan_service(database: Database, changes: ChangeBus, clock: Clock) -> PlanService:
    return PlanService(
        database,
        changes,
        model=InsurancePlan,
        data_type=PlanData,
        problems=lambda plan: plan_problems(plan, clock()),
        change=Change.PLANS,
        order_by=("priority", "insurer", "id"),
        noun="plan",
    )


def make_provider_service(database: Database, changes: ChangeBus) -> ProviderService:
    return ProviderService(
        database,
        changes,
        model=Provider,
        data_type=ProviderData,
        problems=provider_problems,
        change=Change.PROVIDERS,
        order_by=("name", "id"),
        noun="provider",
    )


def _clean_npi(data: ProviderData) -> ProviderData:
    return replace(data, npi=normalize_npi(data.npi) or None) if data.npi else data
