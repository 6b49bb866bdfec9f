"""Rendering handouts for the preview: one at a time on the task runner, the latest wish wins.

A job carries everything a rendering needs as immutable values; the municipality's details
(the profile) are read from the workspace on the UI thread by :func:`preview_job`, so the
worker never touches the workspace. Only one rendering runs at a time (ReportLab's font
registry is not made for threads); while it runs, a new wish replaces the waiting one, and
a result that is no longer wished for starts the wished one instead of being delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Guide, Municipality, Partner
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.handouts.catalog import Catalog
from kisi_desktop.handouts.layout import Layout
from kisi_desktop.handouts.profile import HandoutProfile, profile_from_records
from kisi_desktop.handouts.render import Request, render

from kisi_desktop.ui.workers import TaskRunner


@dataclass(frozen=True)
class PreviewJob:
    """Everything one rendering needs; equal jobs give the same PDF."""

    catalog: Catalog = field(compare=False)  # one per unlock; comparing it costs milliseconds
    request: Request
    profile: HandoutProfile
    issued: date


def preview_job(
    workspace: Workspace, catalog: Catalog, topic: str, language: str, layout: Layout
) -> PreviewJob:
    """The job for one choice, with today's date and the profile as the vault has it now.

    The profile is that of the first municipality by name (as ``OfficePage.profile_ags``),
    its guides still in post, and the partners marked for a handout role.
    """
    municipalities = sorted(workspace.list(Municipality), key=lambda m: m.name)
    profile = profile_from_records(
        municipalities[0] if municipalities else None,
        workspace.list(Guide),
        workspace.list(Partner),
    )
    return PreviewJob(catalog, Request(topic, language, layout), profile, today(workspace.clock))


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
            return render(job.catalog, job.request, job.profile, job.issued)

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
