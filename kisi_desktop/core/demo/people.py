"""Demo people and everything held about them: contacts, cases, consents, referrals, outcomes.

Proportions follow the arrivals in Hessen (DOMAIN.md: Afghanistan, Turkey and Syria first;
Ukrainians under temporary protection) and common counselling practice; none of it is real.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from kisi_desktop.core.demo.names import FATHER_NAME_COUNTRIES, NAMES
from kisi_desktop.core.demo.texts import note_text
from kisi_desktop.core.domain import (
    Case,
    Consent,
    Contact,
    FollowUp,
    Handout,
    Note,
    OutcomeEvent,
    Person,
    Referral,
)
from kisi_desktop.core.domain.referral import SETTLED_REFERRALS
from kisi_desktop.core.domain.registry import Record


@dataclass(frozen=True, slots=True)
class Origin:
    """How people from one country differ in the demo data."""

    weight: float
    languages: tuple[str, ...]
    statuses: tuple[tuple[str, int], ...]
    female: float
    native_script: float
    handout: str


ORIGINS: dict[str, Origin] = {
    "AF": Origin(
        38,
        ("prs", "ps"),
        (
            ("refugee", 3),
            ("subsidiary_protection", 2),
            ("deportation_ban", 3),
            ("asylum_pending", 3),
            ("tolerated", 1),
        ),
        0.35,
        0.35,
        "prs",
    ),
    "UA": Origin(
        16, ("uk", "ru"), (("temporary_protection", 9), ("employment", 1)), 0.65, 0.5, "uk"
    ),
    "SY": Origin(
        12,
        ("ar", "kmr"),
        (
            ("subsidiary_protection", 4),
            ("refugee", 3),
            ("family_reunification", 2),
            ("settlement", 1),
        ),
        0.42,
        0.4,
        "ar",
    ),
    "TR": Origin(
        11,
        ("tr", "kmr"),
        (("asylum_pending", 4), ("refugee", 1), ("employment", 2), ("tolerated", 1)),
        0.35,
        1,
        "tr",
    ),
    "IQ": Origin(
        5,
        ("ar", "ckb"),
        (
            ("tolerated", 2),
            ("subsidiary_protection", 2),
            ("asylum_pending", 2),
            ("family_reunification", 1),
        ),
        0.4,
        0.4,
        "ar",
    ),
    "IR": Origin(5, ("fa",), (("refugee", 3), ("asylum_pending", 3)), 0.45, 0.4, "fa"),
    "SO": Origin(
        5,
        ("so",),
        (("subsidiary_protection", 3), ("asylum_pending", 2), ("refugee", 1)),
        0.45,
        0.5,
        "so",
    ),
    "ER": Origin(4, ("ti",), (("refugee", 4), ("family_reunification", 2)), 0.4, 0.4, "ti"),
    "ET": Origin(
        4, ("am", "om"), (("asylum_pending", 3), ("tolerated", 2), ("refugee", 1)), 0.45, 0.4, "am"
    ),
}
TOPICS = {
    "arrival": 6,
    "language_course": 14,
    "civic_education": 3,
    "childcare": 4,
    "school": 5,
    "vocational_training": 4,
    "university": 1,
    "recognition": 4,
    "work": 10,
    "health": 6,
    "housing": 10,
    "family": 4,
    "benefits": 7,
    "residence": 6,
    "family_reunification": 3,
    "participation": 3,
    "other": 2,
}
REFERRAL_TARGETS = {
    "arrival": "mbe",
    "language_course": "integration_course",
    "civic_education": "integration_course",
    "childcare": "youth_office",
    "school": "school_office",
    "vocational_training": "jmd",
    "university": "other",
    "recognition": "recognition_counselling",
    "work": "jobcenter",
    "health": "health",
    "housing": "housing",
    "family": "youth_office",
    "benefits": "social_office",
    "residence": "immigration_office",
    "family_reunification": "mbe",
    "participation": "wir_centre",
    "other": "other",
}
HANDOUT_TOPICS = {
    "arrival": "welcome",
    "residence": "counselling_emergency",
    "housing": "housing",
    "work": "work",
    "school": "kita_school",
    "childcare": "kita_school",
    "family": "counselling_emergency",
    "health": "health",
    "language_course": "language_courses",
    "civic_education": "life_in_germany",
    "vocational_training": "training_university",
    "university": "training_university",
    "recognition": "recognition",
    "participation": "volunteering",
}
MODES = {
    "office": 10,
    "phone": 5,
    "outreach": 2,
    "video": 1,
    "messenger_email": 3,
    "accompaniment": 2,
}
STREETS = (
    "Marktplatz",
    "Bahnhofstraße",
    "Niederrheinische Straße",
    "Am Brauhaus",
    "Römerstraße",
    "Borngasse",
    "Jahnstraße",
    "Am Wehr",
    "Schulstraße",
    "Lindenweg",
)
PROJECT_START = date(2025, 10, 1)
PROJECT_END = date(2028, 9, 30)


def weighted(rng: random.Random, table: Mapping[str, float] | tuple[tuple[str, int], ...]) -> str:
    """One key of ``table`` drawn by weight."""
    items = list(table.items()) if isinstance(table, Mapping) else list(table)
    return rng.choices([k for k, _w in items], [w for _k, w in items])[0]


def rid(rng: random.Random) -> str:
    """A record id from the seeded generator, so a seed reproduces the same vault."""
    return f"{rng.getrandbits(128):032x}"


def between(rng: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last`` inclusive (``first`` if the range is empty)."""
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def ascii_fold(text: str) -> str:
    """Lower-case ASCII for e-mail addresses (Öztürk -> ozturk)."""
    folded = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in ".-")).lower()


@dataclass(slots=True)
class Household:
    """A family being generated: later members share country, family name and household id."""

    id: str
    country: str
    family: tuple[str, str]
    native: bool
    remaining: int


class PeopleMaker:
    """Makes one person at a time with their records, on a timeline up to ``end``."""

    def __init__(
        self, rng: random.Random, end: date, town: tuple[str, str], partner_ids: dict[str, str]
    ) -> None:
        self.rng = rng
        self.end = end
        self.town = town  # (postcode, name)
        self.partners = partner_ids  # referral target -> partner id
        self.household: Household | None = None

    def person(self) -> list[Record]:
        """A person (always first in the list) and every record about them."""
        rng = self.rng
        first_contact = between(rng, PROJECT_START, self.end)
        house = self.household
        if house is not None and house.remaining > 0:
            house.remaining -= 1
            country, native, family = house.country, house.native, house.family
        else:
            country = weighted(rng, {c: o.weight for c, o in ORIGINS.items()})
            native = rng.random() < ORIGINS[country].native_script
            family = rng.choice(NAMES[country][2])
            house = None
            if rng.random() < 0.15:
                house = Household(rid(rng), country, family, native, rng.randint(1, 3))
            self.household = house
        origin = ORIGINS[country]
        person = self._person(country, origin, native, family, first_contact, house)
        records: list[Record] = [person]
        records.extend(self._casework(person, origin, first_contact))
        return records

    def _person(
        self,
        country: str,
        origin: Origin,
        native: bool,
        family: tuple[str, str],
        first_contact: date,
        house: Household | None,
    ) -> Person:
        rng = self.rng
        roll = rng.random()
        gender = (
            "female"
            if roll < origin.female
            else "male"
            if roll < 0.985
            else "diverse"
            if roll < 0.99
            else "unspecified"
        )
        females, males, _families = NAMES[country]
        given = rng.choice(
            females if gender == "female" else males if gender == "male" else females + males
        )
        if country in FATHER_NAME_COUNTRIES and house is None:
            family = rng.choice([m for m in males if m != given])
        script = 1 if native else 0
        name = f"{given[script]} {family[script]}"
        age = rng.choices(
            (rng.randint(8, 17), rng.randint(18, 59), rng.randint(60, 78)), (12, 78, 10)
        )[0]
        year = first_contact.year - age
        exact = rng.random() < 0.3
        birth_date = between(rng, date(year, 1, 1), date(year, 12, 28)) if exact else None
        born = birth_date or date(year, 12, 31)
        arrival_floor = date(2022, 2, 24) if country == "UA" else date(2014, 1, 1)
        arrival = between(rng, max(arrival_floor, born), first_contact)
        stateless = country in ("SY", "IQ") and rng.random() < 0.02
        languages = [origin.languages[0]]
        if len(origin.languages) > 1 and rng.random() < 0.3:
            languages.append(origin.languages[1])
        if rng.random() < 0.3:
            languages.append("de")
        if rng.random() < 0.15:
            languages.append("en")
        checked = rng.random() < 0.7
        ascii_name = ascii_fold(f"{given[0]}.{family[0]}")
        return Person(
            id=rid(rng),
            name=name,
            phone=f"+49 1{rng.choice('567')}{rng.randint(0, 9)} {rng.randint(1000000, 9999999)}"
            if rng.random() < 0.6
            else "",
            email=f"{ascii_name}@example.org" if rng.random() < 0.2 and ascii_name else "",
            address=f"{rng.choice(STREETS)} {rng.randint(1, 80)}, {self.town[0]} {self.town[1]}"
            if rng.random() < 0.7
            else "",
            birth_date=birth_date,
            birth_year=None if exact else year,
            birth_estimated=not exact and country in ("AF", "ER", "SO") and rng.random() < 0.3,
            gender=gender,
            nationalities=() if stateless else (country,),
            stateless=stateless,
            residence_status=weighted(rng, origin.statuses) if rng.random() < 0.95 else "unknown",
            residence_status_date=between(rng, arrival, first_contact)
            if rng.random() < 0.6
            else None,
            eligibility_evidence=rng.choice(
                ("residence_title", "arrival_certificate", "self_declaration")
            )
            if checked
            else None,
            eligibility_checked_on=first_contact if checked else None,
            arrival_date=arrival,
            languages=tuple(languages),
            handout_language=origin.handout
            if rng.random() < 0.7
            else rng.choice(("de-simple", None)),
            interpreter_needed=rng.random() < 0.45,
            literate=rng.choices((True, False, None), (85, 5, 10))[0],
            household_id=house.id if house is not None else None,
        )

    def _casework(self, person: Person, origin: Origin, start: date) -> list[Record]:
        rng = self.rng
        records: list[Record] = []
        case_id = rid(rng)
        day = start
        contacts: list[Contact] = []
        person_topics = rng.choices(list(TOPICS), list(TOPICS.values()), k=4)
        for _n in range(rng.choices(range(1, 11), (20, 18, 15, 12, 10, 8, 6, 5, 3, 3))[0]):
            if day > self.end:
                break
            contacts.append(self._contact(person, origin, case_id, day, person_topics))
            day += timedelta(days=rng.randint(7, 75))
        last = contacts[-1].contacted_on
        records.extend(contacts)
        for contact in contacts:
            if "referral" in contact.actions:
                records.append(self._referral(person, contact))
        records.append(self._case(person, case_id, start, last, contacts))
        records.extend(self._consents(person, origin, start))
        records.extend(self._outcomes(person, start, last, contacts))
        if rng.random() < 0.35:
            due = last + timedelta(days=rng.randint(7, 30))
            done = due < self.end and rng.random() < 0.85
            records.append(
                FollowUp(
                    id=rid(rng),
                    person_id=person.id,
                    due_on=due,
                    done=done,
                    done_on=min(self.end, due + timedelta(days=rng.randint(-5, 3)))
                    if done
                    else None,
                    text=rng.choice(
                        (
                            "Unterlagen für den Antrag mitbringen lassen",
                            "Rückmeldung vom Jobcenter abwarten und nachfragen",
                            "Termin bei der Ausländerbehörde nachbereiten",
                            "Anmeldung zum Integrationskurs prüfen",
                            "Kitaplatz: Stand der Anmeldung erfragen",
                            "Übersetzung der Zeugnisse abholen",
                        )
                    ),
                )
            )
        if rng.random() < 0.25:
            records.append(
                Note(
                    id=rid(rng),
                    person_id=person.id,
                    written_on=rng.choice(contacts).contacted_on,
                    text=note_text(rng, rng.randint(150, 400)),
                )
            )
        return records

    def _contact(
        self, person: Person, origin: Origin, case_id: str, day: date, person_topics: list[str]
    ) -> Contact:
        rng = self.rng
        topics = tuple(sorted(set(rng.sample(person_topics, rng.randint(1, 3)))))
        mode = weighted(rng, MODES)
        actions = {"information"}
        if rng.random() < 0.35:
            actions.add("referral")
        if rng.random() < 0.3:
            actions.add("forms_help")
        if rng.random() < 0.2:
            actions.add("appointment_arranged")
        if mode == "accompaniment":
            actions.add("accompaniment")
        if "language_course" in topics and rng.random() < 0.5:
            actions.add("language_course_placement")
        if {"work", "recognition", "vocational_training"} & set(topics):
            actions.add("professional_guidance")
        interpreter = "none"
        if person.interpreter_needed:
            interpreter = weighted(
                rng, {"volunteer": 5, "professional": 2, "family_member": 1, "mediation_service": 2}
            )
        handouts: tuple[Handout, ...] = ()
        handout_topic = next((HANDOUT_TOPICS[t] for t in topics if t in HANDOUT_TOPICS), None)
        if handout_topic and rng.random() < 0.3:
            handouts = (
                Handout(topic=handout_topic, language=person.handout_language or "de-simple"),
            )
        return Contact(
            id=rid(rng),
            person_id=person.id,
            case_id=case_id,
            contacted_on=day,
            duration_minutes=rng.choice((15, 20, 30, 30, 45, 45, 60, 60, 90, 120)),
            mode=mode,
            interpreter_type=interpreter,
            interpreter_language=person.languages[0] if interpreter != "none" else None,
            topics=topics,
            actions=tuple(sorted(actions)),
            family_members=rng.choices((0, 1, 2, 3, 4), (60, 18, 12, 6, 4))[0],
            note=note_text(rng, rng.randint(200, 900)),
            handouts=handouts,
        )

    def _referral(self, person: Person, contact: Contact) -> Referral:
        rng = self.rng
        target = REFERRAL_TARGETS[contact.topics[0]]
        age = (self.end - contact.contacted_on).days
        status = (
            weighted(rng, {"attended": 5, "closed": 2, "unknown": 2, "appointment_made": 1})
            if age > 60
            else rng.choice(("recommended", "appointment_made"))
        )
        referral_id = rid(rng)
        day = contact.contacted_on + timedelta(days=rng.randint(14, 42))
        # Followed up already when more than a week back (the outcome stayed open): a demo
        # with a hundred reminders overdue since last year is not a guide's Overview.
        settled = status in SETTLED_REFERRALS
        follow_up = day if settled or day >= self.end - timedelta(days=7) else None
        return Referral(
            id=referral_id,
            person_id=person.id,
            contact_id=contact.id,
            referred_on=contact.contacted_on,
            target=target,
            partner_id=self.partners.get(target),
            status=status,
            follow_up_on=follow_up,
            note=rng.choice(
                (
                    "",
                    "Termin selbst vereinbart.",
                    "Mit Begleitung durch Lotsin.",
                    "Unterlagen vorab gemailt.",
                )
            ),
        )

    def _case(
        self, person: Person, case_id: str, start: date, last: date, contacts: list[Contact]
    ) -> Case:
        rng = self.rng
        quiet = (self.end - last).days
        closed_on = None
        status = "open"
        if quiet > 180 and rng.random() < 0.75:
            status, closed_on = "closed", min(self.end, last + timedelta(days=rng.randint(14, 60)))
        elif quiet > 90:
            status = "dormant"
        topics = sorted({t for c in contacts for t in c.topics})[:20]
        return Case(
            id=case_id,
            person_id=person.id,
            opened_on=start,
            closed_on=closed_on,
            status=status,
            main_topics=tuple(topics),
            legal_hold=rng.random() < 0.01,
        )

    def _consents(self, person: Person, origin: Origin, given: date) -> list[Consent]:
        rng = self.rng
        language = person.handout_language or "de"
        result = []
        for purpose, chance in (
            ("case_documentation", 1.0),
            ("participation_proof", 0.8),
            ("contact_phone_messenger", 0.6),
            ("feedback", 0.4),
            ("share_with_partner", 0.2),
            ("photo", 0.1),
        ):
            partner = self.partners.get("mbe") if purpose == "share_with_partner" else None
            if rng.random() >= chance or (purpose == "share_with_partner" and partner is None):
                continue
            withdrawn = None
            if purpose != "case_documentation" and rng.random() < 0.05:
                withdrawn = between(rng, given, self.end)
            result.append(
                Consent(
                    id=rid(rng),
                    person_id=person.id,
                    purpose=purpose,
                    form_version="2025-10",
                    form_language=language,
                    given_on=given,
                    withdrawn_on=withdrawn,
                    partner_id=partner,
                )
            )
        return result

    def _outcomes(
        self, person: Person, start: date, last: date, contacts: list[Contact]
    ) -> list[OutcomeEvent]:
        rng = self.rng
        topics = {t for c in contacts for t in c.topics}
        result = []

        def add(kind: str, day: date, **extra: str) -> None:
            result.append(
                OutcomeEvent(id=rid(rng), person_id=person.id, occurred_on=day, kind=kind, **extra)
            )

        later = start + timedelta(days=120)
        if "language_course" in topics and later <= self.end and rng.random() < 0.6:
            before = rng.choice(("a1", "a1", "a2", "b1"))
            order = ("a1", "a2", "b1", "b2", "c1")
            after = order[min(order.index(before) + rng.choice((0, 1, 1, 1, 2)), 4)]
            add(
                "language_level",
                between(rng, later, self.end),
                level_before=before,
                level_after=after,
            )
        if "recognition" in topics and rng.random() < 0.5:
            add("applied_recognition", between(rng, start, self.end))
        if "residence" in topics and rng.random() < 0.15:
            add("applied_long_term_residence", between(rng, start, self.end))
        if "family_reunification" in topics:
            add("family_reunification_info", start)
        if rng.random() < 0.35:
            add(
                "feedback_helpful",
                last,
                feedback=weighted(rng, {"yes": 80, "no": 8, "not_asked": 12}),
            )
        return result
