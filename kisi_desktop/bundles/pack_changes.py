"""What a content pack changes in the handouts a guide prints, said when it is imported.

A version number tells a guide nothing about which handouts to print anew, nor why the
Arabic welcome handout suddenly says "outdated": when the ministry rewrites a German text,
every translation made from the old one is marked outdated until it is reviewed. So an
import compares the texts the app prints from the shipped folder with the old pack laid
over it and with the new one. The guide's own folder is left out: it wins over either
pack alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kisi_desktop.core.i18n import _, ngettext

from kisi_desktop.handouts.catalog import SOURCE_LANGUAGE, Catalog, Status

if TYPE_CHECKING:
    from kisi_desktop.bundles.content_packs import InstallResult


@dataclass(frozen=True, slots=True)
class TopicChange:
    """One handout that now prints differently, in the languages named."""

    topic: str
    title: str
    """The German title, as the app's lists show it."""
    languages: tuple[str, ...]
    """German first, then the others by code."""


@dataclass(frozen=True, slots=True)
class PackChanges:
    """Everything an import changed in the printed handouts."""

    topics: tuple[TopicChange, ...] = ()
    newly_outdated: int = 0
    """Translations marked outdated now that were not before (their German changed)."""


def pack_changes(before: Catalog, after: Catalog) -> PackChanges:
    """The handouts whose text in some language differs between ``before`` and ``after``.

    A text added, removed or changed (its review lines included: a reviewed translation
    prints without the notice) counts; topics in the order the app lists them.
    """
    changed: list[TopicChange] = []
    outdated = 0
    for topic_id in after.ordered_ids() + [
        t for t in before.ordered_ids() if t not in after.topics
    ]:
        old, new = before.topics.get(topic_id), after.topics.get(topic_id)
        old_texts = old.texts if old is not None else {}
        new_texts = new.texts if new is not None else {}
        codes = sorted(
            (
                c
                for c in old_texts.keys() | new_texts.keys()
                if old_texts.get(c) != new_texts.get(c)
            ),
            key=lambda c: (c != SOURCE_LANGUAGE, c),
        )
        if codes:
            title = (new or old).title_de  # type: ignore[union-attr]  # one of them exists
            changed.append(TopicChange(topic_id, title, tuple(codes)))
        if new is not None:
            outdated += sum(
                1
                for code in new_texts
                if new.status(code) is Status.OUTDATED
                and (
                    old is None or code not in old_texts or old.status(code) is not Status.OUTDATED
                )
            )
    return PackChanges(tuple(changed), outdated)


def change_lines(result: InstallResult) -> list[str]:
    """What the import changed, in the UI language: nothing when the pack was installed
    already; otherwise the version it replaces, the handouts with new texts, and how many
    translations now print as outdated."""
    if not result.changed:
        return []
    lines = []
    if result.replaced_version is not None:
        lines.append(_("It replaces version {version}.").format(version=result.replaced_version))
    changes = result.changes
    if not changes.topics:
        lines.append(_("No handout text changed."))
        return lines
    named = "; ".join(f"{t.title} ({', '.join(t.languages)})" for t in changes.topics)
    lines.append(_("Handouts with new texts: {topics}").format(topics=named))
    if changes.newly_outdated:
        lines.append(
            ngettext(
                "{n} translation is now marked outdated: its German text changed. It prints "
                "with a notice until someone reviews it.",
                "{n} translations are now marked outdated: their German text changed. They "
                "print with a notice until someone reviews them.",
                changes.newly_outdated,
            ).format(n=changes.newly_outdated)
        )
    return lines
