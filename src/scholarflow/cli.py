"""The command line. Thin on purpose: read input, call the engine, render, write.

Exit codes: 0 done; 2 bad input; 3 an answer that could not be grounded; 4 configuration or
backend error. Errors are one line on stderr, never a traceback, and nothing half-written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from scholarflow import __version__
from scholarflow.errors import InputError, ScholarflowError

if TYPE_CHECKING:
    from scholarflow.catalog.store import SQLiteCatalogStore
    from scholarflow.models import CatalogEntry
    from scholarflow.retrieval import Retriever
    from scholarflow.settings import Settings
    from scholarflow.writers import Writer

MAX_PROMPT_BYTES = 1024 * 1024
FORMATS = ("markdown", "json", "mermaid", "workflow")
WRITERS = ("template", "llm")

_DESCRIPTION = """\
scholarflow explains how an AI media result was made: the task you performed, how the
provided models work together as a workflow (input → model → output) and why the result
stays consistent, and the papers and tools behind it. It uses only the sources it is given.
"""

_ANSWER_EPILOG = """\
The prompt format is the one in examples/: a quoted question after "A user has asked the
following question:", a "### Recommended AI Models:" section and a "### Related Papers:"
section of Model/Paper/GitHub/Summary entries ("None" means absent).

exit codes: 0 done, 2 bad input, 3 answer could not be grounded, 4 configuration error

examples:
  scholarflow answer examples/video-depth.txt
  scholarflow answer prompt.txt --format json > answer.json
  cat prompt.txt | scholarflow answer - --format mermaid
"""


_ASK_EPILOG = """\
examples:
  scholarflow ask "How do apps turn a phone video into a depth video that doesn't flicker?"
  scholarflow ask "..." --format json     # adds "sources": the ranked catalog hits
  scholarflow prompt "..."                # the prompt built from the catalog
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="scholarflow",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"scholarflow {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    answer = commands.add_parser(
        "answer",
        help="answer a seed-format prompt from a file or stdin",
        description="Answer a seed-format prompt, using only the models and papers it lists.",
        epilog=_ANSWER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    answer.add_argument("file", metavar="FILE", help="the prompt file, or - to read stdin")
    answer.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="markdown",
        help="markdown (default): the three-part answer; json: the JSON contract "
        "(schema_version 1); mermaid: the workflow as a Mermaid flowchart; workflow: the "
        "workflow as a node-editor graph (docs/workflow-format.md)",
    )
    _writer_options(answer)
    answer.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH instead of stdout (written whole or not at all)",
    )

    ask = commands.add_parser(
        "ask",
        help="answer a plain question from the catalog",
        description="Find the recommended model and related papers for a question in the "
        "catalog, then answer it exactly as a prompt is answered. A question the catalog "
        'cannot serve is said to be so (exit 0; JSON: "served": false).',
        epilog=_ASK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ask.add_argument("question", metavar="QUESTION", help="the question, in quotes")
    ask.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="markdown",
        help='markdown (default), json (the answer contract plus ranked "sources"), mermaid',
    )
    _writer_options(ask)
    ask.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    _catalog_option(ask)

    prompt = commands.add_parser(
        "prompt",
        help="print the seed-format prompt built from the catalog",
        description="Build the seed-format prompt for a question from the catalog, ready to "
        "hand to any language model or to 'scholarflow answer'.",
    )
    prompt.add_argument("question", metavar="QUESTION", help="the question, in quotes")
    prompt.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    _catalog_option(prompt)

    catalog = commands.add_parser(
        "catalog",
        help="list, show, search, add, import, reindex, export or remove catalog entries",
        description="Manage the catalog of models and papers that 'ask' and 'prompt' draw on. "
        "It starts with built-in entries for the models and papers of the seed requests.",
    )
    actions = catalog.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    listing = actions.add_parser("list", help="every entry, one line each")
    _catalog_option(listing)
    listing.add_argument("-f", "--format", choices=("table", "json"), default="table")
    show = actions.add_parser("show", help="one entry, whole")
    show.add_argument("entry_id", metavar="ID")
    show.add_argument("-f", "--format", choices=("table", "json"), default="table")
    _catalog_option(show)
    search = actions.add_parser("search", help="hybrid search (full text + embeddings)")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("-n", "--limit", type=int, default=10, help="how many hits (10)")
    search.add_argument("-f", "--format", choices=("table", "json"), default="table")
    _catalog_option(search)
    add = actions.add_parser("add", help="add or update one entry")
    add.add_argument("--title", required=True, help="the paper's or model's full title")
    add.add_argument("--name", help="short name (default: the part of the title before ':')")
    add.add_argument("--paper", metavar="URL", help="paper link (arXiv abs or pdf…)")
    add.add_argument("--github", metavar="URL", help="code repository link")
    add.add_argument("--project", metavar="URL", help="project page link")
    add.add_argument("--summary", help="abstract or description")
    add.add_argument("--tags", help="comma-separated tags")
    add.add_argument("--tasks", help="comma-separated task ids (default: inferred)")
    add.add_argument("--kind", choices=("model", "paper"), default="paper")
    _catalog_option(add)
    importing = actions.add_parser(
        "import",
        help="import JSONL, BibTeX, awesome-list Markdown or seed prompts",
        description="Import entries in one transaction: a bad line aborts the import, naming "
        "the line, and leaves the catalog as it was, unless --skip-bad is given. Re-importing "
        "the same file changes nothing (entries are keyed by arXiv id, else normalised title; "
        "a paper the file repeats counts once). Built-in entries keep what they say; an import "
        "may only add links they lack. New and changed entries are embedded before the command "
        "returns, so the catalog is ready to ask. A file with no entries is an error (exit 2).",
    )
    importing.add_argument("file", metavar="FILE")
    importing.add_argument(
        "-f",
        "--format",
        choices=("jsonl", "bibtex", "awesome-md", "prompt"),
        help="default: from the file extension (.jsonl .bib .md .txt)",
    )
    importing.add_argument(
        "--skip-bad", action="store_true", help="import the good lines, report each bad one"
    )
    _catalog_option(importing)
    reindex = actions.add_parser(
        "reindex",
        help="embed what is stale (--all: every entry) and rebuild the full-text index",
        description="Compute the embeddings of entries whose text changed or that have none "
        "(with --all, of every entry), and rebuild the full-text index. Import does this for "
        "what it stores; reindex is for a catalog copied in, or after an interrupted import.",
    )
    reindex.add_argument("--all", action="store_true", help="recompute every embedding")
    _catalog_option(reindex)
    export = actions.add_parser("export", help="every entry as JSONL (re-importable)")
    export.add_argument("-f", "--format", choices=("jsonl",), default="jsonl")
    export.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    _catalog_option(export)
    batch = commands.add_parser(
        "batch",
        help="answer a JSONL of prompts or questions into a JSONL of answers",
        description="Answer every line of IN.jsonl into OUT.jsonl, in order, using all cores. "
        'Each line is {"prompt": "<seed-format prompt>"}, {"question": "..."} (answered from '
        'the catalog) or {"question": ..., "recommended": [...], "related": [...]}; an "id" '
        'is copied to the output. Each output line is {"line", "id", "ok": true, "answer"} or '
        '{"line", "id", "ok": false, "error", "exit_code"}. Resumable: run the same command '
        "again after an interruption and it skips the lines already written.",
    )
    batch.add_argument("input", metavar="IN.jsonl")
    batch.add_argument("output", metavar="OUT.jsonl")
    batch.add_argument(
        "-w",
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help=f"worker processes (default: the number of cores, {os.cpu_count() or 1})",
    )
    batch.add_argument(
        "--writer",
        choices=("template",),
        default="template",
        help="template only for now: an LLM writer per worker is future work",
    )
    _catalog_option(batch)

    config = commands.add_parser(
        "config",
        help="show every setting, its value and where it came from",
        description="Settings come from command-line flags, then SCHOLARFLOW_* environment "
        "variables, then the config file ($SCHOLARFLOW_HOME/config.toml or "
        "$SCHOLARFLOW_CONFIG), then defaults. There is no default LLM server: --writer llm "
        "needs SCHOLARFLOW_LLM_BASE_URL and SCHOLARFLOW_LLM_MODEL (or the flags).",
    )
    config.add_argument("--config", metavar="PATH", help="a config file other than the default")
    config.add_argument("-f", "--format", choices=("table", "json"), default="table")

    logs = commands.add_parser(
        "logs",
        help="what was sent to the LLM, what came back, what the guard did",
        description="Every LLM writer call is recorded in $SCHOLARFLOW_HOME/logs.db unless "
        "SCHOLARFLOW_LOG_LLM=false. Newest first.",
    )
    logs.add_argument("-n", "--limit", type=int, default=20, help="how many calls (20)")
    logs.add_argument("--json", action="store_true", help="full records as JSON")

    server = commands.add_parser(
        "serve",
        help="the web page, a REST API and an OpenAI-compatible endpoint",
        description="Serve the web page at /, the REST API (/api/answer, /api/ask, "
        "/api/catalog/search), an OpenAI-compatible /v1/chat/completions (model "
        "'scholarflow') and the OpenAPI docs at /docs. With --token (or "
        "SCHOLARFLOW_SERVER_TOKEN) every route but /health needs 'Authorization: Bearer …'.",
    )
    server.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    server.add_argument("--port", type=int, default=8321, help="port (8321)")
    server.add_argument("--token", help="require this bearer token on every route but /health")
    _catalog_option(server)

    mcp = commands.add_parser(
        "mcp",
        help="run the MCP server over stdio, for AI assistants that call tools",
        description="An MCP server on stdin/stdout with the tools answer_prompt, ask, "
        "recommend_models, compose_workflow and search_catalog, each with a JSON schema and "
        "a structured result. Add it to an assistant as the command 'scholarflow mcp'.",
    )
    _catalog_option(mcp)

    evaluate = commands.add_parser(
        "eval",
        help="quality and speed figures on a labelled set of cases",
        description="Run every labelled case (the built-in set, or the *.toml cases in "
        "CASES_DIR) and print the metrics: grounding, task and modality accuracy, workflow "
        "node and edge F1, mismatch precision and recall, retrieval recall@3 and MRR, "
        "citation support, latency. The case format and each metric are defined in "
        "docs/evaluation.md.",
    )
    evaluate.add_argument("cases", metavar="CASES_DIR", nargs="?", help="default: built-in set")
    _writer_options(evaluate, stream=False)
    evaluate.add_argument("--json", metavar="PATH", help="also write the full report as JSON")
    evaluate.add_argument("--markdown", metavar="PATH", help="also write the table as Markdown")
    _catalog_option(evaluate, default_note="a fresh catalog of the built-in entries")

    remove = actions.add_parser("remove", help="remove an entry (built-in ones stay removed)")
    remove.add_argument("entry_id", metavar="ID")
    _catalog_option(remove)
    return parser


def _writer_options(parser: argparse.ArgumentParser, *, stream: bool = True) -> None:
    parser.add_argument(
        "--writer",
        choices=WRITERS,
        default="template",
        help="who words the answer: template (default, offline and deterministic) or llm "
        "(any OpenAI-compatible server; see 'scholarflow config')",
    )
    parser.add_argument(
        "--llm-base-url",
        metavar="URL",
        help="the server, e.g. http://localhost:11434/v1 (SCHOLARFLOW_LLM_BASE_URL)",
    )
    parser.add_argument("--llm-model", metavar="NAME", help="the model (SCHOLARFLOW_LLM_MODEL)")
    if stream:
        parser.add_argument(
            "--stream",
            action="store_true",
            help="with --writer llm: show the model's text on stderr as it arrives; stdout "
            "gets the guarded answer, which may drop sentences or links the model wrote",
        )


def _settings(args: argparse.Namespace) -> Settings:
    from scholarflow.settings import load_settings

    overrides = {
        "llm_base_url": getattr(args, "llm_base_url", None),
        "llm_model": getattr(args, "llm_model", None),
    }
    config = getattr(args, "config", None)
    return load_settings(overrides, config_path=Path(config) if config else None)


def _writer(args: argparse.Namespace) -> Writer | str:
    """The writer named by --writer; the LLM writer built from the settings (exit 4 if unset)."""
    if args.writer != "llm":
        return args.writer
    from scholarflow.writers.llm import LLMWriter

    def show(piece: str) -> None:
        sys.stderr.write(piece)
        sys.stderr.flush()

    streaming = bool(getattr(args, "stream", False))
    return LLMWriter.from_settings(
        _settings(args), stream=streaming, on_delta=show if streaming else None
    )


def _catalog_option(parser: argparse.ArgumentParser, default_note: str = "") -> None:
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        help="the catalog database (default: "
        + (
            default_note
            or "$SCHOLARFLOW_HOME/catalog.db, SCHOLARFLOW_HOME defaulting to the "
            "user data directory"
        )
        + ")",
    )


def read_prompt(name: str) -> tuple[str, str]:
    """The prompt text and a name for it in messages. Raises InputError on unreadable input."""
    if name == "-":
        data = sys.stdin.buffer.read(MAX_PROMPT_BYTES + 1)
        where = "<stdin>"
    else:
        path = Path(name)
        where = name
        if not path.exists():
            raise InputError(f"{where}: no such file")
        if path.is_dir():
            raise InputError(f"{where}: is a directory, not a prompt file")
        size = path.stat().st_size
        if size > MAX_PROMPT_BYTES:
            raise InputError(
                f"{where}: file is {size / 1_000_000:.1f} MB; a prompt may be at most "
                f"{MAX_PROMPT_BYTES // 1024} KB"
            )
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"{where}: cannot read: {error.strerror}") from None
    if len(data) > MAX_PROMPT_BYTES:
        raise InputError(f"{where}: input exceeds {MAX_PROMPT_BYTES // 1024} KB")
    if not data.strip():
        raise InputError(f"{where}: is empty; expected a prompt in the seed format")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{where}: is not a text file (binary data at byte {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{where}: is not UTF-8 text (undecodable byte at position {error.start})"
        ) from None
    return text, where


def write_output(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(output)
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in place: renaming a
        # file over it would replace the device itself.
        if target.is_dir():
            raise InputError(f"{output}: is a directory")
        with target.open("w", encoding="utf-8") as stream:
            stream.write(text)
        return
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{output}: directory {directory} does not exist")
    # Write beside the target, then rename: a reader never sees half an answer.
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _run_answer(args: argparse.Namespace) -> int:
    from scholarflow.engine import answer
    from scholarflow.prompt_format import parse_prompt
    from scholarflow.render import render

    text, where = read_prompt(args.file)
    request = parse_prompt(text, where=where)
    result = answer(request, writer=_writer(args))
    if getattr(args, "stream", False):
        sys.stderr.write("\n")
    write_output(render(result, args.format), args.output)
    return 0


def _open_store(args: argparse.Namespace) -> SQLiteCatalogStore:
    from scholarflow.catalog.store import SQLiteCatalogStore, default_catalog_path

    path = Path(args.catalog) if args.catalog else default_catalog_path()
    if path.is_dir():
        raise InputError(f"{path}: is a directory; --catalog takes a database file")
    return SQLiteCatalogStore(path)


def _retriever(store: SQLiteCatalogStore) -> Retriever:
    from scholarflow.progress import Progress
    from scholarflow.retrieval import Retriever

    retriever = Retriever(store)
    # `catalog import` embeds what it stores, so this is a read of the stored hashes; it
    # computes only what an older import, a `catalog add` or a killed import left behind.
    with Progress(None, "embedding") as bar:
        retriever.ensure_embeddings(on_progress=bar.report)
    return retriever


def _question(text: str) -> str:
    question = " ".join(text.split())
    if not question:
        raise InputError("the question is empty")
    if len(question) > 4000:
        raise InputError(f"the question is {len(question)} characters; the limit is 4000")
    return question


def _run_ask(args: argparse.Namespace) -> int:
    from scholarflow.engine import ask
    from scholarflow.render import render
    from scholarflow.render.json_format import render_ask_json
    from scholarflow.retrieval import CatalogCannotServe

    question = _question(args.question)
    with _open_store(args) as store:
        try:
            result, hits = ask(question, _retriever(store), writer=_writer(args))
        except CatalogCannotServe as refusal:
            if args.format == "json":
                text = render_ask_json(None, refusal.hits, str(refusal))
            else:
                text = f"The catalog cannot answer this: {refusal}.\n"
            write_output(text, args.output)
            return 0
    text = render_ask_json(result, hits) if args.format == "json" else render(result, args.format)
    write_output(text, args.output)
    return 0


def _run_prompt(args: argparse.Namespace) -> int:
    from scholarflow.prompt_format import render_prompt
    from scholarflow.retrieval import CatalogCannotServe, build_request

    question = _question(args.question)
    with _open_store(args) as store:
        hits = _retriever(store).search(question)
        try:
            request = build_request(question, hits)
        except CatalogCannotServe as refusal:
            raise InputError(str(refusal)) from None
    write_output(render_prompt(request), args.output)
    return 0


def _entry_line(entry: CatalogEntry) -> str:
    links = " ".join(u for u in (entry.paper_url, entry.github_url) if u)
    tasks = ",".join(entry.tasks) or "-"
    return f"{entry.id:<32} {entry.kind:<5} {tasks:<34} {entry.name}  {links}".rstrip()


def _entry_json(entry: CatalogEntry) -> dict[str, object]:
    data = entry.model_dump(mode="json")
    data["provenance"] = {"origin": entry.provenance.origin, "line": entry.provenance.line}
    return data


def _run_catalog(args: argparse.Namespace) -> int:
    import json

    from scholarflow.catalog import importers

    with _open_store(args) as store:
        if args.action == "list":
            entries = list(store.entries())
            if args.format == "json":
                write_output(json.dumps([_entry_json(e) for e in entries], indent=2) + "\n", None)
            else:
                write_output("".join(_entry_line(e) + "\n" for e in entries), None)
            return 0
        if args.action == "show":
            entry = store.get(args.entry_id)
            if entry is None:
                raise InputError(f"no catalog entry with id {args.entry_id!r} (see 'catalog list')")
            data = _entry_json(entry)
            if args.format == "json":
                write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", None)
            else:
                lines = [
                    f"{key:<13} {value}"
                    for key, value in data.items()
                    if value not in (None, [], "")
                ]
                write_output("\n".join(lines) + "\n", None)
            return 0
        if args.action == "search":
            hits = _retriever(store).search(_question(args.text), limit=max(1, args.limit))
            if args.format == "json":
                from scholarflow.render.json_format import hits_to_list

                ids = {hit.entry.id for hit in hits}
                write_output(json.dumps(hits_to_list(hits, ids), indent=2) + "\n", None)
            else:
                rows = [
                    f"{rank:>2}. {hit.score:.4f}  {hit.entry.id:<32} {hit.entry.name}"
                    for rank, hit in enumerate(hits, 1)
                ]
                write_output("\n".join(rows) + ("\n" if rows else "no matches\n"), None)
            return 0
        if args.action == "add":
            fields: dict[str, object] = {"title": args.title, "kind": args.kind}
            for key, value in (
                ("name", args.name),
                ("paper_url", args.paper),
                ("github_url", args.github),
                ("project_url", args.project),
                ("summary", args.summary),
            ):
                if value:
                    fields[key] = value
            for key, value in (("tags", args.tags), ("tasks", args.tasks)):
                if value:
                    fields[key] = [part.strip() for part in value.split(",") if part.strip()]
            entry = importers.entry_from_fields(fields, origin="catalog add")
            report = store.upsert_many([entry])
            verb = "added" if report.added else "updated" if report.updated else "unchanged"
            sys.stdout.write(f"{verb}: {report.ids[0]}\n")
            return 0
        if args.action == "import":
            return _run_import(args, store)
        if args.action == "reindex":
            return _run_reindex(args, store)
        if args.action == "export":
            lines = [
                json.dumps(importers.entry_to_fields(e), ensure_ascii=False)
                for e in store.entries()
            ]
            write_output("".join(line + "\n" for line in lines), args.output)
            return 0
        if args.action == "remove":
            if not store.remove(args.entry_id):
                raise InputError(f"no catalog entry with id {args.entry_id!r} (see 'catalog list')")
            sys.stdout.write(f"removed: {args.entry_id}\n")
            return 0
    raise AssertionError(f"unhandled catalog action {args.action}")


def _run_import(args: argparse.Namespace, store: SQLiteCatalogStore) -> int:
    """Read, store and embed in one go: the catalog is ready to ask when this returns."""
    from scholarflow.catalog import importers
    from scholarflow.embeddings import model_path
    from scholarflow.progress import Progress

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"{args.file}: no such file")
    with Progress(None, "reading") as bar:
        found = importers.read_catalog_file(
            path, args.format, skip_bad=args.skip_bad, on_progress=bar.report
        )
    for problem in found.skipped:
        sys.stderr.write(f"skipped: {problem}\n")
    model_path()  # no model, no import: fail (exit 4) before anything is written
    with Progress(len(found.entries), "importing") as bar:
        report = store.upsert_many(found.entries, on_progress=bar.report, keep_builtins=True)
    embedded = _embed_stale(store)
    repeats = (
        f" ({found.duplicates} repeated in the file, counted once)" if found.duplicates else ""
    )
    sys.stdout.write(
        f"{path}: {report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(found.skipped)} skipped{repeats}; {embedded} embedded\n"
    )
    return 0


def _embed_stale(store: SQLiteCatalogStore, *, everything: bool = False) -> int:
    """Compute the vectors the catalog lacks (all of them with `everything`), with a bar."""
    from scholarflow.catalog.vectors import compute_vectors, stale_vectors
    from scholarflow.embeddings import get_embedder
    from scholarflow.progress import Progress

    pending = stale_vectors(store, everything=everything)
    if not pending:
        return 0  # nothing changed: the model is not even loaded
    with Progress(len(pending), "embedding") as bar:
        return compute_vectors(store, get_embedder(), pending, on_progress=bar.report)


def _run_reindex(args: argparse.Namespace, store: SQLiteCatalogStore) -> int:
    store.rebuild_text_index()
    embedded = _embed_stale(store, everything=args.all)
    sys.stdout.write(
        f"{store.path}: {store.count()} entries; {embedded} embedded"
        + (" (all)" if args.all else " (stale only)")
        + "; full-text index rebuilt\n"
    )
    return 0


def _run_batch(args: argparse.Namespace) -> int:
    from scholarflow.batch import run_batch
    from scholarflow.catalog.store import default_catalog_path
    from scholarflow.progress import Progress

    if args.workers < 1:
        raise InputError(f"--workers must be at least 1, not {args.workers}")
    catalog = Path(args.catalog) if args.catalog else default_catalog_path()
    with Progress(None, "answering") as bar:
        report = run_batch(
            Path(args.input),
            Path(args.output),
            workers=args.workers,
            catalog_path=catalog,
            writer=args.writer,
            on_progress=bar.report,
        )
    sys.stderr.write(
        f"{args.output}: {report.answered} answered, {report.failed} failed, "
        f"{report.skipped} already done, in {report.seconds:.1f} s\n"
    )
    return 0


def _run_config(args: argparse.Namespace) -> int:
    import json

    from scholarflow.settings import config_file_path, describe

    settings = _settings(args)
    rows = describe(settings)
    if args.format == "json":
        data = {row.name: {"value": row.value_shown, "origin": row.origin} for row in rows}
        write_output(json.dumps(data, indent=2) + "\n", None)
        return 0
    width = max(len(row.name) for row in rows)
    lines = [f"{row.name:<{width}}  {row.value_shown}  ({row.origin})" for row in rows]
    path = Path(args.config) if args.config else config_file_path(settings.home)
    lines.append(f"\nconfig file: {path}" + ("" if path.exists() else " (none)"))
    write_output("\n".join(lines) + "\n", None)
    return 0


def _run_logs(args: argparse.Namespace) -> int:
    from scholarflow.llm_log import LLMLog, render_logs_json, render_logs_text
    from scholarflow.settings import log_path

    path = log_path(_settings(args))
    if not path.exists():
        write_output("[]\n" if args.json else "no LLM calls logged yet\n", None)
        return 0
    with LLMLog(path) as log:
        calls = log.recent(max(1, args.limit))
    write_output(render_logs_json(calls) if args.json else render_logs_text(calls), None)
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from scholarflow.server.app import serve

    serve(
        args.host,
        args.port,
        catalog_path=Path(args.catalog) if args.catalog else None,
        token=args.token,
    )
    return 0


def _run_mcp(args: argparse.Namespace) -> int:
    from scholarflow.mcp_server import run_stdio

    run_stdio(catalog_path=Path(args.catalog) if args.catalog else None)
    return 0


def _run_eval(args: argparse.Namespace) -> int:
    import tempfile

    from scholarflow.catalog.store import SQLiteCatalogStore
    from scholarflow.evaluation import harness
    from scholarflow.evaluation.cases import load_cases
    from scholarflow.progress import Progress

    cases = load_cases(Path(args.cases) if args.cases else None)
    with tempfile.TemporaryDirectory() as scratch:
        # A fresh catalog of the built-in entries unless one is named: figures that do not
        # depend on what a user happened to import.
        path = Path(args.catalog) if args.catalog else Path(scratch) / "catalog.db"
        with SQLiteCatalogStore(path) as store:
            retriever = _retriever(store) if any(c.question for c in cases) else None
            writer = _writer(args)
            results = []
            with Progress(len(cases), "evaluating") as bar:
                for case in cases:
                    results.append(harness.run_case(case, retriever, writer))
                    bar.advance()
    report = harness.summarize(cases, results)
    sys.stdout.write(f"{len(cases)} cases\n\n" + harness.table(report))
    if args.json:
        write_output(harness.report_json(report, results), args.json)
    if args.markdown:
        write_output(harness.markdown_table(report), args.markdown)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    commands = {
        "answer": _run_answer,
        "ask": _run_ask,
        "prompt": _run_prompt,
        "catalog": _run_catalog,
        "eval": _run_eval,
        "batch": _run_batch,
        "config": _run_config,
        "logs": _run_logs,
        "mcp": _run_mcp,
        "serve": _run_serve,
    }
    try:
        return commands[args.command](args)
    except ScholarflowError as error:
        sys.stderr.write(f"scholarflow: error: {error}\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("scholarflow: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`); that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
