"""Batch answering: a JSONL file of requests in, a JSONL file of answers out, on every core.

Each input line is one record, numbered by its physical line (1-based; blank lines are
skipped but keep their numbers, so "line" in the output points at the line an editor shows):

- ``{"prompt": "<seed-format prompt>"}``: answered exactly as ``scholarflow answer`` would;
- ``{"question": "...", "recommended": [...], "related": [...]}``: a request given as JSON,
  each source an object with ``title`` and optionally ``name``, ``paper_url``, ``github_url``,
  ``project_url``, ``summary``;
- ``{"question": "..."}``: a free question answered from the catalog, as ``scholarflow ask``
  would (the answer carries ``"served"`` and ``"sources"``).

Any record may carry an ``"id"``, copied to its result. The output has exactly one line per
record, in input order: ``{"line": N, "id": ..., "ok": true, "answer": {...}}`` or
``{"line": N, "id": ..., "ok": false, "error": "...", "exit_code": 2|3|4}`` (the CLI's codes:
bad input, ungrounded answer, configuration; 1 marks an internal error, a bug to report). A
bad record is reported on its own line and never stops the batch.

Why it is built this way:

- **Resumable.** Results are appended in input order, one unbuffered ``write`` per line, so
  a killed run leaves a prefix of the finished output plus at most one partial line. A new
  run drops that line, skips the records already answered and appends the rest; answers are
  deterministic (no timings in the output), so the result is byte-identical to an
  uninterrupted run. The output is locked while a run appends to it, so two runs cannot
  interleave, and a file that batch did not write is refused rather than truncated.
- **Parallel.** Answering is CPU-bound pure Python, so it needs processes, not threads: a
  ``multiprocessing`` pool fed with ordered ``imap`` (which reads the input only a pipe's
  worth ahead, so memory stays flat). Workers start with ``forkserver``, not ``fork``: a
  forked child inherits the caller's threads, held locks and open SQLite connections, and
  ``run_batch`` is a library function whose caller may have all three. The price, measured
  on 2 cores: each run pays ~0.25 s once, for the server to import what ``fork`` would
  inherit. That is about the time 2 workers save over 1 on 200 prompt records (~250
  records/s either way in a fresh process), while 2000 records run at ~450/s against ~320/s
  in one process, and ``fork`` is within 10 % of that.
  ``workers=1`` answers in-process, without a pool.
- **Lazy catalog.** Prompts and JSON requests never touch the catalog; a worker opens the
  store (and loads the embedding model) only when it first meets a free question, then
  reuses one `Retriever` for the rest of its life.
- **Killed parent.** Workers of a SIGKILLed run stop at their next result (the pipe back is
  broken), so nothing keeps computing for a run that is gone.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scholarflow.errors import InputError, ScholarflowError

if TYPE_CHECKING:
    from scholarflow.catalog.store import SQLiteCatalogStore
    from scholarflow.models import Request, Source, SourceRole
    from scholarflow.retrieval import Retriever

ProgressCallback = Callable[[int, int], None]
Result = tuple[bool, bytes]  # (answered, the output line with its newline)

MAX_QUESTION_CHARS = 4000  # the same limit as `scholarflow ask`
# Every line batch writes starts with these bytes; a file whose lines do not is not ours, and
# resuming into it (truncating its last line, appending) would damage someone else's data.
_LINE_PREFIX = b'{"line":'
_RESULT_START = re.compile(rb'\{"line":([0-9]+),"id":')
_START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
_PRELOAD = (
    "scholarflow.batch",
    "scholarflow.engine",
    "scholarflow.prompt_format",
    "scholarflow.render.json_format",
)
# Records per task sent to a worker: large enough that pickling and the pipe round trip
# (~0.1 ms) vanish next to an answer (~2-5 ms), small enough that results reach the file, and
# the progress bar, steadily and a kill loses little work.
_MAX_CHUNKSIZE = 8
_SOURCE_TEXT_FIELDS = ("name", "summary")
_SOURCE_URL_FIELDS = ("paper_url", "github_url", "project_url")
_SCHEME = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://")


@dataclass(frozen=True)
class BatchReport:
    """What a run did. `skipped` records were already in the output from an earlier run."""

    total: int
    skipped: int
    answered: int
    failed: int
    seconds: float


# --------------------------------------------------------------------------- the run


def run_batch(
    in_path: Path,
    out_path: Path,
    *,
    workers: int = os.cpu_count() or 1,
    catalog_path: Path | None = None,
    writer: str = "template",
    on_progress: ProgressCallback | None = None,
    dask_address: str | None = None,
) -> BatchReport:
    """Answer every record of `in_path` into `out_path`, resuming where a killed run stopped.

    With `dask_address` the records are answered on that Dask cluster (`dask_batch`) and
    `workers` is not used; the output is the same.

    Raises `InputError` (naming the path) when a file itself is unusable, and
    `ConfigurationError` for an unknown writer or an unusable Dask cluster; a problem with
    one record is written to the output as that record's result instead.
    """
    started = time.perf_counter()
    in_path, out_path = Path(in_path), Path(out_path)
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    _check_writer(writer)
    records = _record_numbers(in_path)
    _check_output_path(out_path, in_path)
    if catalog_path is None:
        from scholarflow.catalog.store import default_catalog_path

        catalog_path = default_catalog_path()
    total = len(records)
    outcomes = {True: 0, False: 0}
    # Connected before OUT is opened: an unreachable cluster leaves no file behind.
    cluster = _connect_dask(dask_address) if dask_address is not None else None
    try:
        with _open_output(out_path) as out:
            skipped, keep = _resume_point(out_path, in_path, records)
            out.truncate(keep)  # drop what a kill left half-written; a no-op otherwise
            if on_progress is not None:
                on_progress(skipped, total)
            pending = _pending(in_path, records[skipped:])
            count, catalog = total - skipped, Path(catalog_path)
            if cluster is not None:
                from scholarflow.dask_batch import answer_on_dask

                results = answer_on_dask(pending, count, cluster, catalog, writer)
            else:
                results = _answer_all(pending, count, workers, catalog, writer)
            with closing(results):  # stops the pool at once if writing fails or is interrupted
                for done, (ok, line) in enumerate(results, skipped + 1):
                    _write_line(out, line, out_path)
                    outcomes[ok] += 1
                    if on_progress is not None:
                        on_progress(done, total)
    finally:
        if cluster is not None:
            cluster.close()  # also cancels the chunks still queued (an interrupted run)
    return BatchReport(
        total=total,
        skipped=skipped,
        answered=outcomes[True],
        failed=outcomes[False],
        seconds=time.perf_counter() - started,
    )


def _connect_dask(address: str) -> Any:
    from scholarflow.dask_batch import connect

    return connect(address)


def _check_writer(writer: str) -> None:
    """Fail once, up front, rather than once per record in every worker."""
    from scholarflow.writers import get_writer

    get_writer(writer)


def _answer_all(
    pending: Iterator[tuple[int, bytes]],
    count: int,
    workers: int,
    catalog_path: Path,
    writer: str,
) -> Iterator[Result]:
    """Results for `pending`, in its order; a pool only when there is work to share."""
    workers = min(workers, count)
    if workers <= 1:
        answerer = Answerer(catalog_path, writer)
        try:
            for number, raw in pending:
                yield answerer.line(number, raw)
        finally:
            answerer.close()
        return
    context = multiprocessing.get_context(_START_METHOD)
    if _START_METHOD == "forkserver":
        # Imported once in the server, then inherited by every worker it forks.
        context.set_forkserver_preload(list(_PRELOAD))
    chunksize = max(1, min(_MAX_CHUNKSIZE, count // (workers * 8)))
    with context.Pool(workers, initializer=_init_worker, initargs=(catalog_path, writer)) as pool:
        yield from pool.imap(_answer_in_worker, pending, chunksize=chunksize)
        pool.close()
        pool.join()


@contextmanager
def _open_output(out_path: Path) -> Iterator[IO[bytes]]:
    """OUT for appending, unbuffered and locked; created empty when it does not exist."""
    try:
        fd = os.open(out_path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    except OSError as error:
        raise InputError(f"{out_path}: cannot write: {error.strerror}") from None
    with open(fd, "a+b", buffering=0) as out:
        _lock(out, out_path)
        yield out


def _write_line(out: IO[bytes], line: bytes, out_path: Path) -> None:
    """One line with one system call (looping only if the kernel writes less), unbuffered,
    so a kill leaves at most one partial line, at the end, for the next run to drop."""
    view = memoryview(line)
    try:
        while view:
            written = out.write(view)
            view = view[written or 0 :]
    except OSError as error:  # a full disk: what is written so far stays resumable
        raise InputError(f"{out_path}: cannot write: {error.strerror}") from None


def _lock(out: IO[bytes], out_path: Path) -> None:
    """Refuse a second run appending to the same output: their lines would interleave."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; a second run is the user's lookout
        return
    try:
        fcntl.flock(out.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise InputError(f"{out_path}: another batch run is writing to it") from None


# --------------------------------------------------------------------------- the files


def _record_numbers(in_path: Path) -> list[int]:
    """The line numbers of IN's records (its non-blank lines), read as bytes a line at a
    time, so that a large input is never held in memory."""
    if not in_path.exists():
        raise InputError(f"{in_path}: no such file")
    if in_path.is_dir():
        raise InputError(f"{in_path}: is a directory, not a JSONL file")
    try:
        with in_path.open("rb") as stream:
            return [number for number, raw in enumerate(stream, 1) if _content(raw, number)]
    except OSError as error:
        raise InputError(f"{in_path}: cannot read: {error.strerror}") from None


def _content(raw: bytes, number: int) -> bytes:
    """A line without its end, BOM and surrounding whitespace; empty for a blank line.

    Binary reading splits on b"\\n" only; str.splitlines() would also split on U+2028, which
    JSON allows unescaped inside strings."""
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.strip()


def _pending(in_path: Path, numbers: Sequence[int]) -> Iterator[tuple[int, bytes]]:
    """(line number, content) of the records still to answer, `numbers` being IN's last
    records, read lazily from IN."""
    if not numbers:
        return
    with in_path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            content = _content(raw, number)
            if number >= numbers[0] and content:
                yield number, content


def _check_output_path(out_path: Path, in_path: Path) -> None:
    if out_path.is_dir():
        raise InputError(f"{out_path}: is a directory, not a JSONL file")
    directory = out_path.parent
    if not directory.is_dir():
        raise InputError(f"{out_path}: directory {directory} does not exist")
    if out_path.exists() and out_path.resolve() == in_path.resolve():
        raise InputError(f"{out_path}: is the input file; write the answers to another file")


def _resume_point(out_path: Path, in_path: Path, records: Sequence[int]) -> tuple[int, int]:
    """How many records OUT already answers, and the byte length of those result lines.

    OUT must hold the results of IN's first records, in order: what an interrupted run
    leaves. What a kill may leave at the end (a line without its newline, or a last line that
    is not valid JSON) is not counted, to be answered again. A line batch cannot have written
    is an error: resuming would truncate or append to someone else's file. Only the last
    line is parsed in full; the others are recognised by how every result line starts, so
    resuming a large output costs a read, not a parse.
    """
    count = keep = 0
    last = b""
    try:
        with out_path.open("rb") as stream:
            for index, line in enumerate(stream, 1):
                if not line.endswith(b"\n"):  # cut short by a kill: it must look like ours
                    if not _LINE_PREFIX.startswith(line[: len(_LINE_PREFIX)]):
                        raise _not_ours(out_path, index)
                    break
                match = _RESULT_START.match(line)
                if match is None:
                    raise _not_ours(out_path, index)
                _check_belongs(out_path, in_path, records, count, int(match.group(1)))
                count, keep, last = count + 1, keep + len(line), line
    except OSError as error:
        raise InputError(f"{out_path}: cannot read: {error.strerror}") from None
    if last and not _is_result(last):
        count, keep = count - 1, keep - len(last)
    return count, keep


def _check_belongs(
    out_path: Path, in_path: Path, records: Sequence[int], index: int, number: int
) -> None:
    """The `index`-th result of OUT must answer IN's `index`-th record."""
    if index < len(records) and records[index] == number:
        return
    expected = f"line {records[index]}" if index < len(records) else "no more records"
    raise InputError(
        f"{out_path}: result {index + 1} answers line {number}, but the next record of "
        f"{in_path} is {expected}; was it written for another input?"
    )


def _not_ours(out_path: Path, index: int) -> InputError:
    return InputError(
        f"{out_path}: line {index} is not a batch result; "
        "only a file that 'scholarflow batch' wrote can be resumed"
    )


def _is_result(line: bytes) -> bool:
    try:
        value = json.loads(line)
    except ValueError:
        return False
    return isinstance(value, dict) and "line" in value and "ok" in value


# --------------------------------------------------------------------------- workers

_ANSWERER: Answerer | None = None  # one per worker process, made by `_init_worker`


def _init_worker(catalog_path: Path, writer: str) -> None:
    global _ANSWERER
    _ANSWERER = Answerer(catalog_path, writer)


def _answer_in_worker(task: tuple[int, bytes]) -> Result:
    assert _ANSWERER is not None, "worker used before _init_worker"
    return _ANSWERER.line(*task)


class Answerer:
    """Turns one input record into one output line. Holds what is worth reusing between
    records of one process: the catalog store and its `Retriever` (dense index, embedder)."""

    def __init__(self, catalog_path: Path, writer: str = "template") -> None:
        self.catalog_path = Path(catalog_path)
        self.writer = writer
        self._store: SQLiteCatalogStore | None = None
        self._retriever: Retriever | None = None

    def line(self, number: int, raw: bytes) -> Result:
        """Whether the record on input line `number` was answered, and its output line.

        Workers send back the encoded line, not the dict: the parent only writes bytes."""
        result = self.result(number, raw)
        return result["ok"], encode_result(result)

    def result(self, number: int, raw: bytes) -> dict[str, Any]:
        record_id = None
        try:
            record = decode_record(raw)
            record_id = record.get("id")
            answer = self._answer(record)
        except ScholarflowError as error:
            return _failure(number, record_id, str(error), error.exit_code)
        except Exception as error:  # a bug must not cost the rest of the batch its answers
            message = f"internal error ({type(error).__name__}): {error}; please report it"
            return _failure(number, record_id, message, 1)
        return {"line": number, "id": record_id, "ok": True, "answer": answer}

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = self._retriever = None

    def _answer(self, record: dict[str, Any]) -> dict[str, Any]:
        from scholarflow.engine import answer
        from scholarflow.render.json_format import answer_to_dict

        kind = record_kind(record)
        if kind == "free":
            return self._ask(free_question(record))
        request = prompt_request(record) if kind == "prompt" else json_request(record)
        return answer_to_dict(answer(request, writer=self.writer))

    def _ask(self, question: str) -> dict[str, Any]:
        from scholarflow.engine import ask
        from scholarflow.render.json_format import render_ask_json
        from scholarflow.retrieval import CatalogCannotServe

        try:
            result, hits = ask(question, self.retriever(), writer=self.writer)
        except CatalogCannotServe as refusal:
            # Not a failure: `ask` says so and exits 0; the JSON says `"served": false`.
            return json.loads(render_ask_json(None, refusal.hits, str(refusal)))
        # Through the text, so the dict is exactly what `ask --format json` prints.
        return json.loads(render_ask_json(result, hits))

    def retriever(self) -> Retriever:
        if self._retriever is None:
            from scholarflow.catalog.store import SQLiteCatalogStore
            from scholarflow.retrieval import Retriever

            if self.catalog_path.is_dir():
                raise InputError(f"{self.catalog_path}: is a directory; the catalog is a file")
            self._store = SQLiteCatalogStore(self.catalog_path)
            self._retriever = Retriever(self._store)
        return self._retriever


def encode_result(result: dict[str, Any]) -> bytes:
    """One compact JSON line. JSON escapes every newline inside strings, so this is one line."""
    return json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _failure(number: int, record_id: Any, message: str, exit_code: int) -> dict[str, Any]:
    return {
        "line": number,
        "id": record_id,
        "ok": False,
        "error": " ".join(message.split()),
        "exit_code": exit_code,
    }


# --------------------------------------------------------------------------- records


def decode_record(raw: bytes) -> dict[str, Any]:
    """The JSON object on one input line. Raises `InputError` saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (undecodable byte at position {error.start})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object, found {_json_type(value)}")
    return value


def record_kind(record: dict[str, Any]) -> str:
    """ "prompt", "request" (a question with its sources) or "free" (a question alone)."""
    if "prompt" in record and ("question" in record or "recommended" in record):
        raise InputError('give either "prompt" or "question" with its sources, not both')
    if "prompt" in record:
        return "prompt"
    if "question" not in record:
        raise InputError('no "prompt" and no "question": each line needs one of them')
    return "request" if "recommended" in record or "related" in record else "free"


def prompt_request(record: dict[str, Any]) -> Request:
    from scholarflow.prompt_format import parse_prompt

    text = record["prompt"]
    if not isinstance(text, str):
        raise InputError(f'"prompt" must be a string, found {_json_type(text)}')
    if not text.strip():
        raise InputError('"prompt" is empty; expected a prompt in the seed format')
    return parse_prompt(text, where="prompt")


def json_request(record: dict[str, Any]) -> Request:
    """A `Request` from a JSON record: sources numbered s1… with the recommended ones first,
    as a parsed prompt numbers them, so that [1] is always the recommended model."""
    from scholarflow.models import MAX_SOURCES, Request

    question = _question(record)
    recommended = _source_list(record, "recommended", required=True)
    related = _source_list(record, "related", required=False)
    if len(recommended) + len(related) > MAX_SOURCES:
        raise InputError(
            f"the request lists {len(recommended) + len(related)} models and papers; at most "
            f"{MAX_SOURCES} are read from one request"
        )
    sources = [
        _source(value, f"{role}[{index}]", role, f"s{number}")
        for number, (role, index, value) in enumerate(
            [("recommended", i, v) for i, v in enumerate(recommended)]
            + [("related", i, v) for i, v in enumerate(related)],
            1,
        )
    ]
    return Request(
        question=question,
        recommended=tuple(sources[: len(recommended)]),
        related=tuple(sources[len(recommended) :]),
        origin="json",
    )


def free_question(record: dict[str, Any]) -> str:
    question = _question(record)
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
        )
    return question


def _question(record: dict[str, Any]) -> str:
    value = record.get("question")
    if not isinstance(value, str):
        raise InputError(f'"question" must be a string, found {_json_type(value)}')
    question = " ".join(value.split())
    if not question:
        raise InputError('"question" is empty')
    return question


def _source_list(record: dict[str, Any], key: str, *, required: bool) -> list[Any]:
    value = record.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise InputError(f'"{key}" must be a list of sources, found {_json_type(value)}')
    if required and not value:
        raise InputError(f'"{key}" is empty: a request needs at least one recommended model')
    return value


def _source(value: Any, where: str, role: SourceRole, source_id: str) -> Source:
    """One source object. Fields other than the documented ones are ignored, as the catalog's
    JSONL import ignores them, so catalog exports can be pasted in as sources."""
    from scholarflow.models import Provenance, Source
    from scholarflow.prompt_format import short_name
    from scholarflow.text import decode_tex_accents

    if not isinstance(value, dict):
        raise InputError(f'{where}: expected an object with a "title", found {_json_type(value)}')
    fields = {key: _text_field(value, key, where) for key in ("title", *_SOURCE_TEXT_FIELDS)}
    title = fields["title"]
    if title is None:
        raise InputError(f'{where}: no title: each source needs a non-empty "title"')
    title = decode_tex_accents(title)
    links = {key: _url_field(value, key, where) for key in _SOURCE_URL_FIELDS}
    return Source(
        id=source_id,
        name=fields["name"] or short_name(title),
        title=title,
        kind="model" if role == "recommended" else "paper",
        summary=decode_tex_accents(fields["summary"]) if fields["summary"] else None,
        role=role,
        provenance=Provenance(origin="json"),
        **links,
    )


def _text_field(value: dict[str, Any], key: str, where: str) -> str | None:
    raw = value.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InputError(f'{where}: "{key}" must be a string, found {_json_type(raw)}')
    return " ".join(raw.split()) or None


def _url_field(value: dict[str, Any], key: str, where: str) -> str | None:
    """A link as the catalog's JSONL import accepts it: no spaces, a dot, a scheme added;
    http or https only (`javascript:`, `data:`, `file:`… are bad input naming the field)."""
    from scholarflow.text import foreign_scheme

    text = _text_field(value, key, where)
    if text is None:
        return None
    scheme = foreign_scheme(text)
    if scheme is not None:
        raise InputError(
            f"{where}.{key}: a link must start with http:// or https://, not '{scheme}:'"
        )
    if " " in text or "." not in text:
        raise InputError(f'{where}: "{key}" is not a link: {text[:60]!r}')
    return text if _SCHEME.match(text) else f"https://{text}"


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


__all__ = ["Answerer", "BatchReport", "run_batch"]
