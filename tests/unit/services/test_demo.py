"""The demo profile: a 52-year-old on an employer PPO with a supplemental policy, 15 providers.

Her treatment log is tested in test_demo_history.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backlog_app.domain.dates import age_on
from backlog_app.domain.npi import is_valid_npi
from backlog_app.domain.records import PlanType
from backlog_app.domain.validation import patient_problems, plan_problems, provider_problems
from backlog_app.errors import Cancelled, UserError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.demo import DEMO_AGE_YEARS, create_demo
from backlog_app.services.demo_history import HISTORY_DAYS
from backlog_app.services.progress import Progress

# The demo's diary is random but seeded: these counts only change when the story does.
DEMO_CHECK_INS = 401
DEMO_TREATMENTS = 42  # the history, and the two medial branch blocks of the ablation case


def test_demo_patient(demo_profile: ProfileSession, today: dt.date) -> None:
    patient = demo_profile.patient.get()
    assert patient is not None
    assert patient.full_name == "Maria Alvarez"
    assert patient.date_of_birth is not None
    assert age_on(patient.date_of_birth, today) == DEMO_AGE_YEARS == 52
    assert patient_problems(patient, today) == []


def test_demo_plans(demo_profile: ProfileSession, today: dt.date) -> None:
    plans = demo_profile.plans.list()
    assert [(p.data.plan_type, p.data.priority) for p in plans] == [
        (PlanType.EMPLOYER_PPO, 1),
        (PlanType.HOSPITAL_INDEMNITY, 2),
    ]
    assert not plans[0].data.plan_type.is_supplemental
    assert plans[1].data.plan_type.is_supplemental
    assert all(plan_problems(p.data, today) == [] for p in plans)
    assert all(p.data.member_id for p in plans)


def test_demo_providers(demo_profile: ProfileSession) -> None:
    providers = demo_profile.providers.list()
    assert len(providers) == 15  # with the care team of the surgery (demo_network)
    assert all(provider_problems(p.data) == [] for p in providers)
    npis = [p.data.npi for p in providers if p.data.npi]
    assert len(npis) == 14  # one is missing on purpose, so Home has something to suggest
    assert all(is_valid_npi(npi) for npi in npis)
    assert len(set(npis)) == len(npis)


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 11, 27),
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 31),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 31),
        dt.date(2028, 2, 29),
        dt.date(2026, 12, 31),
    ],
)
def test_demo_is_valid_whenever_it_is_made(tmp_path: Path, today: dt.date) -> None:
    with open_profile(tmp_path / "demo", create=True, clock=lambda: today) as profile:
        create_demo(profile)
        patient = profile.patient.get()
        assert patient is not None and patient.date_of_birth is not None
        assert age_on(patient.date_of_birth, today) == DEMO_AGE_YEARS
        assert profile.plans.count() == 2
        assert profile.providers.count() == 15
        # The same story whenever it is made, dated back from that day, nothing in the future.
        assert profile.log.check_ins.count() == DEMO_CHECK_INS
        assert profile.log.treatments.count() == DEMO_TREATMENTS
        scores = profile.log.check_ins.daily_scores()
        assert scores[0].day == today - dt.timedelta(days=HISTORY_DAYS)
        assert scores[-1].day <= today
        assert all(t.data.day <= today for t in profile.log.treatments.list())


def test_demo_reports_progress(profile: ProfileSession) -> None:
    progress = Progress()
    create_demo(profile, progress)
    done, total, label = progress.snapshot()
    assert done == total > 0
    assert label == "Adding coverage cases"


def test_demo_cancelled_before_it_starts_writes_nothing(profile: ProfileSession) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        create_demo(profile, progress)
    assert profile.is_empty()


def test_demo_into_a_non_empty_profile_is_refused(demo_profile: ProfileSession) -> None:
    with pytest.raises(UserError, match="already holds records"):
        create_demo(demo_profile)
    assert demo_profile.plans.count() == 2
    assert demo_profile.providers.count() == 15


def test_demo_refused_when_only_a_provider_exists(profile: ProfileSession) -> None:
    from backlog_app.domain.records import ProviderData, ProviderRole

    profile.providers.add(ProviderData("Dr. A", ProviderRole.OTHER))
    with pytest.raises(UserError):
        create_demo(profile)
    assert profile.patient.get() is None
    assert profile.providers.count() == 1
