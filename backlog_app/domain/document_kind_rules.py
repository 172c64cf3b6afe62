"""The phrases that say what kind of document a text is, and how much each one counts.

Each clue is a phrase printed on real documents with a weight. The kind whose strongest clue
weighs most wins; then the kind with more clues; then the order of ``PRIORITY``. Strong, defining
phrases ("Explanation of Benefits") outweigh words that many documents share ("denied"), so an
EOB that lists a denied claim is still an EOB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlog_app.domain.documents import DocumentKind as K

# Kinds whose own date is the letter's or statement's date rather than a date of service.
LETTER_KINDS = frozenset(
    {
        K.EOB,
        K.MEDICARE_SUMMARY_NOTICE,
        K.DENIAL_LETTER,
        K.APPROVAL,
        K.APPEAL_LETTER,
        K.MEDICAL_NECESSITY_LETTER,
        K.BILL,
        K.GOOD_FAITH_ESTIMATE,
        K.PLAN_DOCUMENT,
        K.PRIOR_AUTH_REQUEST,
        K.REFERRAL,
        K.CORRESPONDENCE,
    }
)

# Ties go to the kind listed first: insurer documents before the clinical words they quote.
PRIORITY = (
    K.MEDICARE_SUMMARY_NOTICE,
    K.EOB,
    K.GOOD_FAITH_ESTIMATE,
    K.PLAN_DOCUMENT,
    K.APPEAL_LETTER,
    K.MEDICAL_NECESSITY_LETTER,
    K.BILL,
    K.DENIAL_LETTER,
    K.APPROVAL,
    K.PRIOR_AUTH_REQUEST,
    K.OPERATIVE_NOTE,
    K.IMAGING_REPORT,
    K.PT_NOTE,
    K.LAB_RESULT,
    K.REFERRAL,
    K.CLINICAL_NOTE,
    K.PRESCRIPTION,
    K.INSURANCE_CARD,
)
# Insurance cards are short; a long text with "Member ID" and "Group" is a letter or a form.
CARD_MAX_CHARACTERS = 1000


@dataclass(frozen=True, slots=True)
class Clue:
    """A phrase that points to ``kind``.

    ``mention``: for a document's title ("Operative Report"), the weight when the phrase is only
    mentioned inside a sentence ("the operative report is enclosed") rather than heading a line.
    ``also``: another phrase that must be there too. ``max_characters``: only in texts this short.
    """

    kind: K
    weight: int
    pattern: re.Pattern[str]
    mention: int | None = None
    also: re.Pattern[str] | None = None
    max_characters: int | None = None

    def find(self, text: str) -> tuple[int, str] | None:
        """The weight this clue has in ``text`` and the words found as written ("“has been
        denied”"), or None when it is not there."""
        if self.max_characters is not None and len(text) > self.max_characters:
            return None
        matches = list(self.pattern.finditer(text))
        if not matches:
            return None
        weight, match = self.weight, matches[0]
        if self.mention is not None:
            headings = [found for found in matches if _heads_line(text, found.start())]
            weight, match = (self.weight, headings[0]) if headings else (self.mention, match)
        found = f"“{_tidy(match.group(0))}”"
        if self.also is not None:
            other = self.also.search(text)
            if other is None:
                return None
            found += f" and “{_tidy(other.group(0))}”"
        return weight, found


# What may stand before a title on its line: nothing, a bullet, "Re:", "Subject:", "Title:".
_TITLE_PREFIX = re.compile(r"[\s*•·#>\-]*(?:(?:re|subject|title|type)\s*:?\s*)?", re.IGNORECASE)


def _heads_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return _TITLE_PREFIX.fullmatch(text[line_start:start]) is not None


def _tidy(words: str) -> str:
    return " ".join(words.split()).rstrip(":")


def phrase(*alternatives: str) -> re.Pattern[str]:
    """Whole words, any case, any spacing or line break between them. Alternatives may use
    regular-expression syntax inside words (``referral(?:s)?``)."""
    joined = "|".join(r"\s+".join(part.split()) for part in alternatives)
    return re.compile(rf"(?<!\w)(?:{joined})(?!\w)", re.IGNORECASE)


def exact(pattern: str) -> re.Pattern[str]:
    """Case matters: "Rx", "EOB", "HPI" (so "rx" inside other words does not count)."""
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


def heading(*words: str) -> re.Pattern[str]:
    """A section heading at the start of a line: "IMPRESSION:", "Findings:"."""
    return re.compile(rf"(?m)^[ \t]*(?:{'|'.join(words)})[ \t]*:", re.IGNORECASE)


_PT_CONTEXT = phrase("physical therapy", "physical therapist", "DPT")
_MEMBER = phrase(
    "member id", "member #", "member number", "subscriber id", "id no", "identification number"
)
_CARD_COMPANION = phrase("group", "grp", "copay", "co-pay", "PCP", "payer id", "plan")

CLUES: tuple[Clue, ...] = (
    Clue(K.MEDICARE_SUMMARY_NOTICE, 100, phrase("Medicare Summary Notice"), mention=55),
    Clue(K.EOB, 100, phrase("Explanation of Benefits"), mention=55),
    Clue(K.EOB, 90, phrase("this is not a bill")),
    Clue(K.EOB, 45, exact("EOB")),
    # Bills print the notice "You have the right to receive a Good Faith Estimate".
    Clue(K.GOOD_FAITH_ESTIMATE, 100, phrase("Good Faith Estimate"), mention=30),
    Clue(K.PLAN_DOCUMENT, 100, phrase("Summary of Benefits and Coverage"), mention=40),
    Clue(
        K.PLAN_DOCUMENT, 85, phrase("Evidence of Coverage", "Certificate of Coverage"), mention=40
    ),
    Clue(K.PLAN_DOCUMENT, 60, phrase("Schedule of Benefits", "Summary of Benefits"), mention=30),
    # First person: the patient or doctor appealing, not a denial explaining how to appeal.
    Clue(
        K.APPEAL_LETTER,
        95,
        phrase(
            r"I am writing to (?:formally )?appeal",
            r"I (?:hereby|wish to|would like to|want to) (?:formally )?appeal",
            r"I am (?:formally )?(?:appealing|requesting an? (?:appeal|reconsideration))",
            r"(?:accept|consider) this letter as (?:my|a|an) (?:formal )?appeal",
            r"this letter is (?:my|a|an) (?:formal )?appeal",
        ),
    ),
    Clue(K.APPEAL_LETTER, 70, phrase(r"(?:please|kindly|I ask (?:that )?you(?: to)?) reconsider")),
    Clue(K.APPEAL_LETTER, 55, phrase(r"re: (?:request for )?(?:an )?appeal")),
    Clue(K.APPEAL_LETTER, 20, phrase("appeal")),
    Clue(
        K.MEDICAL_NECESSITY_LETTER,
        90,
        phrase(
            "letter of medical necessity",
            "statement of medical necessity",
            "medical necessity letter",
        ),
        mention=45,  # "a letter of medical necessity is enclosed" (an appeal)
    ),
    Clue(
        K.BILL, 80, phrase("patient statement", "itemized statement", "itemized bill"), mention=50
    ),
    Clue(
        K.BILL,
        65,
        phrase("amount due", "balance due", "statement date", "please pay", "pay this amount"),
    ),
    Clue(K.DENIAL_LETTER, 85, phrase("adverse benefit determination")),
    Clue(K.DENIAL_LETTER, 75, phrase("notice of denial", "denial notice", "denial of coverage")),
    Clue(
        K.DENIAL_LETTER,
        60,
        phrase(
            r"(?:has|have) been denied",
            r"(?:is|are|was|were) denied",
            "not medically necessary",
            r"(?:are|were) (?:unable to|not able to) approve",
            r"(?:cannot|can not|could not|did not|do not|will not) approve",
        ),
    ),
    Clue(K.DENIAL_LETTER, 35, phrase("denied", "denial")),
    Clue(
        K.APPROVAL,
        75,
        phrase(
            r"(?:has|have) been approved",
            r"(?:is|are|was|were) approved",
            "approval notice",
            "notice of approval",
            "authorization approved",
        ),
    ),
    Clue(
        K.APPROVAL,
        55,
        phrase("authorization number", r"auth(?:orization)? (?:no\.?|#)", "certification number"),
    ),
    Clue(K.APPROVAL, 45, phrase("approved")),
    Clue(
        K.PRIOR_AUTH_REQUEST,
        80,
        phrase(
            r"(?:prior authorization|pre-?authorization|pre-?certification) request form",
            r"request for (?:prior authorization|pre-?authorization|pre-?certification) form",
        ),
        mention=50,
    ),
    Clue(
        K.PRIOR_AUTH_REQUEST,
        55,
        phrase(
            r"(?:prior authorization|pre-?authorization|pre-?certification) request",
            r"request for (?:prior authorization|pre-?authorization|pre-?certification)",
        ),
    ),
    Clue(
        K.OPERATIVE_NOTE,
        90,
        phrase("operative report", "operative note", "brief op note"),
        mention=45,
    ),
    Clue(K.OPERATIVE_NOTE, 80, phrase("procedure note", "procedure report", "op note"), mention=45),
    Clue(K.OPERATIVE_NOTE, 60, phrase("preoperative diagnosis", "postoperative diagnosis")),
    Clue(K.IMAGING_REPORT, 80, phrase("radiology report", "imaging report"), mention=40),
    Clue(K.IMAGING_REPORT, 60, heading("impression")),
    Clue(K.IMAGING_REPORT, 55, heading("findings", "technique", "comparison")),
    Clue(
        K.IMAGING_REPORT,
        40,
        phrase(
            "MRI", "magnetic resonance", "CT scan", "computed tomography", "x-rays?", "radiographs?"
        ),
    ),
    Clue(
        K.PT_NOTE,
        90,
        phrase(
            r"(?:physical therapy|PT) (?:initial )?(?:evaluation|re-?evaluation|progress note|"
            r"daily note|treatment note|visit note|discharge summary|discharge)",
        ),
        mention=45,  # "the physical therapy discharge summary is enclosed" (a referral)
    ),
    Clue(K.PT_NOTE, 85, phrase("discharge summary"), mention=45, also=_PT_CONTEXT),
    Clue(K.PT_NOTE, 45, phrase("physical therapist", "plan of care", "therapeutic exercises?")),
    Clue(K.PT_NOTE, 40, phrase("physical therapy")),
    Clue(
        K.LAB_RESULT,
        70,
        phrase("reference range", "laboratory report", "lab report", "lab results"),
    ),
    Clue(K.LAB_RESULT, 45, phrase("specimen")),
    Clue(
        K.REFERRAL,
        75,
        phrase(
            "reason for referral",
            "referral form",
            "referral request",
            "referral to",
            "referral for",
        ),
    ),
    Clue(K.REFERRAL, 50, phrase("referral")),
    Clue(
        K.CLINICAL_NOTE,
        60,
        phrase(
            "history of present illness",
            "chief complaint",
            "assessment and plan",
            "office visit",
            "progress note",
            "clinic note",
            "visit note",
            "discharge summary",
        ),
    ),
    Clue(K.CLINICAL_NOTE, 50, phrase("review of systems")),
    Clue(K.CLINICAL_NOTE, 40, exact("HPI")),
    Clue(K.PRESCRIPTION, 60, phrase("prescription", "℞")),
    Clue(K.PRESCRIPTION, 50, exact("Rx")),
    Clue(K.PRESCRIPTION, 45, phrase("dispense", r"refills?", "sig:")),
    Clue(K.INSURANCE_CARD, 90, exact(r"Rx ?(?:BIN|PCN|GRP|Group)|RXBIN|RXPCN|RXGRP")),
    Clue(K.INSURANCE_CARD, 85, phrase("this card does not guarantee", "present this card")),
    # Letters say "show your ID card"; only a heading counts.
    Clue(K.INSURANCE_CARD, 60, phrase("insurance card", "member card", "ID card"), mention=25),
    Clue(K.INSURANCE_CARD, 70, _MEMBER, also=_CARD_COMPANION, max_characters=CARD_MAX_CHARACTERS),
)

_RANK = {kind: position for position, kind in enumerate(PRIORITY)}


def best_kind(text: str) -> tuple[K | None, str]:
    """The kind the clues in ``text`` point to most strongly, and "found “…”"; (None, "")
    when no clue is there."""
    scores: dict[K, tuple[int, int, str]] = {}  # kind → (strongest weight, clues found, reason)
    for clue in CLUES:
        result = clue.find(text)
        if result is None:
            continue
        found_weight, found = result
        weight, count, reason = scores.get(clue.kind, (0, 0, ""))
        if found_weight > weight:
            weight, reason = found_weight, found
        scores[clue.kind] = (weight, count + 1, reason)
    if not scores:
        return None, ""
    kind = min(scores, key=lambda k: (-scores[k][0], -scores[k][1], _RANK[k]))
    return kind, f"found {scores[kind][2]}"
