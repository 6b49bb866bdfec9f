"""``kisi handout``: list, render one or all, render from a user folder, check, review."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kisi_desktop.handouts.catalog import shipped_folder

from tests.support import pdf

from .conftest import Kisi


@pytest.fixture(autouse=True)
def _no_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KISI_HANDOUTS", str(tmp_path / "user-handouts"))


def test_list_shows_every_topic_with_language_status(kisi: Kisi, vault: Path) -> None:
    topics = kisi("handout", "list", "--json").json()
    assert [t["topic"] for t in topics][:2] == ["welcome", "language_courses"]
    health = next(t for t in topics if t["topic"] == "health")
    assert health["languages"]["de"] == "source"
    assert health["languages"]["ps"] == "unreviewed"
    assert len(health["languages"]) >= 14


def test_render_prints_the_vault_profile_into_the_handout(
    kisi: Kisi, vault: Path, tmp_path: Path
) -> None:
    kisi(
        "municipality",
        "set",
        "--ags",
        "06534011",
        "--name",
        "Kirchhain",
        "--phone",
        "+49 6422 808-0",
        "--hours",
        "Di 9–12 Uhr",
    )
    kisi(
        "partner",
        "add",
        "--name",
        "Jobcenter Marburg-Biedenkopf",
        "--phone",
        "06421 4050",
        "--handout-role",
        "jobcenter",
    )
    out = tmp_path / "work_ar.pdf"
    result = kisi(
        "handout",
        "render",
        "--topic",
        "work",
        "--lang",
        "ar",
        "--out",
        str(out),
        "--date",
        "2026-11-25",
    )
    assert result.code == 0, result
    text = pdf.text(out)
    assert "Kirchhain" in text
    assert "Jobcenter Marburg-Biedenkopf" in text
    assert "06421 4050" in text
    assert "Ausgegeben am 25. November 2026" in text


def test_render_single_language_and_blank(kisi: Kisi, tmp_path: Path) -> None:
    out = tmp_path / "ti.pdf"
    result = kisi(
        "--vault",
        str(tmp_path / "none.kisi"),
        "handout",
        "render",
        "--topic",
        "health",
        "--lang",
        "ti",
        "--single",
        "--blank",
        "--out",
        str(out),
    )
    assert result.code == 0, result
    assert "Ausgegeben" not in pdf.text(out)


def test_unknown_topic_and_language_are_user_errors(kisi: Kisi, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    line = kisi("handout", "render", "--topic", "tax", "--lang", "ar", "--blank", "--out", out)
    assert "tax" in line.user_error() and "welcome" in line.err
    line = kisi("handout", "render", "--topic", "health", "--lang", "xx", "--blank", "--out", out)
    assert "xx" in line.user_error()


def test_render_from_a_content_folder_with_a_new_topic(kisi: Kisi, tmp_path: Path) -> None:
    folder = tmp_path / "district"
    topic = folder / "fahrrad"
    topic.mkdir(parents=True)
    (topic / "topic.toml").write_text('order = 30\ntitle_de = "Fahrrad"\n', "utf-8")
    (topic / "de.md").write_text(
        "---\ntitle: Sicher Fahrrad fahren\nreview: source\n---\nFahren Sie mit Licht.\n",
        "utf-8",
    )
    out = tmp_path / "f.pdf"
    result = kisi(
        "handout",
        "render",
        "--content",
        str(folder),
        "--topic",
        "fahrrad",
        "--lang",
        "de",
        "--blank",
        "--out",
        str(out),
    )
    assert result.code == 0, result
    assert "Sicher Fahrrad fahren" in pdf.text(out)


def test_review_marks_one_translation_in_the_user_folder(kisi: Kisi, tmp_path: Path) -> None:
    result = kisi("handout", "review", "--topic", "health", "--lang", "uk", "--by", "O. K.")
    assert result.code == 0, result
    copied = tmp_path / "user-handouts" / "health" / "uk.md"
    assert "review: reviewed" in copied.read_text("utf-8")
    statuses = next(t for t in kisi("handout", "list", "--json").json() if t["topic"] == "health")
    assert statuses["languages"]["uk"] == "reviewed"
    assert statuses["languages"]["ru"] == "unreviewed"
    # The shipped file itself is untouched.
    assert "review: unreviewed" in (shipped_folder() / "health" / "uk.md").read_text("utf-8")


def test_check_fails_on_a_broken_translation(kisi: Kisi, tmp_path: Path) -> None:
    folder = tmp_path / "district"
    shutil.copytree(shipped_folder() / "housing", folder / "housing")
    german = folder / "housing" / "de.md"
    german.write_text(german.read_text("utf-8") + "\n- Neu: {{office.website}}\n", "utf-8")
    result = kisi("handout", "check", "--content", str(folder))
    assert result.code == 1
    assert "housing/ar: " in result.out
    assert kisi("handout", "check").code == 0


def test_render_all_writes_every_pair(kisi: Kisi, tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = kisi(
        "--vault",
        str(tmp_path / "none.kisi"),
        "handout",
        "render",
        "--all",
        "--blank",
        "--workers",
        "2",
        "--out",
        str(out),
        "--json",
    )
    assert result.code == 0, result
    written = result.json()
    assert len(written) >= 11 * 14
    assert (out / "welcome_ps.pdf").read_bytes().startswith(b"%PDF-")


def test_several_topics_in_one_pdf(kisi: Kisi, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    result = kisi(
        "--vault",
        str(tmp_path / "none.kisi"),
        "handout",
        "render",
        "--topic",
        "welcome",
        "--topic",
        "housing",
        "--lang",
        "uk",
        "--blank",
        "--out",
        str(out),
    )
    assert result.code == 0, result
    text = pdf.text(out)
    assert text.index("Willkommen") < text.rindex("Wohnen und")
