"""A tiny progress bar on stderr for long imports, with no dependencies.

Library code never prints; it takes an `on_progress(done, total)` callback instead, and the
command line hands it `Progress.report`. The bar stays silent for work that finishes within a
second, and whenever nobody is watching (stderr is not a terminal), so quick commands, pipes
and logs see no noise. `SCHOLARFLOW_PROGRESS=1` forces it on (for logs that want it) and
`SCHOLARFLOW_PROGRESS=0` forces it off.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

ProgressCallback = Callable[[int, int], None]
"""`on_progress(done, total)`: how library code reports progress without printing."""

_SHOW_AFTER_SECONDS = 1.0
_REDRAW_EVERY_SECONDS = 0.1
_BAR_WIDTH = 24


def progress_wanted(stream: TextIO) -> bool:
    """Whether a bar may be drawn on `stream`: forced by the environment, else only on a TTY."""
    setting = os.environ.get("SCHOLARFLOW_PROGRESS", "").strip().lower()
    if setting in {"1", "true", "yes", "on"}:
        return True
    if setting in {"0", "false", "no", "off"}:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """`with Progress(total, "importing") as bar: bar.advance()`; draws only when worth it."""

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
        self._last_draw: float | None = None
        self._drawn_width = 0

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
        """Whether anything was written, so callers (and tests) know a newline is owed."""
        return self._last_draw is not None

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
        if self.drew:
            self._draw(self._clock())
            self._stream.write("\n")
            self._stream.flush()
            self._last_draw = None

    def _maybe_draw(self) -> None:
        if not self._enabled:
            return
        now = self._clock()
        if now - self._started <= _SHOW_AFTER_SECONDS:
            return
        if self._last_draw is not None and now - self._last_draw < _REDRAW_EVERY_SECONDS:
            return
        self._draw(now)

    def _draw(self, now: float) -> None:
        line = render_line(self.label, self.done, self.total, max(now - self._started, 1e-9))
        # Pad over the previous line instead of using escape codes, so logs stay plain text.
        padding = " " * max(0, self._drawn_width - len(line))
        self._stream.write(f"\r{line}{padding}")
        self._stream.flush()
        self._drawn_width = len(line)
        self._last_draw = now


def render_line(label: str, done: int, total: int | None, elapsed: float) -> str:
    """One line of the bar: label, bar, count/total, rate and time left."""
    rate = done / elapsed if elapsed > 0 else 0.0
    if not total:
        return f"{label} {done} ({rate:,.0f}/s)"
    fraction = min(done / total, 1.0)
    filled = round(fraction * _BAR_WIDTH)
    bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
    eta = _clock_text((total - done) / rate) if rate > 0 and done < total else "0:00"
    return f"{label} [{bar}] {done:,}/{total:,} {rate:,.0f}/s ETA {eta}"


def _clock_text(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
