"""The in-memory working set: search as a guide types it, in German, Arabic and Tigrinya."""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.store.working_set import (
    _FOLD,
    CopyStopped,
    Hit,
    IndexSpec,
    WorkingSet,
    fold,
    fts_query,
)

SPEC = {
    "person": IndexSpec(label=("name",), search=("name", "origin")),
    "note": IndexSpec(label=("title",), search=("title", "text")),
    "activity": IndexSpec(label=("title",)),  # not searchable
}


def body(kind: str, owner: str | None = None, created: str = "2026-03-01", **data: object) -> str:
    return json.dumps(
        {"k": kind, "o": owner, "c": created, "u": created, "d": data}, ensure_ascii=False
    )


ROWS = [
    ("p1", "person", 1, body("person", "p1", name="Amina Haddad", origin="Syrien")),
    ("p2", "person", 1, body("person", "p2", name="Tesfay Gebremedhin", origin="ኤርትራ")),
    (
        "n1",
        "note",
        1,
        body("note", "p1", title="Termin Ausländerbehörde", text="Aufenthaltstitel verlängern"),
    ),
    ("n2", "note", 2, body("note", "p1", title="مرحبا", text="موعد في مكتب الأجانب")),
    ("n3", "note", 1, body("note", "p2", title="ሰላም", text="ቆጸራ ኣብ ቤት ጽሕፈት")),
    ("n4", "note", 1, body("note", None, title="Elterncafé", text="jeden Dienstag")),
    ("a1", "activity", 1, body("activity", None, title="Ausländerbehörde Besuch")),
]


@pytest.fixture
def ws() -> Iterator[WorkingSet]:
    working_set = WorkingSet(SPEC)
    working_set.load(ROWS)
    yield working_set
    working_set.close()


def ids(hits: list[Hit]) -> set[str]:
    return {hit.id for hit in hits}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("auslanderbehorde", {"n1"}),  # without umlauts
        ("Ausländerbehörde", {"n1"}),
        ("AUSLÄNDERBEHÖRDE", {"n1"}),
        ("ausl", {"n1"}),  # prefix
        ("Ausla\u0308nder", {"n1"}),  # typed or pasted decomposed (NFD)
        ("termin ausl", {"n1"}),  # every word must match
        ("termin syrien", set()),  # ... in the same record
        ("elterncafe", {"n4"}),
        ("مرحبا", {"n2"}),
        ("الأجانب", {"n2"}),
        ("مكت", {"n2"}),  # Arabic prefix
        ("ሰላም", {"n3"}),
        ("ቆጸ", {"n3"}),  # Tigrinya prefix
        ("ኤርትራ", {"p2"}),
        ("tesfay", {"p2"}),
        ("haddad", {"p1"}),
        ("", set()),
        ("   ", set()),
    ],
)
def test_search_finds_what_a_guide_types(ws: WorkingSet, typed: str, expected: set[str]) -> None:
    assert ids(ws.search(typed)) == expected


def test_hits_carry_label_kind_owner_and_a_marked_snippet(ws: WorkingSet) -> None:
    [hit] = ws.search("aufenthalt")
    assert hit == Hit("n1", "note", "Termin Ausländerbehörde", hit.snippet, "p1")
    assert "[Aufenthaltstitel]" in hit.marked()
    # Text a guide typed with brackets of its own is not taken for a match.
    assert "Aufenthaltstitel" in hit.marked("", "") and "[" not in hit.marked("", "")
    assert [h.owner for h in ws.search("elterncafé")] == [None]  # a note of nobody's


def test_match_markers_in_stored_text_are_not_taken_for_matches() -> None:
    working_set = WorkingSet(SPEC)
    try:
        # A note pasted from a document whose symbol font used the private-use area.
        text = "\ue000Wichtig\ue001 Termin beim Jobcenter"
        working_set.load([("n9", "note", 1, body("note", title="Einladung", text=text))])
        [hit] = working_set.search("jobcenter")
        assert hit.marked() == "Einladung Wichtig Termin beim [Jobcenter]"
    finally:
        working_set.close()


def test_search_can_be_limited_to_kinds(ws: WorkingSet) -> None:
    assert ids(ws.search("haddad", kinds=["note"])) == set()
    assert ids(ws.search("haddad", kinds=["person", "note"])) == {"p1"}


def test_fields_not_named_for_search_are_not_searchable(ws: WorkingSet) -> None:
    """The activity's title is its label, not search text; the note's owner id is neither."""
    assert ids(ws.search("besuch")) == set()
    assert ids(ws.search("p1")) == set()


def test_upsert_replaces_the_search_text(ws: WorkingSet) -> None:
    ws.upsert("n1", "note", 2, body("note", "p1", title="Termin Jobcenter", text="Antrag"))
    assert ids(ws.search("auslanderbehorde")) == set()
    assert ids(ws.search("aufenthaltstitel")) == set()
    assert ids(ws.search("jobcenter")) == {"n1"}
    assert ws.body("n1") is not None and "Jobcenter" in ws.body("n1")[1]  # type: ignore[index]
    ws.upsert("n9", "note", 1, body("note", None, title="Neu: Ausländerbehörde"))
    assert ids(ws.search("ausländerbehörde")) == {"n9"}
    assert ws.count("note") == 5


def test_remove_drops_a_record_from_search_and_lists(ws: WorkingSet) -> None:
    ws.remove("n2")
    assert ids(ws.search("مرحبا")) == set()
    assert ws.body("n2") is None
    assert ("note", "n2") not in ws.owned_by("p1")
    assert ws.count() == len(ROWS) - 1
    ws.remove("n2")  # removing twice is harmless
    assert ws.count() == len(ROWS) - 1


def test_lists_by_kind_and_owner(ws: WorkingSet) -> None:
    assert sorted(ws.owned_by("p1")) == [("note", "n1"), ("note", "n2"), ("person", "p1")]
    assert {rid for rid, _body in ws.bodies("note", owner="p2")} == {"n3"}
    assert {rid for rid, _body in ws.bodies("note")} == {"n1", "n2", "n3", "n4"}
    assert ws.count("person") == 2


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(
    notes=st.lists(
        st.tuples(_TEXT, st.lists(_TEXT, max_size=3), st.booleans(), st.none() | _TEXT),
        max_size=6,
    )
)
@settings(max_examples=60, deadline=None)
def test_one_owners_rows_read_as_one_value_hold_what_the_row_reads_hold(
    notes: list[tuple[str, list[str], bool, str | None]],
) -> None:
    """A person page reads its entries with ``owner_rows``: the same values as ``rows``
    (lists as lists, not JSON text), whatever a note says, only that owner's."""
    working = WorkingSet(SPEC)
    records = [("p1", "person", 1, body("person", "p1", name="Amina Haddad"))]
    records += [("x1", "note", 1, body("note", "p2", title="other", text="other"))]
    for i, (text, tags, done, title) in enumerate(notes):
        data = {"text": text, "tags": tags, "done": done}
        if title is not None:
            data["title"] = title
        records.append((f"n{i}", "note", 1, body("note", "p1", **data)))
    working.load(records)
    try:
        fields = ["text", "tags", "done", "title"]
        one = sorted(working.owner_rows("note", "p1", fields))
        each = sorted(working.rows("note", fields, owner="p1"))
        assert [row[0] for row in one] == [f"n{i}" for i in range(len(notes))]
        assert one == [
            [rid, text, json.loads(tags), done, title] for rid, text, tags, done, title in each
        ]
    finally:
        working.close()


def test_field_names_of_one_owners_rows_are_checked(ws: WorkingSet) -> None:
    with pytest.raises(ValueError, match="bad field name"):
        ws.owner_rows("note", "p1", ["text') FROM item --"])


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '""',
        "*",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "-",
        "- -",
        "a AND",
        "AND OR NOT",
        '"ausl',
        "ausl*",
        "(aus",
        "aus)",
        "^aus",
        "title:aus",
        "search:aus",
        "+aus",
        "a:b",
        "{x}",
        "[x]",
        "cafe_treff",
        "anna_m@web.de",
        "e-mail",
        "2026-03-01",
        "'; DROP TABLE item; --",
        "\\",
        "\x00",
        "NEAR(a b, 3)",
        "ausl* OR 1=1",
        "😀",
        "½",
        "ᦰ",
        "a\u0308",
        "\u200f",
        "\ufeff",
    ],
)
def test_anything_typed_searches_without_an_error(ws: WorkingSet, typed: str) -> None:
    """Quotes, operators and odd characters from the search box never raise."""
    hits = ws.search(typed)
    assert isinstance(hits, list)
    assert ws.count() == len(ROWS)


def test_operators_are_words_not_syntax(ws: WorkingSet) -> None:
    ws.upsert("n5", "note", 1, body("note", None, title="NOT AND OR", text="Mutter-Kind"))
    assert ids(ws.search("not")) == {"n5"}
    assert ids(ws.search("ausl OR elterncafe")) == set()  # OR is a word to find, not "or"
    assert ids(ws.search("mutter-kind")) == {"n5"}
    assert ids(ws.search('"ausl')) == {"n1"}
    assert ids(ws.search("ausl*")) == {"n1"}


def test_fts_query_quotes_every_word() -> None:
    assert fts_query("Termin AND NOT") == '"Termin"* AND "AND"* AND "NOT"*'
    assert fts_query("Müller") == '("Müller"* OR "mueller"*)'
    assert fts_query('"*-') is None
    assert fts_query("Ausla\u0308nder") == fts_query("Ausländer")
    assert fts_query("anna_m") == '"anna"* AND "m"*'


@settings(max_examples=300, deadline=None)
@given(typed=st.text(max_size=40))
def test_no_input_makes_search_fail(typed: str) -> None:
    ws = WorkingSet(SPEC)
    ws.load(ROWS[:3])
    try:
        assert isinstance(ws.search(typed), list)
    finally:
        ws.close()


def test_a_closed_working_set_holds_nothing() -> None:
    ws = WorkingSet(SPEC)
    ws.load(ROWS)
    ws.close()
    with pytest.raises(RuntimeError):
        ws.search("ausl")


def test_the_in_memory_database_never_spills_to_temp_files(ws: WorkingSet) -> None:
    assert ws.conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert ws.conn.execute("PRAGMA database_list").fetchone()[2] == ""  # in memory


def test_vocalised_arabic_is_found_by_the_plain_word() -> None:
    ws = WorkingSet(SPEC)
    ws.load([("v1", "note", 1, body("note", None, title="مَرْحَبًا"))])
    try:
        assert ids(ws.search("مرحبا")) == {"v1"}
    finally:
        ws.close()


def test_turkish_dotless_i_is_found_by_a_plain_i(ws: WorkingSet) -> None:
    ws.upsert("t1", "note", 1, body("note", None, title="Ayşe Yılmaz"))
    assert ids(ws.search("yilmaz")) == {"t1"}
    assert ids(ws.search("Yılmaz")) == {"t1"}


@pytest.mark.parametrize("typed", ["Müller", "Mueller", "MUELLER", "müll", "mue"])
def test_a_name_with_or_without_its_umlaut_is_found_either_way(ws: WorkingSet, typed: str) -> None:
    """A passport or an office's form writes "MUELLER"; the guide typed "Müller" (or the
    other way round): both records come up whichever the guide types."""
    ws.upsert("u1", "person", 1, body("person", "u1", name="Hans Müller"))
    ws.upsert("u2", "person", 1, body("person", "u2", name="Hans Mueller"))
    assert ids(ws.search(typed)) == {"u1", "u2"}


@pytest.mark.parametrize("typed", ["Bahnhofstraße", "Bahnhofstrasse", "BAHNHOFSTRASSE"])
def test_sharp_s_and_ss_find_each_other(ws: WorkingSet, typed: str) -> None:
    ws.upsert("s1", "note", 1, body("note", None, title="Termin", text="Bahnhofstraße 4"))
    ws.upsert("s2", "note", 1, body("note", None, title="Termin", text="Bahnhofstrasse 9"))
    assert ids(ws.search(typed)) == {"s1", "s2"}


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("علي كريمي", "علی کریمی"),  # Arabic keyboard stored, Persian keyboard typed
        ("علی کریمی", "علي كريمي"),  # and the other way round
        ("أحمد رحيمي", "احمد"),  # alef with or without hamza
        ("احمد رحيمي", "أحمد"),
        ("فاطمة نوري", "فاطمه"),  # final ta marbuta written as heh
        ("مصطفى", "مصطفی"),  # alef maksura
    ],
)
def test_arabic_and_persian_forms_of_a_letter_find_each_other(stored: str, typed: str) -> None:
    ws = WorkingSet(SPEC)
    ws.load([("x1", "person", 1, body("person", "x1", name=stored))])
    try:
        assert ids(ws.search(typed)) == {"x1"}
    finally:
        ws.close()


def test_a_snippet_shows_the_letters_as_written_not_as_folded(ws: WorkingSet) -> None:
    """The results showed an Arabic note in Persian letters (ي as ی, ك as ک), without its
    vowel marks, and "Yılmaz" as "Yilmaz": the snippet came from the folded index text."""
    text = "Zeile 1: Gespräch\nهنا نص عربي كَتَبَهُ Zaunkönig, sagt Yılmaz\nZeile 3: Kita"
    ws.upsert("a1", "note", 1, body("note", None, title="Notiz", text=text))
    [hit] = ws.search("zaunkonig")
    assert "هنا نص عربي كَتَبَهُ [Zaunkönig], sagt Yılmaz" in hit.marked()
    [hit] = ws.search("عربی")  # typed on a Persian keyboard: still found, shown as written
    assert "[عربي]" in hit.marked() and "ی" not in hit.marked()


def test_decomposed_latin_text_in_a_record_is_found(ws: WorkingSet) -> None:
    ws.upsert("n6", "note", 1, body("note", None, title=unicodedata.normalize("NFD", "Müller")))
    assert ids(ws.search("müller")) == {"n6"}
    assert ids(ws.search("muller")) == {"n6"}


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
    | st.sampled_from(
        ["Yılmaz", "İzmir", "مَرْحَبًا", "Ausländerbehörde", "Ausla\u0308nder", "ـــ", ""]
    )
)
def test_fold_is_nfc_then_the_fold_table_whatever_the_shortcuts(text: str) -> None:
    """fold() skips work for Latin-1 text; it must still equal the plain definition."""
    assert fold(text) == unicodedata.normalize("NFC", text).translate(_FOLD)


@given(step=st.integers(min_value=1, max_value=9), write_after=st.integers(0, 8))
@settings(max_examples=30, deadline=None)
def test_the_id_map_built_in_steps_finds_every_record_and_survives_a_write_midway(
    step: int, write_after: int
) -> None:
    # After a snapshot the window builds the map from record id to row in steps while the
    # guide looks at the Overview; a record opened or written midway must find every row.
    source = WorkingSet(SPEC)
    source.load(ROWS)
    restored = WorkingSet(SPEC, snapshot=source.serialize())
    source.close()
    try:
        done, steps = False, 0
        while not done:
            if steps == write_after:
                restored.upsert("n9", "note", 1, body("note", "p2", title="neu", text="Kita"))
            done = restored.map_ids(step)
            steps += 1
        if write_after >= steps:
            restored.upsert("n9", "note", 1, body("note", "p2", title="neu", text="Kita"))
        for rid, kind, _version, _body in [*ROWS, ("n9", "note", 1, "")]:
            found = restored.body(rid)
            assert found is not None and found[0] == kind, rid
        restored.remove("n1")
        assert restored.body("n1") is None and restored.body("n2") is not None
    finally:
        restored.close()


# ---------------------------------------------------------------- copies for a worker

NOTE_ROWS = [
    (f"m{i}", "note", 1, body("note", None, title=f"Notiz {i}", text="Termin " * 400))
    for i in range(400)
]


def test_a_copy_holds_the_records_and_the_source_goes_on(ws: WorkingSet) -> None:
    copy = WorkingSet(SPEC, copy_of=ws)
    ws.upsert("p3", "person", 1, body("person", "p3", name="Dilan Aydin"))
    assert copy.count() == len(ROWS) and ids(copy.search("amina")) == {"p1"}
    assert ws.count() == len(ROWS) + 1
    copy.close()


def test_a_batch_on_a_fresh_set_reaches_a_copy_whole() -> None:
    """A set not written yet has no triggers: installing them inside a batch ran a script,
    which committed the batch half way."""
    fresh = WorkingSet(SPEC)
    counted: list[int] = []
    worker = threading.Thread(
        target=lambda: counted.append(WorkingSet(SPEC, copy_of=fresh).count())
    )
    with fresh.batch():
        fresh.upsert("p1", "person", 1, body("person", "p1", name="Amina Haddad"))
        worker.start()
        worker.join(timeout=0.3)
        assert worker.is_alive()  # the copy waits for the batch
        fresh.upsert("p2", "person", 1, body("person", "p2", name="Dilan Aydin"))
    worker.join(timeout=30)
    assert counted == [2]
    fresh.close()


def test_saves_one_after_another_do_not_hold_a_copy_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every commit starts an in-memory copy over: a copy taken while an import saves one
    record after another ends while the saves go on, not after them."""
    monkeypatch.setattr("kisi_desktop.core.store.working_set.COPY_STEP_PAGES", 2)
    source = WorkingSet(SPEC)
    source.load(NOTE_ROWS)
    counted: list[int] = []
    done = threading.Event()

    def slow_step() -> bool:  # (a busy machine: each step takes its time)
        time.sleep(0.0005)
        return False

    def take() -> None:
        copy = WorkingSet(SPEC, copy_of=source, stop=slow_step)
        counted.append(copy.count())
        copy.close()
        done.set()

    worker = threading.Thread(target=take)
    worker.start()
    saved, ends = 0, time.monotonic() + 10
    while not done.is_set() and time.monotonic() < ends:
        source.upsert(f"x{saved}", "note", 1, body("note", None, title="neu", text="Kita"))
        saved += 1
        time.sleep(0.002)
    assert done.is_set()  # (it ended while the saves went on)
    worker.join(timeout=30)
    assert len(NOTE_ROWS) <= counted[0] <= len(NOTE_ROWS) + saved
    source.close()


def test_a_copy_stops_when_its_source_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite would finish a copy from a closed connection: the lock's plaintext would
    live on in it."""
    monkeypatch.setattr("kisi_desktop.core.store.working_set.COPY_STEP_PAGES", 2)
    source = WorkingSet(SPEC)
    source.load(NOTE_ROWS)
    asked: list[int] = []

    def close_at_the_first_step() -> bool:
        asked.append(1)
        source.close()  # the lock, without telling the copy
        return False

    with pytest.raises(CopyStopped):
        WorkingSet(SPEC, copy_of=source, stop=close_at_the_first_step)
    assert asked == [1]
    with pytest.raises(CopyStopped):  # and one asked for after the close does not begin
        WorkingSet(SPEC, copy_of=source)
