"""German case-note text of realistic length and vocabulary, built from phrase parts.

Benchmarks and the demo vault need notes that index like real ones: a few thousand
distinct words with a long tail (names, places, numbers), not one word repeated.
"""

from __future__ import annotations

import random

_OPENERS = (
    "Beratungsgespräch im Büro",
    "Telefonat",
    "Hausbesuch",
    "Begleitung zum Termin",
    "Gespräch mit Dolmetscherin",
    "Kurzer Kontakt im Rathaus",
    "Videoanruf",
    "Termin nach Absprache",
)
_TOPICS = (
    "zum Integrationskurs und zur Anmeldung beim Kursträger",
    "zur Anerkennung des Berufsabschlusses als {beruf}",
    "zur Wohnungssuche und zur Meldebescheinigung",
    "zum Kitaplatz für das jüngste Kind",
    "zur Schulanmeldung der Tochter in der {klasse}. Klasse",
    "zum Antrag beim Jobcenter auf Weiterbewilligung",
    "zur Krankenversicherung und zur Suche nach einer Hausärztin",
    "zum Orientierungskurs „Leben in Deutschland“",
    "zum Termin bei der Ausländerbehörde wegen der Verlängerung",
    "zur Ausbildung als {beruf} und zum Berufssprachkurs",
    "zum Familiennachzug der Ehefrau",
    "zu Freizeitangeboten und zum Sportverein in {ort}",
)
_DETAILS = (
    "Unterlagen wurden gemeinsam sortiert und kopiert.",
    "Das Formular wurde gemeinsam ausgefüllt, Unterschrift fehlt noch.",
    "Sprachniveau derzeit etwa {niveau}, Kurs beginnt am {tag}.{monat}.",
    "Verweis an die Migrationsberatung (MBE) in {ort}.",
    "Termin beim Jugendmigrationsdienst vereinbart.",
    "Herr {name} vom Jobcenter ist erreichbar unter 06{vorwahl} {nummer}.",
    "Frau {name} von der Kita meldet sich bis Ende der Woche.",
    "Die Familie wünscht einen Übersetzer für das nächste Gespräch.",
    "Es gibt Probleme mit dem Vermieter wegen der Nebenkostenabrechnung.",
    "Ehrenamtliche Patin {vorname} begleitet zum nächsten Termin.",
    "Fahrtkosten zum Kurs in {ort} sind noch ungeklärt.",
    "Zeugnisse liegen nur auf {sprache} vor, Übersetzung wird beantragt.",
    "Wiedervorlage in {wochen} Wochen.",
    "Die Tochter besucht jetzt die Intensivklasse.",
    "Hinweis auf die Sprechstunde der Anerkennungsberatung gegeben.",
)
_BERUFE = (
    "Elektriker",
    "Krankenpfleger",
    "Lehrerin",
    "Ingenieur",
    "Bäcker",
    "Friseurin",
    "Buchhalter",
    "Tischler",
    "Apothekerin",
    "Kfz-Mechatroniker",
    "Erzieherin",
)
_ORTE = (
    "Kirchhain",
    "Neustadt",
    "Bensheim",
    "Alsfeld",
    "Homberg",
    "Lauterbach",
    "Schotten",
    "Biedenkopf",
    "Eschwege",
    "Büdingen",
    "Gelnhausen",
    "Michelstadt",
    "Lich",
)
_NAMEN = (
    "Müller",
    "Schmidt",
    "Yilmaz",
    "Hoffmann",
    "Wagner",
    "Becker",
    "Schulz",
    "Keller",
    "Weber",
    "Richter",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Krüger",
    "Hartmann",
)
_VORNAMEN = ("Anna", "Lena", "Jonas", "Petra", "Mehmet", "Sabine", "Thomas", "Fatma", "Uwe")
_SPRACHEN = ("Arabisch", "Dari", "Paschtu", "Tigrinya", "Ukrainisch", "Farsi", "Somali")
_NIVEAUS = ("A1", "A2", "B1", "B2")


def note_text(rng: random.Random, target_length: int = 700) -> str:
    """One case note of about ``target_length`` characters."""
    fill = {
        "beruf": rng.choice(_BERUFE),
        "ort": rng.choice(_ORTE),
        "name": rng.choice(_NAMEN),
        "vorname": rng.choice(_VORNAMEN),
        "sprache": rng.choice(_SPRACHEN),
        "niveau": rng.choice(_NIVEAUS),
        "klasse": rng.randint(1, 10),
        "tag": rng.randint(1, 28),
        "monat": rng.randint(1, 12),
        "vorwahl": rng.randint(100, 999),
        "nummer": rng.randint(1000, 99999),
        "wochen": rng.randint(1, 8),
    }
    parts = [f"{rng.choice(_OPENERS)} {rng.choice(_TOPICS).format(**fill)}."]
    while sum(len(p) + 1 for p in parts) < target_length:
        fill["name"] = rng.choice(_NAMEN)
        fill["ort"] = rng.choice(_ORTE)
        fill["nummer"] = rng.randint(1000, 99999)
        parts.append(rng.choice(_DETAILS).format(**fill))
    return " ".join(parts)[: target_length + 60]
