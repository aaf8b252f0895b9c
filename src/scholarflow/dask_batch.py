"""`scholarflow batch --dask ADDRESS`: the batch's records answered on a Dask cluster.

Only where the answers are computed changes. `batch.run_batch` still reads the input, finds
where an interrupted run stopped, and appends each result line in input order, so the output
is byte for byte what a local run writes and a run on the cluster resumes like any other
(from a local run's output too, and the other way round).

How the work travels:

- **Chunks**, not records: a task carries up to `MAX_CHUNK` records (an answer takes 2-5 ms;
  a Dask task costs about a millisecond of scheduling), and its result is the chunk's output
  lines, already encoded, so the client only writes bytes.
- **A window** of tasks in flight, a few per worker thread: the input is read only that far
  ahead, so memory stays flat on a file of millions of lines, and results come back while
  later chunks are still being computed. They are written in submission order, which is
  input order; a chunk finished early waits in memory for the ones before it.
- **Engine loaded once per worker**: the first chunk a worker process runs imports the
  engine (taxonomy, patterns, the embedding model on the first free question); later chunks
  reuse it. The catalog store is kept per worker thread, because an SQLite connection
  belongs to the thread that opened it. Answering is CPU-bound Python, so workers started
  with `--nthreads 1` (and `--nworkers` = cores) use a machine best.
- **A worker that dies** mid-run costs only its chunks in flight: the scheduler runs them
  again on another worker (Dask's own recovery; `distributed.scheduler.allowed-failures`, 3 by
  default, bounds how often one chunk may take a worker down before it is given up). Answers
  are deterministic, so a chunk computed twice gives the same lines.
- **The catalog** (free questions only) must be the same file at the same path on every
  worker, or a catalog server every worker reaches. A worker that does not see the file
  fails those records with exit code 4 and says so, rather than answering from an empty
  catalog of its own.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from scholarflow.batch import Answerer, Result
from scholarflow.errors import ConfigurationError, InputError

if TYPE_CHECKING:
    from distributed import Client, Future

    from scholarflow.retrieval import Retriever

MAX_CHUNK = 32  # records per task: ~0.1 s of work, so a lost worker loses little
TASKS_PER_THREAD = 4  # tasks in flight per worker thread: none idles between two
CONNECT_SECONDS = 10.0  # to reach the scheduler
WORKERS_SECONDS = 60.0  # for a cluster that is starting to have its first worker

_local = threading.local()  # in a Dask worker: this thread's answerers, by (catalog, writer)


def answer_on_dask(
    pending: Iterator[tuple[int, bytes]],
    count: int,
    client: Client,
    catalog_path: Path,
    writer: str,
) -> Iterator[Result]:
    """Results for `pending` (`count` records), in its order, computed on `client`'s cluster
    (see `connect`; the caller closes it).

    Raises `ConfigurationError` when the cluster loses a chunk for good (the output written
    so far stays, and the next run resumes from it).
    """
    address = str(client.scheduler.address) if client.scheduler else "the Dask cluster"
    threads = max(1, sum(client.nthreads().values()))
    chunk_size = max(1, min(MAX_CHUNK, count // (threads * TASKS_PER_THREAD)))
    window = threads * TASKS_PER_THREAD
    catalog = str(Path(catalog_path).resolve())
    # Keys unique to this run: two runs on one scheduler must never share a result.
    run = uuid.uuid4().hex
    in_flight: deque[tuple[int, Future]] = deque()
    records = iter(pending)
    while True:
        while len(in_flight) < window:
            chunk = list(islice(records, chunk_size))
            if not chunk:
                break
            key = f"scholarflow-batch-{run}-{chunk[0][0]}"
            future = client.submit(answer_chunk, chunk, catalog, writer, key=key)
            in_flight.append((chunk[0][0], future))
        if not in_flight:
            return
        yield from _result(*in_flight.popleft(), address)


def connect(address: str, seconds: float = CONNECT_SECONDS) -> Client:
    """A client of the scheduler at `address` that has at least one worker.

    Raises `InputError` for an address that is not one and `ConfigurationError` when the
    scheduler cannot be reached, has no workers, or the package is not installed."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigurationError(
            "--dask needs Dask's distributed package: pip install 'scholarflow[dask]'"
        ) from None
    address = _checked_address(address)
    try:
        client = Client(address, timeout=seconds, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ConfigurationError(
            f"{address}: cannot reach the Dask scheduler within {seconds:g} s: {error}"
        ) from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except (OSError, TimeoutError):
        client.close()
        raise ConfigurationError(
            f"{address}: the Dask scheduler has no workers (waited {WORKERS_SECONDS:g} s)"
        ) from None
    return client


def _checked_address(address: str) -> str:
    """`address` if Dask can parse it. Checked before a `Client` exists: one made from a bad
    address fails in its constructor and then again, 20 s later, with a traceback while
    being garbage-collected."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    address = address.strip()
    try:
        if not address or any(c.isspace() for c in address):
            raise ValueError("empty or with spaces")
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except (ValueError, TypeError) as error:
        raise InputError(
            f"{address!r}: not a Dask scheduler address (e.g. tcp://host:8786): {error}"
        ) from None
    return address


def _result(first_line: int, future: Future, address: str) -> list[Result]:
    try:
        return future.result()
    except Exception as error:  # KilledWorker, a lost scheduler, a worker without scholarflow
        raise ConfigurationError(
            f"{address}: the Dask cluster could not answer the records from line "
            f"{first_line} on ({type(error).__name__}: {error}); the answers before them "
            "are written: run the same command again to resume"
        ) from None


# --------------------------------------------------------------------------- on a worker


def answer_chunk(chunk: list[tuple[int, bytes]], catalog: str, writer: str) -> list[Result]:
    """Runs on a Dask worker: each record's output line, as `batch` writes it locally."""
    answerers: dict[tuple[str, str], _WorkerAnswerer] = _local.__dict__.setdefault("by_key", {})
    answerer = answerers.get((catalog, writer))
    if answerer is None:
        answerer = answerers[(catalog, writer)] = _WorkerAnswerer(Path(catalog), writer)
    return [answerer.line(number, raw) for number, raw in chunk]


class _WorkerAnswerer(Answerer):
    """An `Answerer` that will not create the catalog: on a machine without the file, the
    local default would open an empty new one and answer free questions from it."""

    def retriever(self) -> Retriever:
        if self._retriever is None and not self.catalog_path.exists():
            import socket

            raise ConfigurationError(
                f"{self.catalog_path}: no catalog at this path on Dask worker "
                f"{socket.gethostname()}; every worker needs the same catalog file"
            )
        return super().retriever()
