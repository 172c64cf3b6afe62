"""Suggesting kind, date and provider from a document's text: many real-looking cases."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.document_kind_rules import PRIORITY, best_kind
from backlog_app.domain.document_suggest import (
    MetadataSuggestion,
    ProviderHint,
    find_dates,
    suggest_date,
    suggest_metadata,
    suggest_provider,
)
from backlog_app.domain.documents import DocumentKind as K

TODAY = dt.date(2026, 11, 27)

# --- kind ---------------------------------------------------------------------------------------

EOB = """Blue Ridge Health Plan
EXPLANATION OF BENEFITS
THIS IS NOT A BILL
Claim number 88213  Date of service 02/20/2026
Service: MRI lumbar spine w/o contrast   Billed $2,400.00   Plan paid $0.00
Remark: this claim has been denied as not medically necessary. You may appeal."""

MSN = """Medicare Summary Notice for Part B (Medical Insurance)
THIS IS NOT A BILL
Notice date: March 12, 2026"""

DENIAL = """Blue Ridge Health Plan
Notice of Adverse Benefit Determination
Date: March 10, 2026
Your request for prior authorization of an MRI of the lumbar spine has been denied.
Reason: the service is not medically necessary because you have not completed six weeks of
physical therapy. You have the right to appeal. To request an appeal, write to us within 180 days."""

PT_DISCHARGE = """Riverside Physical Therapy
Physical Therapy Discharge Summary
Referral source: Dr. Chen        Date of service: 05/02/2026
Diagnosis: lumbar radiculopathy. Goals met: 3 of 4. Plan of care completed (12 visits).
Therapeutic exercises: core stabilisation. Patient had MRI in March."""

MRI = """Summit Imaging Center
MRI LUMBAR SPINE WITHOUT CONTRAST
Date of exam: 03/04/2026
CLINICAL HISTORY: low back pain radiating to the left leg, failed physical therapy.
TECHNIQUE: sagittal and axial T1 and T2 images.
FINDINGS: L4-L5 disc extrusion contacting the descending left L5 nerve root.
IMPRESSION: L4-L5 left paracentral disc extrusion."""

REFERRAL = """Oak Street Family Medicine
REFERRAL
Date of referral: 01/15/2026
Refer to: Spine surgery. Reason for referral: lumbar radiculopathy, failed physical therapy;
MRI lumbar spine recommended. Member ID: XJ4471 Group: 5521"""

APPEAL = """Maria Alvarez
Re: Appeal of claim 88213
I am writing to appeal your decision of March 10, 2026. My MRI has been denied as not
medically necessary. Enclosed is a letter of medical necessity from Dr. Chen."""

CARD = """BLUE RIDGE HEALTH PLAN  PPO
Member Name: MARIA ALVAREZ
Member ID: XJ4471902   Group: 5521
PCP copay $25   Specialist $50   Referral required for specialists
RxBIN 610014  RxPCN BRX"""

BILL = """Summit Imaging Center
PATIENT STATEMENT
Statement date: 04/02/2026
Your insurance has denied this claim. Amount due: $2,400.00. Please pay by 05/01/2026."""


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        (EOB, K.EOB, "EXPLANATION OF BENEFITS"),  # mentions "denied": still an EOB
        ("Your statement\nThis is not a bill. Claim denied.", K.EOB, "This is not a bill"),
        (MSN, K.MEDICARE_SUMMARY_NOTICE, "Medicare Summary Notice"),  # also "not a bill"
        (DENIAL, K.DENIAL_LETTER, "Adverse Benefit Determination"),
        ("We reviewed the request. It has been denied.", K.DENIAL_LETTER, "has been denied"),
        ("The injection is not medically necessary.", K.DENIAL_LETTER, "not medically necessary"),
        ("Your prior authorization request has been approved.", K.APPROVAL, "has been approved"),
        (
            "Approved. Authorization number 55-1234, valid 90 days.",
            K.APPROVAL,
            "Authorization number",
        ),
        (
            "Prior Authorization Request Form\nPatient name:",
            K.PRIOR_AUTH_REQUEST,
            "Prior Authorization Request Form",
        ),
        (REFERRAL, K.REFERRAL, "Reason for referral"),
        ("Referral\nPlease see this patient.", K.REFERRAL, "Referral"),
        (MRI, K.IMAGING_REPORT, "IMPRESSION"),
        ("Findings:\nNormal alignment.", K.IMAGING_REPORT, "Findings"),
        ("MRI of the lumbar spine was performed.", K.IMAGING_REPORT, "MRI"),
        (PT_DISCHARGE, K.PT_NOTE, "Physical Therapy Discharge Summary"),
        ("Discharge summary. Physical therapy: 12 visits.", K.PT_NOTE, "Discharge summary"),
        (
            "Hospital discharge summary. Admitted for pneumonia.",
            K.CLINICAL_NOTE,
            "discharge summary",
        ),
        ("Continue physical therapy twice a week.", K.PT_NOTE, "physical therapy"),
        (
            "OPERATIVE REPORT\nFINDINGS: extruded fragment removed.",
            K.OPERATIVE_NOTE,
            "OPERATIVE REPORT",
        ),
        ("Procedure note: L5-S1 epidural steroid injection.", K.OPERATIVE_NOTE, "Procedure note"),
        (
            "Good Faith Estimate for an uninsured patient. Amount due at visit: $300.",
            K.GOOD_FAITH_ESTIMATE,
            "Good Faith Estimate",
        ),
        (BILL, K.BILL, "PATIENT STATEMENT"),  # mentions "denied": still a bill
        ("Amount due: $120.00", K.BILL, "Amount due"),
        (
            "Letter of Medical Necessity\nTo whom it may concern:",
            K.MEDICAL_NECESSITY_LETTER,
            "Letter of Medical Necessity",
        ),
        (APPEAL, K.APPEAL_LETTER, "I am writing to appeal"),  # quotes "denied" and an LMN
        ("Appeal\nClaim 88213", K.APPEAL_LETTER, "Appeal"),
        (
            "Summary of Benefits and Coverage: what this plan covers",
            K.PLAN_DOCUMENT,
            "Summary of Benefits and Coverage",
        ),
        ("Rx: gabapentin 300 mg, dispense 90, refills 2", K.PRESCRIPTION, "Rx"),
        ("New prescription for meloxicam.", K.PRESCRIPTION, "prescription"),
        (CARD, K.INSURANCE_CARD, "RxBIN"),  # "Referral required" on the card: still a card
        ("Member ID: W123 Group: 88 Copay $30", K.INSURANCE_CARD, "Member ID"),
        ("Reference range 3.5-5.0  Specimen: blood", K.LAB_RESULT, "Reference range"),
        (
            "Chief complaint: low back pain. Assessment and plan: ...",
            K.CLINICAL_NOTE,
            "Chief complaint",
        ),
        ("Explanation\nof   Benefits", K.EOB, "Explanation of Benefits"),  # OCR line breaks
    ],
)
def test_kind_from_phrases(text: str, kind: K, found: str) -> None:
    suggested, reason = best_kind(text)
    assert suggested is kind
    assert reason == f"found “{found}”" or reason.startswith(f"found “{found}” and")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello, this is a note to myself about groceries.",
        "Patient denies fever.",  # "denies" is not "denied"
        "Hartford, CT 06103",  # the state, not a CT scan
        "Preferrals and appealing prices",  # not whole words
        "xRx Rxy",  # "Rx" only as a word
    ],
)
def test_no_kind_without_a_clue(text: str) -> None:
    assert best_kind(text) == (None, "")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # A title heads a line; only mentioned inside a sentence it counts for less.
        (
            "REFERRAL FOR SPECIALIST CONSULTATION\nReason for referral: sciatica.\n"
            "Office notes and the physical therapy discharge summary are enclosed.",
            K.REFERRAL,
        ),
        ("Physical Therapy Discharge Summary\nReferral to spine surgery.", K.PT_NOTE),
        (
            "Re: Letter of Medical Necessity\nMs. Alvarez needs this MRI.",
            K.MEDICAL_NECESSITY_LETTER,
        ),
        (
            "Re: Appeal of claim 88213\nThe claim was denied. Please reconsider: a letter of "
            "medical necessity from Dr. Chen is enclosed.",
            K.APPEAL_LETTER,
        ),
        (
            "Amount due: $80.00\nYou have the right to receive a Good Faith Estimate of costs.",
            K.BILL,
        ),
        ("Your request has been denied. Please show your ID card at each visit.", K.DENIAL_LETTER),
        ("INSURANCE CARD\nfront and back", K.INSURANCE_CARD),
        ("Your claim was denied; see the Explanation of Benefits we sent.", K.DENIAL_LETTER),
        ("Explanation of Benefits\nClaim denied.", K.EOB),
        (
            "Pain clinic note: the operative report is pending. Chief complaint: back pain.",
            K.CLINICAL_NOTE,
        ),
    ],
)
def test_titles_count_more_than_mentions(text: str, kind: K) -> None:
    assert best_kind(text)[0] is kind


def test_a_denial_explaining_how_to_appeal_is_a_denial() -> None:
    assert best_kind(DENIAL)[0] is K.DENIAL_LETTER


def test_a_long_form_with_member_id_and_group_is_not_a_card() -> None:
    form = "Member ID: XJ4471 Group: 5521\n" + "Patient history and medications. " * 60
    assert best_kind(form)[0] is not K.INSURANCE_CARD


def test_every_kind_but_other_and_correspondence_can_be_suggested() -> None:
    assert set(PRIORITY) == set(K) - {K.OTHER, K.CORRESPONDENCE}


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("03/04/2026", dt.date(2026, 3, 4)),
        ("3/4/26", dt.date(2026, 3, 4)),
        ("3/4/62", dt.date(1962, 3, 4)),  # two digits after this year: last century
        ("03-04-2026", dt.date(2026, 3, 4)),
        ("2026-03-04", dt.date(2026, 3, 4)),
        ("2026/3/4", dt.date(2026, 3, 4)),
        ("March 4, 2026", dt.date(2026, 3, 4)),
        ("Mar. 4 2026", dt.date(2026, 3, 4)),
        ("march 4th, 2026", dt.date(2026, 3, 4)),
        ("Sept 30, 2025", dt.date(2025, 9, 30)),
        ("4 March 2026", dt.date(2026, 3, 4)),
        ("4th Mar, 2026", dt.date(2026, 3, 4)),
    ],
)
def test_date_formats(written: str, expected: dt.date) -> None:
    assert [found.value for found in find_dates(f"on {written}.", TODAY)] == [expected]


@pytest.mark.parametrize(
    "written",
    [
        "02/30/2026",
        "13/01/2026",
        "2026-13-01",
        "March 32, 2026",
        "1234567890",
        "555-123-4567",
        "12/2026",
    ],
)
def test_not_dates(written: str) -> None:
    assert find_dates(written, TODAY) == []


@pytest.mark.parametrize(
    ("text", "kind", "expected", "reason"),
    [
        (
            "Date of service: 02/20/2026\nPrinted 03/01/2026",
            None,
            dt.date(2026, 2, 20),
            "labelled “Date of service”",
        ),
        ("DOS 02/20/2026 printed 03/01/2026", None, dt.date(2026, 2, 20), "labelled “DOS”"),
        ("Printed 03/01/2026\nDate: March 10, 2026", None, dt.date(2026, 3, 10), "labelled “Date”"),
        (
            "Notice date: 03/12/2026 see 01/01/2026",
            None,
            dt.date(2026, 3, 12),
            "labelled “Notice date”",
        ),
        (
            "ref 01/02/2026 Date of letter\n\nMarch 4, 2026",
            None,
            dt.date(2026, 3, 4),
            "labelled “Date of letter”",
        ),
        ("Date: Tuesday, March 10, 2026", None, dt.date(2026, 3, 10), "labelled “Date”"),
        # A letter's own date beats the date of service it talks about; a record's the reverse.
        (
            DENIAL + "\nDate of service: 02/20/2026",
            K.DENIAL_LETTER,
            dt.date(2026, 3, 10),
            "labelled “Date”",
        ),
        (
            EOB + "\nStatement date: 03/02/2026",
            K.EOB,
            dt.date(2026, 3, 2),
            "labelled “Statement date”",
        ),
        (
            MRI + "\nReport date: 03/05/2026",
            K.IMAGING_REPORT,
            dt.date(2026, 3, 4),
            "labelled “Date of exam”",
        ),
        # Table layout: the label heads a column, the date is on the next line.
        (
            "Date of Service   Provider   Amount\n02/20/2026  Summit  $2,400",
            K.EOB,
            dt.date(2026, 2, 20),
            "labelled “Date of Service”",
        ),
        # Unlabelled: the most frequent, else the first.
        (
            "seen 01/05/2026, again 02/07/2026 and 02/07/2026",
            None,
            dt.date(2026, 2, 7),
            "the date written most often (2 times)",
        ),
        ("seen 01/05/2026 and 02/07/2026", None, dt.date(2026, 1, 5), "the first date in the text"),
        # Never a birth date, a future date or one before 1900.
        (
            "DOB: 04/05/1962  Visit 01/05/2026",
            None,
            dt.date(2026, 1, 5),
            "the first date in the text",
        ),
        (
            "Date of birth 04/05/1962\nMarch 4, 2026",
            None,
            dt.date(2026, 3, 4),
            "the first date in the text",
        ),
        (
            "Date: 12/01/2027\nwritten 11/01/2026",
            None,
            dt.date(2026, 11, 1),
            "the first date in the text",
        ),
        ("Date: 11/27/2026", None, dt.date(2026, 11, 27), "labelled “Date”"),  # today is fine
        (
            "Ledger of 03/04/1899 copied 2026-01-02",
            None,
            dt.date(2026, 1, 2),
            "the first date in the text",
        ),
        (
            "Due date: 01/15/2026\nissued 01/01/2026",
            None,
            dt.date(2026, 1, 1),
            "the first date in the text",
        ),
        (
            "Appeal by 05/01/2026. Letter 04/01/2026",
            None,
            dt.date(2026, 4, 1),
            "the first date in the text",
        ),
    ],
)
def test_document_date(text: str, kind: K | None, expected: dt.date, reason: str) -> None:
    assert suggest_date(text, TODAY, kind) == (expected, reason)


@pytest.mark.parametrize(
    "text", ["", "no dates here", "DOB 04/05/1962", "Date: 01/01/2030", "in 1850: 1/1/1850"]
)
def test_no_date(text: str) -> None:
    assert suggest_date(text, TODAY) == (None, "")


# --- provider -----------------------------------------------------------------------------------

CHEN = ProviderHint(1, "Dr. Wei Chen, MD", "1234567893")
SUMMIT = ProviderHint(2, "Summit Imaging Center", "1245319599")
SUMMIT_SHORT = ProviderHint(3, "Summit Imaging", None)
RIVERSIDE = ProviderHint(4, "Riverside Physical Therapy", None)
LEE = ProviderHint(5, "Dr. Lee", None)
BAD_NPI = ProviderHint(6, "Nowhere Clinic", "1234567890")  # fails the check digit
DIRECTORY = [CHEN, SUMMIT, SUMMIT_SHORT, RIVERSIDE, LEE, BAD_NPI]


@pytest.mark.parametrize(
    ("text", "provider_id", "reason"),
    [
        (
            "Ordering: Riverside Physical Therapy. Rendering NPI: 1245319599",
            2,
            "found NPI 1245319599",
        ),
        ("NPI 1234-567-893", 1, "found NPI 1234567893"),
        ("NPI 1234 567 893 and NPI 1245319599", 1, "found NPI 1234567893"),  # the first one
        ("RIVERSIDE PHYSICAL THERAPY\nDischarge", 4, "found the name “RIVERSIDE PHYSICAL THERAPY”"),
        ("Seen by Wei Chen today", 1, "found the name “Wei Chen”"),  # without "Dr." and "MD"
        ("CHEN, WEI  MD", 1, "found the name “CHEN, WEI”"),  # "Last, First"
        (
            "Summit Imaging Center, 12 Main St",
            2,
            "found the name “Summit Imaging Center”",
        ),  # longest
        ("Summit Imaging, 12 Main St", 3, "found the name “Summit Imaging”"),
        ("Dr. Lee will call you", 5, "found the name “Dr. Lee”"),
        (
            "Riverside Physical Therapy ... Dr. Wei Chen",
            4,
            "found the name “Riverside Physical Therapy”",
        ),
    ],
)
def test_provider(text: str, provider_id: int, reason: str) -> None:
    assert suggest_provider(text, DIRECTORY) == (provider_id, reason)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Lee Avenue clinic",  # "Lee" alone is too short to stand for "Dr. Lee"
        "Wei Chenowith",  # whole words only
        "Summit Imagingcenter",
        "NPI 1234567890",  # the directory's NPI fails the check: never matched
        "NPI 1234567894",  # unknown NPI
    ],
)
def test_no_provider(text: str) -> None:
    assert suggest_provider(text, DIRECTORY) == (None, "")


# --- all together -------------------------------------------------------------------------------


def test_suggest_metadata_for_a_denial_letter() -> None:
    text = DENIAL + "\nBlue Ridge Health Plan, on behalf of Summit Imaging Center (NPI 1245319599)"
    assert suggest_metadata(text, DIRECTORY, TODAY) == MetadataSuggestion(
        kind=K.DENIAL_LETTER,
        kind_reason="found “Adverse Benefit Determination”",
        document_date=dt.date(2026, 3, 10),
        date_reason="labelled “Date”",
        provider_id=2,
        provider_reason="found NPI 1245319599",
    )


def test_nothing_recognisable_is_empty() -> None:
    suggestion = suggest_metadata("lorem ipsum", DIRECTORY, TODAY)
    assert suggestion.empty
    assert suggestion == MetadataSuggestion()
    assert not suggest_metadata("Referral", [], TODAY).empty
    assert not suggest_metadata("12/01/2025", [], TODAY).empty
    assert not suggest_metadata("Summit Imaging", DIRECTORY, TODAY).empty
