"""The words of the demo's five letters, dated and signed to match Maria's treatment log.

Each function returns a ``Letter`` (plain data) for ``demo_pdf_layout`` to draw. The facts come
from the demo profile itself (``StoryFacts``), so a letter never disagrees with the log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backlog_app.domain.records import PlanData, ProviderData
from backlog_app.services.demo_pdf_layout import (
    Boxed,
    Fields,
    Grid,
    Heading,
    Letter,
    Letterhead,
    Para,
)

# Claim amounts of the MRI, in cents: (billed, allowed) for the facility and the reading.
MRI_FACILITY_CENTS = (198_000, 94_000)
MRI_READING_CENTS = (47_000, 24_000)
MRI_DEDUCTIBLE_CENTS = 85_000
COINSURANCE_PERCENT = 20
APPEAL_DAYS = 180


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """Who and when, read from the demo profile."""

    patient: str
    date_of_birth: dt.date
    address: str
    phone: str
    plan: PlanData
    providers: dict[str, ProviderData]  # by name
    flare_up: dt.date
    first_visit: dt.date
    xray: dt.date
    gabapentin_start: dt.date
    pt_start: dt.date
    pt_end: dt.date
    pt_visits: int
    referral: dt.date
    mri: dt.date
    injection: dt.date
    relief_percent: int
    relief_days: int
    pain_follow_up: dt.date

    @property
    def denial(self) -> dt.date:
        """The plan's letter: two days before the follow-up visit that discusses it."""
        return self.pain_follow_up - dt.timedelta(days=2)

    @property
    def eob(self) -> dt.date:
        return self.mri + dt.timedelta(days=23)

    @property
    def footer(self) -> str:
        last, first = self.patient.split()[-1], " ".join(self.patient.split()[:-1])
        return f"{last}, {first} · DOB {short(self.date_of_birth)}"


def long(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def short(day: dt.date) -> str:
    return f"{day:%m/%d/%Y}"


def money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def _clinic(provider: ProviderData, tagline: str, colour: str) -> Letterhead:
    address = (provider.address or "").split("\n")
    phones = f"Phone {provider.phone}" + (f" · Fax {provider.fax}" if provider.fax else "")
    return Letterhead(
        provider.organization or provider.name, tagline, (*address, phones), colour, provider.npi
    )


def referral(facts: StoryFacts) -> Letter:
    pcp = facts.providers["Dr. Karen Whitfield"]
    spine = facts.providers["Dr. Samuel Okafor"]
    weeks_of_pain = (facts.referral - facts.flare_up).days // 7
    return Letter(
        _clinic(pcp, "Family Medicine", "#2e6b3f"),
        title="Referral to spine specialist",
        author=pcp.name,
        footer=facts.footer,
        blocks=(
            Heading("REFERRAL FOR SPECIALIST CONSULTATION"),
            Fields(
                (
                    ("Date", long(facts.referral)),
                    ("Patient", facts.patient),
                    ("Date of birth", short(facts.date_of_birth)),
                    ("Phone", facts.phone),
                    ("Insurance", f"{facts.plan.insurer} {facts.plan.plan_name}"),
                    ("Member ID", facts.plan.member_id or ""),
                    ("Referred to", f"{spine.name}, {spine.specialty}"),
                    ("Practice", f"{spine.organization}\nNPI {spine.npi}"),
                    ("Referring", f"{pcp.name}, MD\nNPI {pcp.npi}"),
                    ("Urgency", "Routine (within 4 weeks)"),
                )
            ),
            Heading("Reason for referral"),
            Para(
                f"Dear Dr. {spine.name.split()[-1]},\n"
                f"I am referring Ms. {facts.patient.split()[-1]}, a {_age(facts, facts.referral)}-"
                "year-old school administrator, for evaluation of low back pain with left-sided "
                f"sciatica that began on {long(facts.flare_up)} when she lifted a box of books "
                f"at work. After {weeks_of_pain} weeks of conservative care her leg pain and "
                "numbness have not improved."
            ),
            Heading("Diagnoses"),
            Para(
                "M54.16  Radiculopathy, lumbar region\n"
                "M54.42  Lumbago with sciatica, left side\n"
                "M51.26  Other intervertebral disc displacement, lumbar region (suspected)"
            ),
            Heading("Treatment so far"),
            Para(
                f"Naproxen 500 mg twice daily from {long(facts.first_visit)} for six weeks: no "
                "improvement and stomach upset. Cyclobenzaprine 10 mg at bedtime, stopped after "
                "two and a half weeks for next-day drowsiness. Gabapentin 300 mg three times "
                f"daily since {long(facts.gabapentin_start)}, with partial relief of the leg pain. "
                "McKenzie extension exercises at home, twice a day."
            ),
            Para(
                f"Physical therapy at Motion Forward Physical Therapy from {long(facts.pt_start)} "
                f"to {long(facts.pt_end)}: {facts.pt_visits} visits over 8 weeks. Walking "
                "tolerance improved from 10 to 25 minutes; left leg pain and numbness in the L5 "
                "distribution are unchanged. Lumbar radiographs on "
                f"{long(facts.xray)} showed mild loss of disc height at L4-L5 without fracture "
                "or spondylolisthesis."
            ),
            Heading("Examination"),
            Para(
                "Positive straight-leg raise on the left at 45 degrees. Diminished light touch "
                "over the dorsum of the left foot. Strength 5/5 except left extensor hallucis "
                "longus 4+/5. Reflexes symmetric. No saddle anesthesia, no bowel or bladder "
                "change."
            ),
            Heading("Request"),
            Para(
                "Please evaluate and advise on further management, including interventional "
                "options. I have ordered an MRI of the lumbar spine without contrast at "
                "Columbus Open MRI; the report will be sent to your office. Office notes and the "
                "physical therapy discharge summary are enclosed."
            ),
            Para(
                "Thank you for seeing her.\n\n"
                f"{pcp.name}, MD\n{pcp.specialty}, {pcp.organization}\n"
                f"Electronically signed {short(facts.referral)}"
            ),
        ),
    )


def mri_report(facts: StoryFacts) -> Letter:
    radiologist = facts.providers["Dr. Helen Marsh"]
    center = facts.providers["Columbus Open MRI"]
    pcp = facts.providers["Dr. Karen Whitfield"]
    return Letter(
        _clinic(center, "Diagnostic Imaging · ACR accredited", "#1f4e79"),
        title="MRI lumbar spine report",
        author=radiologist.name,
        footer=facts.footer,
        blocks=(
            Heading("RADIOLOGY REPORT"),
            Fields(
                (
                    ("Patient", facts.patient),
                    ("Date of birth", short(facts.date_of_birth)),
                    ("MRN", "COM-0317244"),
                    ("Accession", f"MR{facts.mri:%y%m%d}-0412"),
                    ("Exam date", long(facts.mri)),
                    ("Ordered by", f"{pcp.name}, MD (NPI {pcp.npi})"),
                    ("Exam", "MRI lumbar spine without contrast (CPT 72148)"),
                    ("Read by", f"{radiologist.name}, MD (NPI {radiologist.npi})"),
                )
            ),
            Heading("CLINICAL HISTORY"),
            Para(
                "Low back pain with left leg radicular pain and numbness for four months after "
                "a lifting injury. No improvement after 8 weeks of physical therapy and "
                "medications. Evaluate for disc herniation."
            ),
            Heading("TECHNIQUE"),
            Para(
                "Multiplanar, multisequence MRI of the lumbar spine was performed on a 1.5 T "
                "scanner without intravenous contrast: sagittal T1, T2 and STIR; axial T1 and T2 "
                "from L2 to S1."
            ),
            Heading("COMPARISON"),
            Para(f"Lumbar spine radiographs, {long(facts.xray)}."),
            Heading("FINDINGS"),
            Para(
                "Alignment: Normal lumbar lordosis. No spondylolisthesis. Five lumbar-type "
                "vertebral bodies are assumed for numbering.\n"
                "Vertebrae: Vertebral body heights are maintained. No fracture, marrow edema or "
                "suspicious marrow lesion. Mild degenerative endplate signal at L4-L5.\n"
                "Conus: The conus medullaris ends normally at L1 and is normal in signal. The "
                "cauda equina nerve roots are unremarkable."
            ),
            Para(
                "T12-L1 through L2-L3: No disc herniation, canal or foraminal stenosis.\n"
                "L3-L4: Minimal disc bulge. No stenosis.\n"
                "L4-L5: Disc desiccation with mild loss of height. Broad-based disc bulge with a "
                "superimposed left paracentral disc extrusion measuring 7 mm in AP dimension, "
                "extending 5 mm caudal to the disc space. The extrusion contacts and posteriorly "
                "displaces the traversing left L5 nerve root in the lateral recess, with mild "
                "narrowing of the left lateral recess. The central canal is not significantly "
                "narrowed. Mild bilateral facet arthropathy. Neural foramina are patent.\n"
                "L5-S1: Mild facet arthropathy. Minimal disc bulge without nerve root contact. "
                "No stenosis."
            ),
            Para(
                "Paraspinal soft tissues: Unremarkable. Visualized retroperitoneum is unremarkable."
            ),
            Heading("IMPRESSION"),
            Para(
                "1. Left paracentral disc extrusion at L4-L5 contacting and displacing the "
                "traversing left L5 nerve root, with mild left lateral recess narrowing. "
                "Correlate with the left L5 radicular symptoms.\n"
                "2. Mild facet arthropathy at L4-L5 and L5-S1.\n"
                "3. No fracture, no central canal stenosis, normal conus.",
                bold=True,
            ),
            Para(
                f"Electronically signed by {radiologist.name}, MD, {radiologist.specialty}, "
                f"on {long(facts.mri)} at 4:52 PM.\n"
                f"A copy of this report was sent to {pcp.name}, MD."
            ),
        ),
    )


def denial_letter(facts: StoryFacts) -> Letter:
    plan = facts.plan
    pain = facts.providers["Dr. Priya Raman"]
    requested = facts.denial - dt.timedelta(days=5)
    deadline = facts.denial + dt.timedelta(days=APPEAL_DAYS)
    appeals = (plan.appeals_address or "").split("\n")
    weeks = facts.relief_days // 7
    return Letter(
        Letterhead(
            plan.insurer,
            "Utilization Management",
            (*appeals[1:], f"Member services {plan.member_services_phone}"),
            "#6b2e5f",
        ),
        title="Notice of adverse benefit determination",
        author=f"{plan.insurer} Utilization Management",
        footer=f"{facts.footer} · Reference UM-{facts.denial:%y%m%d}-20417",
        serif=True,
        blocks=(
            Para(f"{long(facts.denial)}\n\n{facts.patient}\n{facts.address}"),
            Fields(
                (
                    ("Member", facts.patient),
                    ("Member ID", plan.member_id or ""),
                    ("Group", plan.group_number or ""),
                    ("Plan", plan.plan_name or ""),
                    ("Reference", f"UM-{facts.denial:%y%m%d}-20417"),
                    ("Received", long(requested)),
                    ("Provider", f"{pain.name}, MD (NPI {pain.npi})"),
                    ("Facility", "Northside Surgery Center"),
                )
            ),
            Heading("NOTICE OF ADVERSE BENEFIT DETERMINATION — PRIOR AUTHORIZATION DENIED"),
            Para(f"Dear {facts.patient}:"),
            Para(
                f"We reviewed the request from {pain.name} for a repeat left L4-L5 "
                "transforaminal epidural steroid injection under fluoroscopic guidance (CPT "
                "64483, ICD-10 M51.16). After review, this service has been denied. This means "
                "your plan will not pay for this service if you receive it."
            ),
            Heading("Why the request was denied"),
            Para(
                "The request does not meet the medical necessity criteria in our clinical "
                "policy CP-PAIN-014, Epidural Steroid Injections for Back Pain. A repeat "
                "injection in the same region is considered medically necessary only when the "
                "previous injection gave at least 50% relief of pain lasting at least 6 weeks. "
                f"The records we received show that the injection on {long(facts.injection)} "
                f"gave about {facts.relief_percent}% relief lasting {weeks} weeks."
            ),
            Para(
                "This decision was made by a board-certified physician reviewer in "
                "anesthesiology and pain medicine. It is not a decision about whether you need "
                "treatment; you and your doctor decide your care. You may ask for a free copy of "
                "the clinical policy and of all documents we used to make this decision."
            ),
            Heading("Your right to appeal"),
            Para(
                f"You, or someone you name to act for you, may appeal this decision. Your "
                f"written appeal must be received within {APPEAL_DAYS} days of the date you "
                f"received this letter; if you received it on the date above, your appeal must "
                f"be received by {long(deadline)}.",
                bold=True,
            ),
            Para(
                "Send your appeal, a copy of this letter and any information you want us to "
                "consider (for example records or a letter from your doctor) to:\n"
                + "\n".join(appeals)
                + f"\nFax {plan.appeals_fax} · Phone {plan.appeals_phone}"
            ),
            Para(
                "If waiting for a standard appeal could seriously jeopardize your life, health "
                "or ability to regain maximum function, you or your doctor may ask for an "
                "expedited appeal by phone; we will decide it within 72 hours. Your doctor may "
                "also ask for a peer-to-peer discussion with the reviewer by calling "
                f"{plan.prior_auth_phone} within 14 days of this letter."
            ),
            Heading("External review and other rights"),
            Para(
                "If we uphold this decision on appeal, you may ask for an external review by an "
                "independent review organization. Your plan is an employer plan governed by the "
                "Employee Retirement Income Security Act (ERISA); you also have the right to "
                "bring a civil action under section 502(a) of ERISA after the appeal process. "
                "For help you may contact the Employee Benefits Security Administration at "
                "1-866-444-3272."
            ),
            Para(
                "ATENCIÓN: si habla español, tiene a su disposición servicios gratuitos de "
                f"asistencia lingüística. Llame al {plan.member_services_phone}."
            ),
            Para(f"Sincerely,\n\nUtilization Management Department\n{plan.insurer}"),
            Para(f"cc: {pain.name}, MD, {pain.organization}"),
        ),
    )


def eob(facts: StoryFacts) -> Letter:
    plan = facts.plan
    center = facts.providers["Columbus Open MRI"]
    radiologist = facts.providers["Dr. Helen Marsh"]
    lines = (
        ("72148-TC MRI lumbar spine w/o contrast", center.name, *MRI_FACILITY_CENTS),
        ("72148-26 Interpretation", radiologist.name, *MRI_READING_CENTS),
    )
    billed = sum(line[2] for line in lines)
    allowed = sum(line[3] for line in lines)
    coinsurance = (allowed - MRI_DEDUCTIBLE_CENTS) * COINSURANCE_PERCENT // 100
    paid = allowed - MRI_DEDUCTIBLE_CENTS - coinsurance
    owed = MRI_DEDUCTIBLE_CENTS + coinsurance
    rows = []
    deductible_left = MRI_DEDUCTIBLE_CENTS  # applied to the lines in order, as claims systems do
    for name, who, line_billed, line_allowed in lines:
        deductible = min(deductible_left, line_allowed)
        deductible_left -= deductible
        line_coinsurance = (line_allowed - deductible) * COINSURANCE_PERCENT // 100
        rows.append(
            (
                f"{short(facts.mri)} {name}\n{who}",
                money(line_billed),
                money(line_billed - line_allowed),
                money(line_allowed),
                money(deductible),
                money(line_coinsurance),
                money(line_allowed - deductible - line_coinsurance),
                "PDC, DED" if deductible else "PDC",
            )
        )
    return Letter(
        Letterhead(
            plan.insurer,
            "Explanation of Benefits",
            ("PO Box 18210", "Columbus, OH 43218", f"Member services {plan.member_services_phone}"),
            "#6b2e5f",
        ),
        title="Explanation of Benefits",
        author=plan.insurer,
        footer=f"{facts.footer} · Claim EC{facts.mri:%y%m%d}7731",
        blocks=(
            Boxed("THIS IS NOT A BILL"),
            Fields(
                (
                    ("Statement date", long(facts.eob)),
                    ("Member", facts.patient),
                    ("Member ID", plan.member_id or ""),
                    ("Group", plan.group_number or ""),
                    ("Claim number", f"EC{facts.mri:%y%m%d}7731"),
                    ("Provider", f"{center.name}\nNPI {center.npi}"),
                    ("Network", "In network"),
                    ("Plan", plan.plan_name or ""),
                )
            ),
            Para(
                "This statement explains how your plan processed a claim for services you "
                "received. Keep it with your records. If you owe an amount, your provider will "
                f"send you a bill. Your share for this claim is {money(owed)}.",
            ),
            Grid(
                (
                    "Service",
                    "Billed",
                    "Savings",
                    "Allowed",
                    "Deductible",
                    "Coinsurance",
                    "Plan paid",
                    "Codes",
                ),
                tuple(rows),
                (0.225, 0.105, 0.105, 0.105, 0.115, 0.125, 0.105, 0.115),
                total=(
                    "Total",
                    money(billed),
                    money(billed - allowed),
                    money(allowed),
                    money(MRI_DEDUCTIBLE_CENTS),
                    money(coinsurance),
                    money(paid),
                    "",
                ),
            ),
            Para(f"What you may owe the provider: {money(owed)}", bold=True),
            Heading("Explanation of codes"),
            Para(
                "PDC  Network savings: your provider agreed to accept the allowed amount. You do "
                "not owe the difference.\n"
                "DED  This amount was applied to your deductible.\n"
                f"Coinsurance  After the deductible you pay {COINSURANCE_PERCENT}% of the "
                "allowed amount for in-network imaging."
            ),
            Heading("Your plan year so far"),
            Para(
                f"In-network deductible: {money(plan.deductible_cents or 0)} (met). "
                f"In-network out-of-pocket maximum: {money(plan.out_of_pocket_max_cents or 0)}."
            ),
            Heading("Questions or disagree?"),
            Para(
                f"Call member services at {plan.member_services_phone}. If you disagree with how "
                "this claim was processed, you may appeal within 180 days of receiving this "
                "statement. Write to: " + ", ".join((plan.appeals_address or "").split("\n")) + "."
            ),
        ),
    )


def pt_discharge(facts: StoryFacts) -> Letter:
    therapist = facts.providers["Jenna Brooks, DPT"]
    pcp = facts.providers["Dr. Karen Whitfield"]
    return Letter(
        _clinic(therapist, "Outpatient orthopedic and spine rehabilitation", "#b35c1e"),
        title="Physical therapy discharge summary",
        author=therapist.name,
        footer=facts.footer,
        blocks=(
            Heading("PHYSICAL THERAPY DISCHARGE SUMMARY"),
            Fields(
                (
                    ("Patient", facts.patient),
                    ("Date of birth", short(facts.date_of_birth)),
                    ("Dates of care", f"{short(facts.pt_start)} – {short(facts.pt_end)}"),
                    ("Visits", f"{facts.pt_visits} of {facts.pt_visits} authorized"),
                    ("Referred by", f"{pcp.name}, MD (NPI {pcp.npi})"),
                    ("Therapist", f"{therapist.name} (NPI {therapist.npi})"),
                    ("Diagnosis", "M54.16 Radiculopathy, lumbar\nM54.42 Sciatica, left"),
                    ("Discharge date", long(facts.pt_end)),
                )
            ),
            Heading("Subjective"),
            Para(
                "Patient reports low back pain with pain, tingling and numbness down the left "
                "leg to the top of the foot since a lifting injury at work. At evaluation she "
                "rated her average pain 7/10 and could walk about 10 minutes before the leg pain "
                "made her stop. At discharge she reports average pain 6/10, walks 25 minutes, "
                "and sits about 30 minutes at work. The leg numbness is unchanged."
            ),
            Heading("Treatment provided"),
            Para(
                "Therapeutic exercise (97110): lumbar stabilization, core and hip strengthening, "
                "graded walking program. Neuromuscular re-education (97112). Manual therapy "
                "(97140): soft-tissue mobilization and lumbar mobilization, grade II–III. "
                "Directional preference (extension) exercises; a written home exercise program "
                "was reviewed at each visit."
            ),
            Grid(
                ("Measure", "Evaluation", "Discharge"),
                (
                    ("Average pain (0–10)", "7", "6"),
                    ("Walking tolerance", "10 min", "25 min"),
                    ("Sitting tolerance", "20 min", "30 min"),
                    ("Straight-leg raise, left", "positive at 40°", "positive at 45°"),
                    ("Lumbar flexion", "fingertips to knee", "fingertips to mid-shin"),
                    ("Prone plank", "15 s", "45 s"),
                    ("Left L5 sensation", "diminished", "diminished (unchanged)"),
                ),
                (0.46, 0.27, 0.27),
            ),
            Heading("Goals"),
            Grid(
                ("Goal", "Status"),
                (
                    ("Independent with home exercise program (4 weeks)", "Met"),
                    ("Walk 30 minutes for community errands (8 weeks)", "Partly met: 25 min"),
                    ("Sit 45 minutes for work meetings (8 weeks)", "Not met: 30 min"),
                    ("Average pain 4/10 or less (8 weeks)", "Not met: 6/10"),
                ),
                (0.7, 0.3),
            ),
            Heading("Assessment"),
            Para(
                f"Patient attended all {facts.pt_visits} visits and was fully compliant with "
                "her home program. She gained core strength and walking tolerance, but the left "
                "leg pain and L5 sensory loss have not changed and progress has plateaued over "
                "the last three weeks. Further skilled therapy is not expected to change the "
                "radicular symptoms at this time."
            ),
            Heading("Plan"),
            Para(
                "Discharged from physical therapy with goals partly met. Continue the home "
                "program daily. Recommend follow-up with the referring physician for further "
                "evaluation of the persistent radicular symptoms (imaging and specialist "
                "opinion)."
            ),
            Para(
                f"{therapist.name}\nPhysical Therapist, {therapist.organization}\n"
                f"Electronically signed {short(facts.pt_end)}"
            ),
        ),
    )


def _age(facts: StoryFacts, on: dt.date) -> int:
    born = facts.date_of_birth
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
