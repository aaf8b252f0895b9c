"""Progress bars on stderr for long work (imports, embedding, batches), drawn by `rich`.

Library code never prints; it takes an `on_progress(done, total)` callback instead, and the
command line hands it `Progress.report`. The bar stays silent for work that finishes within a
second, and whenever nobody is watching (stderr is not a terminal), so quick commands, pipes
and logs see no noise. `SCHOLARFLOW_PROGRESS=1` forces it on (for logs that want it) and
`SCHOLARFLOW_PROGRESS=0` forces it off.

rich draws the bar (terminal width, redraws, cursor control, colours and NO_COLOR); the two
small columns below are ours because rich's rate column counts bytes, and because the rate and
time left are computed from the whole run (done / elapsed), which holds steady where rich's
30-second window would swing with each uneven batch.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

ProgressCallback = Callable[[int, int], None]
"""`on_progress(done, total)`: how library code reports progress without printing."""

_SHOW_AFTER_SECONDS = 1.0
_REFRESHES_PER_SECOND = 8


def progress_wanted(stream: TextIO) -> bool:
    """Whether a bar may be drawn on `stream`: forced by the environment, else only on a TTY."""
    forced = _forced()
    if forced is not None:
        return forced
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _forced() -> bool | None:
    setting = os.environ.get("SCHOLARFLOW_PROGRESS", "").strip().lower()
    if setting in {"1", "true", "yes", "on"}:
        return True
    if setting in {"0", "false", "no", "off"}:
        return False
    return None


def rate_text(done: int, elapsed: float) -> str:
    """ "123/s": units per second over the whole run so far."""
    rate = done / elapsed if elapsed > 0 else 0.0
    return f"{rate:,.1f}/s" if rate < 10 else f"{rate:,.0f}/s"


def eta_text(done: int, total: int | None, elapsed: float) -> str:
    """ "ETA 0:42" at the run's average rate; "ETA -:--" until there is a rate to go by."""
    if not total:
        return ""
    if done >= total:
        return "ETA 0:00"
    if done <= 0 or elapsed <= 0:
        return "ETA -:--"
    seconds = round((total - done) * elapsed / done)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"ETA {hours}:{minutes:02d}:{secs:02d}" if hours else f"ETA {minutes}:{secs:02d}"


class Progress:
    """`with Progress(total, "importing") as bar: bar.advance()`; draws only when worth it.

    `total` may be None (unknown) and may be set later through `report(done, total)`.
    """

    def __init__(
        self,
        total: int | None,
        label: str,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self._enabled = progress_wanted(self._stream)
        self._started = clock()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Progress:
        self._started = self._clock()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.finish()

    @property
    def drew(self) -> bool:
        """Whether a bar was shown (it stays on screen, ended by a newline, when finished)."""
        return self._bar is not None

    def advance(self, n: int = 1) -> None:
        """Count `n` more units of work done."""
        self.done += n
        self._maybe_draw()

    def report(self, done: int, total: int) -> None:
        """Set the absolute count; has the `ProgressCallback` shape, to pass as `on_progress`."""
        self.done = done
        self.total = total
        self._maybe_draw()

    def finish(self) -> None:
        """Draw the final state and end the line, but only if a bar was ever shown."""
        if self._bar is None:
            return
        self._update()
        self._bar.stop()
        self._bar = None

    def _maybe_draw(self) -> None:
        if not self._enabled:
            return
        if self._bar is None:
            if self._clock() - self._started <= _SHOW_AFTER_SECONDS:
                return
            self._start()  # draws the current state at once
        else:
            self._update()  # drawn by rich's next refresh, a few times a second

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
        from rich.progress import Progress as RichProgress

        # Forced on a pipe or a file, rich is told it is a terminal, so the bar is drawn
        # as it would be on screen rather than only once at the end.
        console = Console(file=self._stream, force_terminal=True if _forced() else None)
        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("{task.fields[eta]}"),
            console=console,
            get_time=self._clock,
            refresh_per_second=_REFRESHES_PER_SECOND,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._task = self._bar.add_task(self.label, total=self.total, rate="", eta="")
        self._update()
        self._bar.start()

    def _update(self) -> None:
        assert self._bar is not None and self._task is not None
        elapsed = max(self._clock() - self._started, 1e-9)
        self._bar.update(
            self._task,
            completed=self.done,
            total=self.total,
            rate=rate_text(self.done, elapsed),
            eta=eta_text(self.done, self.total, elapsed),
        )
