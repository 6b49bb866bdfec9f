"""The catalog: shipped topics, user folders layered over them, review and outdated state."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.handouts.catalog import Status, layer_catalog, load_catalog, shipped_folder
from kisi_desktop.handouts.checks import check_catalog, stamp_file
from kisi_desktop.handouts.text_format import ContentError


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    """Error messages are checked in English (the source language of the catalogs)."""
    set_ui_language("en")


REQUIRED_TOPICS = {
    "welcome",
    "language_courses",
    "life_in_germany",
    "kita_school",
    "training_university",
    "recognition",
    "work",
    "health",
    "housing",
    "counselling_emergency",
    "volunteering",
}
REQUIRED_LANGUAGES = {
    "de",
    "en",
    "ar",
    "prs",
    "ps",
    "fa",
    "tr",
    "kmr",
    "uk",
    "ru",
    "ti",
    "so",
    "fr",
}


def test_shipped_catalog_has_every_topic_in_every_required_language() -> None:
    catalog = load_catalog()
    assert REQUIRED_TOPICS <= set(catalog.topics)
    for topic in catalog.topics.values():
        assert REQUIRED_LANGUAGES | {"de-simple"} <= set(topic.texts), topic.id
    assert REQUIRED_LANGUAGES | {"de-simple", "am", "es"} <= set(catalog.languages)


def test_shipped_texts_pass_every_check() -> None:
    assert [str(p) for p in check_catalog(load_catalog())] == []


def test_no_shipped_translation_claims_a_review_nobody_did() -> None:
    catalog = load_catalog()
    for topic_id, code in catalog.pairs():
        status = catalog.topics[topic_id].status(code)
        assert status in (Status.SOURCE, Status.UNREVIEWED), (topic_id, code, status)


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """A user folder holding a copy of the shipped health topic."""
    folder = tmp_path / "own"
    shutil.copytree(shipped_folder() / "health", folder / "health")
    return folder


def test_changing_the_german_text_makes_translations_outdated(own: Path) -> None:
    german = own / "health" / "de.md"
    german.write_text(german.read_text("utf-8").replace("Hausarzt", "Hausärztin"), "utf-8")
    catalog = load_catalog([own])
    topic = catalog.topics["health"]
    assert topic.status("de") is Status.SOURCE
    assert topic.status("ar") is Status.OUTDATED
    assert topic.status("ti") is Status.OUTDATED
    # Reviewing one translation against the new German makes it current again.
    stamp_file(own / "health" / "ar.md", topic.texts["de"].content_hash, reviewed_by="Amal K.")
    again = load_catalog([own]).topics["health"]
    assert again.status("ar") is Status.REVIEWED
    assert again.status("ti") is Status.OUTDATED


def test_a_user_file_overrides_only_that_language(own: Path) -> None:
    for path in (own / "health").glob("*.md"):
        if path.stem != "fr":
            path.unlink()
    french = own / "health" / "fr.md"
    french.write_text(french.read_text("utf-8").replace("médecin", "docteur"), "utf-8")
    catalog = load_catalog([own])
    shipped = load_catalog()
    assert catalog.topics["health"].texts["fr"] != shipped.topics["health"].texts["fr"]
    assert catalog.topics["health"].texts["ar"] == shipped.topics["health"].texts["ar"]


def test_a_new_topic_in_a_user_folder_extends_the_catalog(tmp_path: Path) -> None:
    topic = tmp_path / "own" / "fahrrad"
    topic.mkdir(parents=True)
    (topic / "topic.toml").write_text('order = 20\ntitle_de = "Fahrrad fahren"\n', "utf-8")
    (topic / "de.md").write_text("---\ntitle: Fahrrad\nreview: source\n---\nMit Licht fahren.\n")
    catalog = load_catalog([tmp_path / "own"])
    assert catalog.ordered_ids()[-1] == "fahrrad"
    assert ("fahrrad", "de") in catalog.pairs()


@pytest.mark.parametrize(
    ("topic_toml", "says"),
    [
        ('order = 1\ntitle_de = "X"\n[[links]]\nurl = "http://x.de"\nlabel = "x"\n', "https"),
        ('order = "one"\ntitle_de = "X"\n', "order"),
        ('order = 1\ntitle_de = "X"\ncolour = "red"\n', "unknown keys"),
        ("order = 1\ntitle_de = \n", "fahrrad"),
        # Within the 16 KiB limit, deeper than the TOML parser's recursion limit.
        ('order = 1\ntitle_de = "X"\nlinks = ' + "[" * 3000 + "]" * 3000 + "\n", "too deeply"),
    ],
)
def test_broken_topic_metadata_is_refused(tmp_path: Path, topic_toml: str, says: str) -> None:
    topic = tmp_path / "fahrrad"
    topic.mkdir()
    (topic / "topic.toml").write_text(topic_toml, "utf-8")
    (topic / "de.md").write_text("---\ntitle: F\nreview: source\n---\nText.\n", "utf-8")
    with pytest.raises(ContentError, match=says):
        layer_catalog([tmp_path])


@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.text(alphabet="[]{}=,.\"'#\n 1_aoredtilnkscub:/", max_size=300),
    st.sampled_from(["", 'order = 1\ntitle_de = "X"\n']),
)
def test_any_topic_toml_is_read_or_refused_with_its_name(
    tmp_path_factory: pytest.TempPathFactory, text: str, head: str
) -> None:
    folder = tmp_path_factory.mktemp("own")
    topic = folder / "fahrrad"
    topic.mkdir()
    (topic / "topic.toml").write_text(head + text, "utf-8")
    (topic / "de.md").write_text("---\ntitle: F\nreview: source\n---\nText.\n", "utf-8")
    try:
        catalog = layer_catalog([folder])
    except ContentError as error:
        assert "topic.toml" in str(error)
    else:
        assert "fahrrad" in catalog.ordered_ids()


def test_texts_without_topic_toml_and_unknown_placeholders_are_refused(tmp_path: Path) -> None:
    topic = tmp_path / "fahrrad"
    topic.mkdir()
    (topic / "de.md").write_text("---\ntitle: F\nreview: source\n---\n- {{office.fax}}\n")
    with pytest.raises(ContentError, match=r"topic\.toml"):
        layer_catalog([tmp_path])
    (topic / "topic.toml").write_text('order = 1\ntitle_de = "F"\n', "utf-8")
    with pytest.raises(ContentError, match=r"office\.fax"):
        layer_catalog([tmp_path])


def test_a_missing_content_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="No handout folder"):
        load_catalog([tmp_path / "nope"])


def test_check_reports_a_translation_that_lost_a_bullet(own: Path) -> None:
    arabic = own / "health" / "ar.md"
    lines = arabic.read_text("utf-8").splitlines()
    first_bullet = next(i for i, line in enumerate(lines) if line.startswith("- "))
    del lines[first_bullet]
    arabic.write_text("\n".join(lines) + "\n", "utf-8")
    problems = [str(p) for p in check_catalog(load_catalog([own]))]
    assert [p.split(":")[0] for p in problems] == ["health/ar"]


def test_a_topic_toml_that_is_no_toml_is_said_in_german_first(tmp_path: Path) -> None:
    """The ministry's pack maker showed the parser's English only ("Expected '=' after a
    key in a key/value pair"); the clerk reads German, with the parser's words after it."""
    set_ui_language("de")
    topic = tmp_path / "fahrrad"
    topic.mkdir()
    (topic / "de.md").write_text("---\ntitle: F\nreview: source\n---\nText\n")
    (topic / "topic.toml").write_text("das ist = = kein toml\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        layer_catalog([tmp_path])
    message = str(caught.value)
    assert message.startswith(f"{topic / 'topic.toml'}: keine gültige TOML-Datei (")
    assert "Zeile 1" in message
