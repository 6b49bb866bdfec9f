"""The AMIF indicators as report tables: the figures with their definitions and rules, and
their breakdowns by gender, age group and nationality group.

Issue 5 asks that the mapping from records to each indicator be "shown next to the figure",
so the overview table carries, beside each count, the counting rule in words (built from the
definition's parameters in ``resources/data/indicators.json``) and whether the wording has
been checked against the regulation's annex.

Texts come in German and English pairs, like every :class:`ReportTable` heading: a report
prints in its own language whatever the UI speaks, and exports carry both. Columns holding
the same text in both languages have keys ending in ``_de`` and ``_en``; an output set in
one language may print only its own (:func:`kisi_desktop.reports.pdf_report.render_pdf`).

With ``suppress=True`` (the default, for anything that leaves the laptop) counts of one to
four people become None, which every output shows as "<5"; zero stays zero. In a breakdown,
whose cells add up to the total shown beside them, further cells are held back ("x") where
a small one could otherwise be worked out (:func:`~kisi_desktop.reports.indicators.suppressed`).
O.2.2 counts municipalities, not people, and is never suppressed.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import format_date

from kisi_desktop.reports.beside_bundles import BESIDE_BUNDLES_NOTE, held_beside
from kisi_desktop.reports.charts import BarChart, bars_from_row
from kisi_desktop.reports.facts import GROUPS_FILE
from kisi_desktop.reports.indicators import (
    AGE_GROUPS,
    GENDERS,
    WITHHELD,
    WITHHELD_TEXT,
    IndicatorResult,
    suppressed,
    suppressed_breakdown,
)
from kisi_desktop.reports.labels import german
from kisi_desktop.reports.sent_bundles import NOTHING_SENT, Mark, SentFigures
from kisi_desktop.reports.tables import Column, Kind, ReportTable

INDICATORS = "indicators"
"""Key of the overview table (every indicator, its definition, rule and count)."""
BY_GENDER = "indicators_by_gender"
BY_AGE_GROUP = "indicators_by_age_group"
BY_NATIONALITY = "indicators_by_nationality_group"

PEOPLE_BASES = ("unique_eligible_participants", "outcome")
"""Bases that count people (and so have breakdowns and small cells)."""

GENDER_LABELS = {
    "female": ("weiblich", "female"),
    "male": ("männlich", "male"),
    "non_binary": ("divers", "non-binary"),
    "unknown": ("keine Angabe", "not specified"),  # as the person form says
}
AGE_LABELS = {
    "under_18": ("unter 18", "under 18"),
    "18_60": ("18–60", "18–60"),
    "over_60": ("über 60", "over 60"),
    "unknown": ("unbekannt", "unknown"),
}

WITHHELD_NOTE = (
    f"{WITHHELD_TEXT}: nicht gezeigt, damit sich eine Zahl unter 5 in dieser Zeile nicht aus "
    "der Gesamtzahl errechnen lässt; die Zahl kann klein oder groß sein.",
    f"{WITHHELD_TEXT}: not shown, so that a figure below 5 in this row cannot be worked out "
    "from the total; it may be small or large.",
)
SUPPRESSION_NOTE = (
    "<5: weniger als 5 Personen; die genaue Zahl wird zum Schutz der Personen nicht gezeigt.",
    "<5: fewer than 5 people; the exact figure is withheld to protect them.",
)
UNIQUE_NOTE = (
    "Jede Person zählt je Indikator einmal im Projekt: in dem Zeitraum, in dem sie zum ersten "
    "Mal unterstützt wurde (so ergeben die Projektjahre zusammen das Projekt), frühestens "
    "ab dem erfassten Datum ihres förderfähigen Aufenthaltsstatus; jeder Tag zählt unter dem "
    "Status und der Staatsangehörigkeit, die sie an diesem Tag hatte. Eine „davon“-Zeile "
    "zählt die Person in dem Zeitraum, in dem sie diese Unterstützung zum ersten Mal "
    "erhielt: In einem einzelnen Zeitraum kann sie daher größer sein als ihre Hauptzeile, "
    "über das ganze Projekt nie.",
    "Each person counts once per indicator for the whole project: in the period of their "
    "first day of support (so the project years add up to the project), at the earliest "
    "from the recorded date of their eligible residence status; each day counts under the "
    'status and nationality they held on it. A sub-row ("of which") counts the person in '
    "the period they first received that support: in a single period it can therefore be "
    "larger than its main row, over the whole project never.",
)


def _count(result: IndicatorResult, value: int, suppress: bool) -> int | None:
    """A people count as it may be shown: None for 1-4 people when suppressing."""
    if not suppress or result.basis not in PEOPLE_BASES:
        return value
    return suppressed({"n": value})["n"]


def _label(ref: ReferenceData, enum: str, code: str) -> tuple[str, str]:
    """German and English label of ``code``, or the code itself if the data lacks it."""
    if ref.has_code(enum, code):
        entry = ref.entry(enum, code)
        return entry.de, entry.en
    return code, code


def rule_text(result: IndicatorResult, ref: ReferenceData) -> tuple[str, str]:
    """How the indicator is counted, in German and English, from its definition's rule."""
    if result.basis == "municipalities_supported":
        return (
            "Kommunen mit mindestens einer Aktivität im Zeitraum.",
            "Municipalities with at least one activity in the period.",
        )
    if result.basis == "unique_eligible_participants":
        parts = _participant_rule(result.rule, ref)
    elif result.basis == "outcome":
        parts = _outcome_rule(result.rule, ref)
    else:
        return result.basis, result.basis
    parts.append(("je Person einmal gezählt", "each person counted once"))
    return (
        _sentence("; ".join(de for de, _en in parts)),
        _sentence("; ".join(en for _de, en in parts)),
    )


def _participant_rule(rule: Mapping[str, Any], ref: ReferenceData) -> list[tuple[str, str]]:
    if rule.get("parent"):
        # A sub-indicator (O.2.3.1) narrows its parent; repeating the parent's rule in full
        # would hide the one difference a reader looks for.
        parts = [(f"wie {rule['parent']}", f"as {rule['parent']}")]
    else:
        parts = [
            (
                "förderfähige Drittstaatsangehörige mit mindestens einer Unterstützung "
                "(Kontakt oder Teilnahme an einer Aktivität) im Zeitraum",
                "eligible third-country nationals with at least one support "
                "(a contact or taking part in an activity) in the period",
            )
        ]
    if rule.get("support"):
        de, en = _label(ref, "amif_support", str(rule["support"]))
        parts.append((f"Unterstützung: {de}", f"support: {en}"))
    if rule.get("topic"):
        topic_de, topic_en = _label(ref, "topics", str(rule["topic"]))
        if rule.get("outcome"):
            out_de, out_en = _label(ref, "outcome_kinds", str(rule["outcome"]))
            parts.append(
                (
                    f"Gesprächsthema „{topic_de}“ oder Ergebnis „{out_de}“",
                    f"contact topic “{topic_en}” or outcome “{out_en}”",
                )
            )
        else:
            parts.append((f"Gesprächsthema „{topic_de}“", f"contact topic “{topic_en}”"))
    return parts


def _outcome_rule(rule: Mapping[str, Any], ref: ReferenceData) -> list[tuple[str, str]]:
    out_de, out_en = _label(ref, "outcome_kinds", str(rule.get("outcome", "")))
    parts = [
        (
            f"förderfähige Teilnehmende mit dem Ergebnis „{out_de}“ im Zeitraum",
            f"eligible participants with the outcome “{out_en}” in the period",
        )
    ]
    if "min_levels_gained" in rule:
        levels = int(rule["min_levels_gained"])
        parts.append(
            (
                "nur bei Verbesserung um mindestens "
                + ("eine GER-Stufe" if levels == 1 else f"{levels} GER-Stufen"),
                "only when the level rose by at least "
                + ("one CEFR level" if levels == 1 else f"{levels} CEFR levels"),
            )
        )
    if "answer" in rule:
        de, en = _label(ref, "feedback_answers", str(rule["answer"]))
        parts.append((f"Antwort „{de}“", f"answer “{en}”"))
    if "support" in rule:
        de, en = _label(ref, "amif_support", str(rule["support"]))
        parts.append(
            (
                f"nur nach Unterstützung „{de}“ (im Zeitraum oder davor)",
                f"only after the support “{en}” (in the period or before)",
            )
        )
    return parts


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def indicator_overview(
    results: Sequence[IndicatorResult],
    ref: ReferenceData,
    *,
    suppress: bool = True,
    shown: Shown | None = None,
    beside: Collection[str] = (),
) -> ReportTable:
    """Every indicator: code, definition in both languages, count, rule, wording checked.

    Args:
        results: :func:`kisi_desktop.reports.indicators.compute` for one period.
        ref: the reference data (labels of the codes the rules name).
        suppress: hide counts of 1-4 people (for anything that leaves the laptop); without
            it the table holds exact counts and is marked local-only.
    """
    rows = []
    for r in results:
        rule_de, rule_en = rule_text(r, ref)
        rows.append(
            {
                "code": r.code,
                "definition_de": r.label_de,
                "definition_en": r.label_en,
                "count": shown[r.code]["total"]
                if shown is not None and r.code in shown
                else _count(r, r.count, suppress),
                "rule_de": rule_de,
                "rule_en": rule_en,
                "verified": r.verified,
            }
        )
    notes_de = [UNIQUE_NOTE[0]]
    notes_en = [UNIQUE_NOTE[1]]
    if suppress:
        notes_de.append(SUPPRESSION_NOTE[0])
        notes_en.append(SUPPRESSION_NOTE[1])
    if beside:
        notes_de.append(german(BESIDE_BUNDLES_NOTE))
        notes_en.append(BESIDE_BUNDLES_NOTE)
    if any(not r.verified for r in results):
        info = ref.files.get("indicators.json")
        version = version_en = ""
        if info:
            version = f" (Version {info.version}, {format_date(info.valid_from, 'de')})"
            version_en = f" (version {info.version}, {format_date(info.valid_from, 'en')})"
        notes_de.append(
            "Wortlaut vorläufig, nach Verordnung (EU) 2021/1147, Anhang VIII, noch nicht mit "
            f"dem Anhang abgeglichen{version}."
        )
        notes_en.append(
            "Provisional wording after Regulation (EU) 2021/1147, Annex VIII, not yet checked "
            f"against the annex{version_en}."
        )
    return ReportTable(
        key=INDICATORS,
        title_de="AMIF-Indikatoren",
        title_en="AMIF indicators",
        columns=(
            Column("code", "Indikator", "Indicator"),
            Column("definition_de", "Definition", "Definition (German)"),
            Column("definition_en", "Definition (englisch)", "Definition"),
            Column("count", "Anzahl", "Count", Kind.COUNT),
            Column("rule_de", "Zählregel", "Counting rule (German)"),
            Column("rule_en", "Zählregel (englisch)", "Counting rule"),
            Column("verified", "Wortlaut geprüft", "Wording verified"),
        ),
        rows=tuple(rows),
        notes_de=tuple(notes_de),
        notes_en=tuple(notes_en),
        leaves_laptop=suppress,
    )


def nationality_group_labels() -> dict[str, tuple[str, str]]:
    """Report group code -> (German, English) label, in the data file's order."""
    data = json.loads(GROUPS_FILE.read_text(encoding="utf-8"))
    return {code: (str(v["de"]), str(v["en"])) for code, v in data["labels"].items()}


Shown = dict[str, dict[str, Mark]]
"""Per indicator that counts people: its total (``total``) and its breakdowns' cells
(``gender.male``...) as the report shows them."""


def _dimensions() -> list[tuple[str, str, tuple[str, str], Mapping[str, tuple[str, str]]]]:
    """Each breakdown: table key, dimension, title words, column labels."""
    return [
        (BY_GENDER, "gender", ("Geschlecht", "gender"), {g: GENDER_LABELS[g] for g in GENDERS}),
        (
            BY_AGE_GROUP,
            "age_group",
            ("Altersgruppe", "age group"),
            {a: AGE_LABELS[a] for a in AGE_GROUPS},
        ),
        (BY_NATIONALITY, "nationality_group", ("Nationalität", "nationality"), {}),
    ]


def _codes(
    people: Iterable[IndicatorResult], dimension: str, labels: Mapping[str, tuple[str, str]]
) -> list[str]:
    codes = list(labels)
    for r in people:  # a group the label file does not know yet still gets its column
        codes.extend(c for c in r.breakdowns.get(dimension, {}) if c not in codes)
    return codes


def shown_cells(
    results: Sequence[IndicatorResult],
    columns: Mapping[str, Sequence[str]],
    *,
    suppress: bool,
    sent: SentFigures,
) -> tuple[Shown, set[str]]:
    """The cells of the people-counting indicators as the report shows them (``columns``:
    each dimension's categories), and the indicators whose cells were held back beside
    the bundles ``sent`` inside the report's period (:mod:`.beside_bundles`).

    A total held back for one breakdown is held back in all of them and in the overview:
    they print the same figure.
    """
    shown: Shown = {}
    beside: set[str] = set()
    for r in results:
        if r.basis not in PEOPLE_BASES:
            continue
        total = _count(r, r.count, suppress)
        exact = {
            dimension: {
                f"{dimension}.{c}": r.breakdowns.get(dimension, {}).get(c, 0) for c in codes
            }
            for dimension, codes in columns.items()
        }
        plain = {
            dimension: dict(suppressed_breakdown(cells, total) if suppress else cells)
            for dimension, cells in exact.items()
        }
        cells: dict[str, Mark] = {"total": total}
        for dimension_cells in plain.values():
            cells.update(dimension_cells)
        rows = [_as_report(b[r.code]) for b in sent.indicators if r.code in b]
        if suppress and rows:
            whole = sent.whole and len(rows) == len(sent.indicators)
            held = _held_beside(r.count, total, exact, plain, rows, whole)
            beside.update((r.code,) if held != cells else ())
            cells = held
        shown[r.code] = cells
    return shown, beside


def _as_report(row: Mapping[str, Any]) -> dict[str, Any]:
    """A bundle's indicator row keyed as the report's: its ``count`` is the ``total``."""
    return {"total": row.get("count"), **row}


def _held_beside(
    count: int,
    total: Mark,
    exact: Mapping[str, Mapping[str, int]],
    plain: Mapping[str, Mapping[str, Mark]],
    rows: Sequence[Mapping[str, Any]],
    whole: bool,
) -> dict[str, Mark]:
    for _round in range(2):  # (a total held back for one breakdown: again with it hidden)
        cells: dict[str, Mark] = {"total": total}
        for dimension, counts in exact.items():
            held = held_beside(
                rows,
                {"total": count, **counts},
                {**plain[dimension], "total": total},
                total="total",
                whole=whole,
            )
            cells.update(held)
            if held["total"] is not total:
                total = held["total"]
                break
        else:
            return cells
    return cells


def _breakdown(
    people: Sequence[IndicatorResult],
    shown: Shown,
    beside: set[str],
    *,
    key: str,
    dimension: str,
    codes: Sequence[str],
    titles: tuple[str, str],
    labels: Mapping[str, tuple[str, str]],
    suppress: bool,
) -> ReportTable:
    columns = [
        Column("code", "Indikator", "Indicator"),
        Column("total", "Insgesamt", "Total", Kind.COUNT),
    ]
    for c in codes:
        de, en = labels.get(c, (c, c))
        columns.append(Column(f"{dimension}.{c}", de, en, Kind.COUNT))
    rows = []
    for r in people:
        row: dict[str, Any] = {"code": r.code, "total": shown[r.code]["total"]}
        row.update({f"{dimension}.{c}": shown[r.code][f"{dimension}.{c}"] for c in codes})
        rows.append(row)
    withheld = any(v is WITHHELD for row in rows for v in row.values())
    held = any(r.code in beside for r in people)
    return ReportTable(
        key=key,
        title_de=f"Indikatoren nach {titles[0]}",
        title_en=f"Indicators by {titles[1]}",
        columns=tuple(columns),
        rows=tuple(rows),
        notes_de=(
            "Jede gezählte Person erscheint in jeder Aufschlüsselung genau einmal; "
            "die Zellen ergeben zusammen die Gesamtzahl.",
            *((SUPPRESSION_NOTE[0],) if suppress else ()),
            *((WITHHELD_NOTE[0],) if withheld else ()),
            *((german(BESIDE_BUNDLES_NOTE),) if held else ()),
        ),
        notes_en=(
            "Each counted person appears exactly once in every breakdown; "
            "the cells add up to the total.",
            *((SUPPRESSION_NOTE[1],) if suppress else ()),
            *((WITHHELD_NOTE[1],) if withheld else ()),
            *((BESIDE_BUNDLES_NOTE,) if held else ()),
        ),
        leaves_laptop=suppress,
    )


def indicator_tables(
    results: Sequence[IndicatorResult],
    ref: ReferenceData,
    *,
    suppress: bool = True,
    sent: SentFigures = NOTHING_SENT,
) -> list[ReportTable]:
    """The overview followed by the breakdowns by gender, by age group and by nationality
    group, their cells held back beside the bundles ``sent`` inside the report's period.

    One breakdown table per dimension with the indicators as rows: the columns stay fixed
    (every gender, age group and nationality group of the reference data, zero or not), so
    the tables of two periods or two municipalities line up cell by cell.
    """
    people = [r for r in results if r.basis in PEOPLE_BASES]
    dimensions = [
        (key, dimension, titles, labels or nationality_group_labels())
        for key, dimension, titles, labels in _dimensions()
    ]
    codes = {
        dimension: _codes(people, dimension, labels) for _k, dimension, _t, labels in dimensions
    }
    shown, beside = shown_cells(results, codes, suppress=suppress, sent=sent)
    return [
        indicator_overview(results, ref, suppress=suppress, shown=shown, beside=beside),
        *(
            _breakdown(
                people,
                shown,
                beside,
                key=key,
                dimension=dimension,
                codes=codes[dimension],
                titles=titles,
                labels=labels,
                suppress=suppress,
            )
            for key, dimension, titles, labels in dimensions
        ),
    ]


def indicator_charts(tables: Sequence[ReportTable], code: str = "O.2.3") -> list[BarChart]:
    """Bar charts of one indicator's breakdowns (default O.2.3, participants supported).

    Built from the tables themselves, so a chart shows exactly what the table beside it
    shows, suppressed cells included ("<5" instead of a bar).
    """
    by_key = {t.key: t for t in tables}
    overview = by_key.get(INDICATORS)
    name = next((r for r in overview.rows if r["code"] == code), None) if overview else None
    label_de = f"{code} {name['definition_de']}" if name else code
    label_en = f"{code} {name['definition_en']}" if name else code
    charts = []
    for key in (BY_GENDER, BY_AGE_GROUP, BY_NATIONALITY):
        table = by_key.get(key)
        row = next((r for r in table.rows if r["code"] == code), None) if table else None
        if table is None or row is None:
            continue
        cells = [c.key for c in table.columns if c.key not in ("code", "total")]
        if key == BY_NATIONALITY:
            # Twelve empty nationality bars say nothing; the groups someone belongs to do.
            cells = [k for k in cells if row.get(k) != 0]
        if all(row.get(k) == 0 for k in cells):
            continue  # nobody counted: a chart of empty bars says nothing a table does not
        dimension_de = table.title_de.removeprefix("Indikatoren ")
        dimension_en = table.title_en.removeprefix("Indicators ")
        charts.append(
            BarChart(
                key=f"{code}:{key}",
                title_de=f"{label_de} {dimension_de}",
                title_en=f"{label_en} {dimension_en}",
                bars=bars_from_row(table, row, cells),
            )
        )
    return charts
