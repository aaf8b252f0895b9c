"""An answer computed in a thread of its own, handed piece by piece to a streaming response.

Why a thread and a queue: the engine calls back with each screened part while it computes,
and a streaming response pulls its body from an iterator. Both streamed routes (/api's NDJSON,
/v1's server-sent events) need the same bridge between the two, and the same rule: the first
piece is awaited before the response starts, so a failure before anything is shown still
gets a proper error status instead of a stream that breaks off.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

_DONE = object()  # what the worker puts last, whether it returned or raised


def handed_over(work: Callable[[Callable[[object], None]], None], *, name: str) -> Iterator[object]:
    """Run `work(hand_over)` in a daemon thread called `name`; yield what it hands over.

    Waits for the first piece before returning: an exception the work raises before handing
    anything over is raised here, in the request's thread. One it raises later is yielded as
    the last piece, for the caller to turn into its stream's own way of saying so.
    """
    pieces: queue.Queue[object] = queue.Queue()

    def run() -> None:
        try:
            work(pieces.put)
        except BaseException as error:  # handed to the request thread
            pieces.put(error)
        finally:
            pieces.put(_DONE)

    threading.Thread(target=run, name=name, daemon=True).start()
    first = pieces.get()
    if isinstance(first, BaseException):
        raise first

    def rest() -> Iterator[object]:
        piece = first
        while piece is not _DONE:
            yield piece
            piece = pieces.get()

    return rest()
