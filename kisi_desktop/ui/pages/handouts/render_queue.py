"""Rendering handouts for the preview: one at a time on the task runner, the latest wish wins.

A job is one PDF: one topic, or several topics in one language, each from a new page (a
welcome pack, ``render_many``). It carries everything a rendering needs as immutable values;
the municipality's details (the profile) are read from the workspace on the UI thread by
:func:`preview_job`, so the worker never touches the workspace. Only one rendering runs at
a time (ReportLab's font registry is not made for threads); while it runs, a new wish
replaces the waiting one, and a result that is no longer wished for starts the wished one
instead of being delivered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Guide, Municipality, Partner
from kisi_desktop.core.files import safe_file_name
from kisi_desktop.core.i18n import _
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.handouts.catalog import Catalog
from kisi_desktop.handouts.layout import Layout
from kisi_desktop.handouts.profile import HandoutProfile, profile_from_records
from kisi_desktop.handouts.render import Request, render_many

from kisi_desktop.ui.workers import TaskRunner


@dataclass(frozen=True)
class PreviewJob:
    """Everything one rendering needs; equal jobs give the same PDF."""

    catalog: Catalog = field(compare=False)  # one per unlock; comparing it costs milliseconds
    requests: tuple[Request, ...]  # one per topic, in catalog order; all in one language
    profile: HandoutProfile
    issued: date

    @property
    def request(self) -> Request:
        """The first handout's request (the only one when one topic is chosen)."""
        return self.requests[0]

    @property
    def topics(self) -> tuple[str, ...]:
        """The topic ids, in the order they are printed."""
        return tuple(r.topic for r in self.requests)

    def file_name(self) -> str:
        """``<topic>_<language>.pdf`` for one topic, ``<language>_<n>_topics.pdf`` for more,
        its words in the UI language (``ar_2_Themen.pdf``)."""
        if len(self.requests) == 1:
            return self.request.file_name()
        count = len(self.requests)
        name = _("{language}_{count}_topics").format(language=self.request.language, count=count)
        if self.request.layout is Layout.SINGLE:
            name = _("{name}_single").format(name=name)
        return f"{safe_file_name(name)}.pdf"


def preview_job(
    workspace: Workspace,
    catalog: Catalog,
    topics: str | Sequence[str],
    language: str,
    layout: Layout,
) -> PreviewJob:
    """The job for one choice, with today's date and the profile as the vault has it now.

    The profile is that of the first municipality by name, its guides still in post, and
    the partners marked for a handout role.
    """
    municipalities = sorted(workspace.list(Municipality), key=lambda m: m.name)
    profile = profile_from_records(
        municipalities[0] if municipalities else None,
        workspace.list(Guide),
        workspace.list(Partner),
        on=today(workspace.clock),
    )
    chosen = [topics] if isinstance(topics, str) else list(topics)
    if not chosen:
        raise ValueError("no topic to render")
    requests = tuple(Request(topic, language, layout) for topic in chosen)
    return PreviewJob(catalog, requests, profile, today(workspace.clock))


class RenderQueue:
    """See the module docstring; ``deliver(job, pdf, error)`` gets the wished job's outcome."""

    def __init__(
        self,
        runner: TaskRunner,
        deliver: Callable[[PreviewJob, bytes | None, BaseException | None], None],
    ) -> None:
        self._runner = runner
        self._deliver = deliver
        self._wanted: PreviewJob | None = None
        self._running = False

    @property
    def pending(self) -> bool:
        """Whether a wished job has not been delivered yet."""
        return self._wanted is not None

    def want(self, job: PreviewJob) -> None:
        """Render ``job`` as soon as the running rendering (if any) is done."""
        self._wanted = job
        if not self._running:
            self._launch(job)

    def cancel(self) -> None:
        """Deliver nothing of what runs or waits (lock)."""
        self._wanted = None

    def _launch(self, job: PreviewJob) -> None:
        self._running = True

        def work() -> bytes:
            return render_many(job.catalog, job.requests, job.profile, job.issued)

        self._runner.run(
            work,
            lambda pdf: self._finished(job, pdf, None),
            lambda error: self._finished(job, None, error),
        )

    def _finished(self, job: PreviewJob, pdf: Any, error: BaseException | None) -> None:
        self._running = False
        wanted = self._wanted
        if wanted is None:
            return  # cancelled meanwhile
        if wanted is not job:
            self._launch(wanted)  # the choice changed while this one rendered
            return
        self._wanted = None
        self._deliver(job, pdf, error)
