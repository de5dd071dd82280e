"""A long post's other readings, filled in once its first screen is painted.

The first render of a long post has readings only around the reading position
(app.core.library.opening): it shows sooner. The others are rendered on a worker thread
(`RenderJob`: MeCab's tagger is per thread), or come from the start-up process
(app.ui.first_page), and are swapped into the page if the post is still the one shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal

from app.lazy import lazy_module

if TYPE_CHECKING:
    from app.core.library.opening import Opened
    from app.core.posts.render import RenderOptions
    from app.ui.reader_view import ReaderView

opening = lazy_module("app.core.library.opening")


class RenderJob(QThread):
    """Renders the readings a long post's first render left out; emits `rendered` with
    (index, html) pairs."""

    rendered = Signal(object)

    def __init__(self, post, options: RenderOptions, window: tuple[int, int], parent=None):
        super().__init__(parent)
        self.post, self.options, self.window = post, options, window

    def run(self) -> None:
        try:
            self.rendered.emit(opening.rest_of_readings(self.post, self.options, self.window))
        except Exception:  # noqa: BLE001 - the first render already shows the post; readings stay partial
            pass


class LateReadings(QObject):
    """The readings still to come for the page `reader` shows, from one source at a time (a
    RenderJob, or the start-up process): what another source sends is dropped."""

    def __init__(self, reader: ReaderView, parent: QObject | None = None):
        super().__init__(parent)
        self.reader = reader
        self.wanted: object | None = None  # the source whose readings are still wanted
        self._jobs: set[RenderJob] = set()  # all still running (a thread must finish before it goes)

    def follow(self, opened: Opened) -> None:
        """A post was opened: the readings of the one before are not wanted any more, and if
        `opened` has its readings only around the reading position, the others are rendered."""
        self.wanted = None
        if opened.window is None:
            return
        job = RenderJob(opened.post, opened.options, opened.window, self)
        self.wanted = job
        self._jobs.add(job)
        job.rendered.connect(lambda blocks, job=job: self.arrived(job, blocks))
        job.finished.connect(lambda job=job: (self._jobs.discard(job), job.deleteLater()))
        job.start()

    def expect(self, source: object) -> None:
        """The readings wanted are the ones `source` (the start-up process) sends."""
        self.wanted = source

    def arrived(self, source: object, blocks: list[tuple[int, str]]) -> None:
        """The other readings, rendered by `source`: into the page once it is painted, if they
        are still wanted then."""
        if source is self.wanted:
            self.reader.after_ready(lambda: self._replace(source, blocks))

    def _replace(self, source: object, blocks: list[tuple[int, str]]) -> None:
        if source is self.wanted:
            self.reader.replace_blocks(blocks)

    def stop(self) -> None:
        """None wanted any more; wait for the threads still rendering (the window closes)."""
        self.wanted = None
        for job in list(self._jobs):
            job.wait()
