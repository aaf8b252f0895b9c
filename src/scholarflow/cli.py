"""The command line. Thin on purpose: read input, call the engine, render, write.

Exit codes: 0 done; 2 bad input; 3 an answer that could not be grounded; 4 configuration or
backend error; 1 from `batch` when it wrote every result but some records failed. Errors are
one line on stderr, never a traceback, and nothing half-written.
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from scholarflow import __version__
from scholarflow.errors import InputError, ScholarflowError

if TYPE_CHECKING:
    from scholarflow.catalog.store import CatalogStore
    from scholarflow.models import Answer, CatalogEntry
    from scholarflow.retrieval import Retriever
    from scholarflow.settings import Settings
    from scholarflow.writers import Writer

MAX_PROMPT_BYTES = 1024 * 1024
# As render.FORMATS (kept here so that --help imports no renderer), plus "workflow", the old
# name of "graph", still accepted.
FORMATS = ("markdown", "json", "mermaid", "graph", "comfyui", "workflow")
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
  scholarflow answer prompt.txt --format comfyui -o workflow.json   # open it in ComfyUI
"""


_ASK_EPILOG = """\
Every question is a turn of a conversation kept in $SCHOLARFLOW_HOME/logs.db: without -c or
--cid it starts a new one. A follow-up is read with the questions before it: what it names
(a video instead of a photo, a dynamic scene, a focus such as speed) overrides, what it
leaves unsaid is inherited; a question that names its own task stands on its own.

exit codes: 0 done (also when the catalog cannot serve the question), 2 bad input (an empty
question, -c with no conversation yet, an unknown --cid), 3 answer could not be grounded, 4
configuration error

examples:
  scholarflow ask "How do apps turn a phone video into a depth video that doesn't flicker?"
  scholarflow ask -c "and for a single photo?"         # continues the latest conversation
  scholarflow ask --cid 3f9a0c1d "and in real time?"   # continues that one
  scholarflow logs --conversations                     # the conversations and their ids
  scholarflow ask "..." --format json                  # adds "sources" and "conversation_id"
  scholarflow ask - < question.txt                     # the question from stdin
  scholarflow prompt "..."                             # the prompt built from the catalog
"""

_NO_CATALOG_NOTE = (
    "A --catalog PATH that does not exist is an error (exit 2), never a new empty catalog; "
    "the default catalog is created with the built-in entries on first use. A "
    "postgresql://user@host/db URL names a catalog on a server that many scholarflow "
    "servers can share (the database must exist; its tables are created on first use)."
)

_LIST_EPILOG = """\
Columns fit the terminal: long names and titles are cut with "…" (never the id). When the
output is piped nothing is cut, unless COLUMNS is set.

examples:
  scholarflow catalog list
  scholarflow catalog list -n 5
  scholarflow catalog list --format json > entries.json
"""

_SHOW_EPILOG = """\
An id that is not in the catalog gets the ids it may have meant (same start, close spelling).

examples:
  scholarflow catalog show depthcrafter
  scholarflow catalog show depthcrafter --format json
"""

_SEARCH_EPILOG = """\
columns:
  SCORE       the fused ranking score (full text and embeddings by reciprocal rank, plus the
              task bonus) scaled so that the best hit of this search is 100: it orders the
              hits, it does not say whether the best one is any good
  SIMILARITY  how close the entry is in meaning to TEXT: the cosine similarity of their
              embeddings as a percentage ("-" when the embedding search did not rank it).
              'ask' answers only from an entry at 30 % or more (20 % when full-text search
              also ranks it first)

examples:
  scholarflow catalog search "depth for every frame of a video"
  scholarflow catalog search "4d from one photo" -n 3 --format json
"""

_ADD_EPILOG = """\
An entry with the arXiv id or the title of an existing one updates it (a built-in one is then
overridden by yours). Task ids are those 'scholarflow tasks' lists.

example:
  scholarflow catalog add --title "FlowDepth: Stable Video Depth from Optical Flow" \\
      --paper https://arxiv.org/abs/2501.00001 --github https://github.com/example/flowdepth \\
      --tags depth,video --tasks video_depth_estimation --kind model
"""

_IMPORT_EPILOG = """\
examples:
  scholarflow catalog import papers.jsonl
  scholarflow catalog import awesome-video-depth.md --skip-bad
  scholarflow catalog import refs.bib --catalog team.db
"""

_EXPORT_EPILOG = """\
examples:
  scholarflow catalog export -o catalog.jsonl
  scholarflow catalog export --catalog team.db > team.jsonl
"""

_REINDEX_EPILOG = """\
examples:
  scholarflow catalog reindex                 # what changed since it was last embedded
  scholarflow catalog reindex --all --catalog team.db
"""

_COPY_EPILOG = """\
examples:
  scholarflow catalog copy catalog.db postgresql://scholarflow@db.internal/catalog
  scholarflow catalog copy postgresql://scholarflow@db.internal/catalog laptop.db
"""

_REMOVE_EPILOG = """\
A removed built-in entry stays removed (a new version of scholarflow does not bring it back)
until 'scholarflow catalog restore ID'.

example:
  scholarflow catalog remove toon3d
"""

_RESTORE_EPILOG = """\
Only built-in entries can be restored; an entry of your own that you removed can be added or
imported again. If an entry of yours holds the same paper, it keeps overriding the built-in
one: remove it first.

example:
  scholarflow catalog restore toon3d
"""

_BATCH_EPILOG = """\
exit codes: 0 every record of this run answered; 1 the run wrote every result, but some
records of this run failed (the summary line on stderr counts them; each one's error and exit
code is in OUT.jsonl); 2 bad input (an unusable IN or OUT file, a malformed --dask address,
nothing answered); 4 configuration error (with --dask: a scheduler that cannot be reached or
has no workers, nothing answered; or a cluster that lost records for good, the results before
them kept: run again to resume).

examples:
  scholarflow batch questions.jsonl answers.jsonl --workers 2
  scholarflow batch questions.jsonl answers.jsonl --dask tcp://scheduler:8786
"""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Fills a one-paragraph description to the terminal; keeps the line breaks of text laid
    out by hand (epilogs with examples and column notes). Overriding `_fill_text` is how
    argparse's own Raw* formatters differ from the default one."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text.strip():
            return super()._fill_text(text, width, indent)
        return argparse.HelpFormatter._fill_text(self, text, width, indent)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="scholarflow",
        description=_DESCRIPTION,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"scholarflow {__version__}")
    # Also accepted before the command (`scholarflow --catalog URL catalog import …`); a
    # --catalog after the command wins. Its own dest: a subcommand's default would erase it.
    parser.add_argument("--catalog", dest="global_catalog", metavar="PATH|URL", help=_CATALOG_HELP)
    # Not required: a bare `scholarflow` (or `scholarflow catalog`) prints its help; see main.
    parser.set_defaults(help_parser=parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    answer = commands.add_parser(
        "answer",
        help="answer a seed-format prompt from a file or stdin",
        description="Answer a seed-format prompt, using only the models and papers it lists.",
        epilog=_ANSWER_EPILOG,
        formatter_class=_HelpFormatter,
    )
    answer.add_argument("file", metavar="FILE", help="the prompt file, or - to read stdin")
    answer.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="markdown",
        help="markdown (default): the three-part answer; json: the JSON contract "
        "(schema_version 1); mermaid: the workflow as a Mermaid flowchart; comfyui: the "
        "workflow as a file ComfyUI opens, with placeholders for the steps no installed node "
        "does; graph: the workflow as scholarflow's typed graph, for other tools (workflow is "
        "its old name); both in docs/workflow-format.md",
    )
    _writer_options(answer)
    _color_option(answer)
    _output_option(answer, help=_OUTPUT_WHOLE_HELP)

    ask = commands.add_parser(
        "ask",
        help="answer a plain question from the catalog",
        description="Find the recommended model and related papers for a question in the "
        "catalog, then answer it exactly as a prompt is answered. A question the catalog "
        'cannot serve is said to be so (exit 0; JSON: "served": false).',
        epilog=_ASK_EPILOG,
        formatter_class=_HelpFormatter,
    )
    ask.add_argument(
        "question", metavar="QUESTION", help="the question, in quotes, or - to read it from stdin"
    )
    ask.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="markdown",
        help='markdown (default), json (the answer contract plus ranked "sources"), mermaid, '
        "comfyui, graph: as for 'answer'",
    )
    _writer_options(ask)
    _color_option(ask)
    _output_option(ask)
    _catalog_option(ask, must_exist=True)
    following = ask.add_mutually_exclusive_group()
    following.add_argument(
        "-c",
        "--continue",
        dest="continue_latest",
        action="store_true",
        help="a follow-up to the latest conversation (as 'llm -c' does)",
    )
    following.add_argument(
        "--cid",
        "--conversation",
        dest="conversation",
        metavar="ID",
        help="a follow-up to the conversation ID ('scholarflow logs --conversations' lists them)",
    )

    prompt = commands.add_parser(
        "prompt",
        help="print the seed-format prompt built from the catalog",
        description="Build the seed-format prompt for a question from the catalog, ready to "
        "hand to any language model or to 'scholarflow answer'.",
    )
    prompt.add_argument(
        "question", metavar="QUESTION", help="the question, in quotes, or - to read it from stdin"
    )
    _output_option(prompt)
    _catalog_option(prompt, must_exist=True)

    catalog = commands.add_parser(
        "catalog",
        help="list, show, search, add, import, reindex, export, remove, restore or copy "
        "catalog entries",
        description="Manage the catalog of models and papers that 'ask' and 'prompt' draw on. "
        "It starts with built-in entries for the models and papers of the seed requests. "
        + _NO_CATALOG_NOTE,
        epilog="Run 'scholarflow catalog ACTION --help' for each action's options.",
    )
    catalog.set_defaults(help_parser=catalog)
    actions = catalog.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    listing = _action(
        actions,
        "list",
        summary="every entry, one row each",
        description="List the entries in the order they entered the catalog (built-ins first) "
        "as an aligned table of id, kind, name and title.",
        epilog=_LIST_EPILOG,
    )
    listing.add_argument(
        "-n", "--limit", type=int, metavar="N", help="show the first N entries (default: all)"
    )
    _table_or_json_option(listing, "table (default) or json (every field of every entry)")
    _catalog_option(listing, must_exist=True)
    show = _action(
        actions,
        "show",
        summary="one entry, whole",
        description="Show every field of one entry: names, kind, tasks, what it takes and "
        "makes (signatures), tags, links one per line, where it came from, and its summary.",
        epilog=_SHOW_EPILOG,
    )
    show.add_argument("entry_id", metavar="ID", help="the entry's id, as 'catalog list' shows it")
    _table_or_json_option(
        show, "table (default): labelled fields; json: the entry's fields as JSON"
    )
    _catalog_option(show, must_exist=True)
    search = _action(
        actions,
        "search",
        summary="hybrid search (full text + embeddings)",
        description="Rank the entries for TEXT the way 'ask' does: SQLite full-text search "
        "(BM25) and embedding similarity fused by reciprocal rank, with a bonus for entries "
        "that serve the task TEXT describes.",
        epilog=_SEARCH_EPILOG,
    )
    search.add_argument("text", metavar="TEXT", help="what to look for, in quotes")
    search.add_argument("-n", "--limit", type=int, default=10, help="how many hits (10)")
    _table_or_json_option(
        search, "table (default) or json (raw scores, ranks of each search, cosine similarity)"
    )
    _catalog_option(search, must_exist=True)
    add = _action(
        actions,
        "add",
        summary="add or update one entry",
        description="Add one model or paper to the catalog, or update the entry for the same "
        "paper. Only --title is required.",
        epilog=_ADD_EPILOG,
    )
    add.add_argument("--title", required=True, help="the paper's or model's full title")
    add.add_argument("--name", help="short name (default: the part of the title before ':')")
    add.add_argument("--paper", metavar="URL", help="paper link (arXiv abs or pdf…)")
    add.add_argument("--github", metavar="URL", help="code repository link")
    add.add_argument("--project", metavar="URL", help="project page link")
    add.add_argument("--summary", help="abstract or description")
    add.add_argument("--tags", help="comma-separated tags")
    add.add_argument(
        "--tasks",
        help="comma-separated task ids, as 'scholarflow tasks' lists them (default: inferred "
        "from the title and summary)",
    )
    add.add_argument("--kind", choices=("model", "paper"), default="paper")
    _catalog_option(add)
    importing = _action(
        actions,
        "import",
        summary="import JSONL, BibTeX, awesome-list Markdown or seed prompts",
        description="Import entries in one transaction: a bad line aborts the import, naming "
        "the line, and leaves the catalog as it was, unless --skip-bad is given. Re-importing "
        "the same file changes nothing (entries are keyed by arXiv id, else normalised title; "
        "a paper the file repeats counts once). Built-in entries keep what they say; an import "
        "may only add links they lack. New and changed entries are embedded before the command "
        "returns, so the catalog is ready to ask. A file with no entries is an error (exit 2).",
        epilog=_IMPORT_EPILOG,
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
    reindex = _action(
        actions,
        "reindex",
        summary="embed what is stale (--all: every entry) and rebuild the full-text index",
        description="Compute the embeddings of entries whose text changed or that have none "
        "(with --all, of every entry), and rebuild the full-text index. Import does this for "
        "what it stores; reindex is for a catalog copied in, or after an interrupted import.",
        epilog=_REINDEX_EPILOG,
    )
    reindex.add_argument("--all", action="store_true", help="recompute every embedding")
    _catalog_option(reindex, must_exist=True)
    export = _action(
        actions,
        "export",
        summary="every entry as JSONL (re-importable)",
        description="Write every entry as one JSON object per line, the format 'catalog "
        "import' reads: a backup, or a catalog to share.",
        epilog=_EXPORT_EPILOG,
    )
    export.add_argument("-f", "--format", choices=("jsonl",), default="jsonl")
    _output_option(export, help=_OUTPUT_WHOLE_HELP)
    _catalog_option(export, must_exist=True)
    remove = _action(
        actions,
        "remove",
        summary="remove an entry (built-in ones stay removed)",
        description="Remove one entry and its cached embedding.",
        epilog=_REMOVE_EPILOG,
    )
    remove.add_argument("entry_id", metavar="ID")
    _catalog_option(remove)
    restore = _action(
        actions,
        "restore",
        summary="bring back a removed built-in entry",
        description="Put a built-in entry that was removed back into the catalog, as this "
        "version of scholarflow ships it.",
        epilog=_RESTORE_EPILOG,
    )
    restore.add_argument("entry_id", metavar="ID")
    _catalog_option(restore)
    copying = _action(
        actions,
        "copy",
        summary="copy a whole catalog between a file and a PostgreSQL database",
        description="Copy every entry (ids, order, dates), removed built-in and stored "
        "embedding from SOURCE to TARGET, each a catalog file or a postgresql:// URL, in one "
        "transaction; then compare both by count and content hash. A TARGET that holds entries "
        "of its own is refused (exit 2) unless --replace is given. A mismatch after the copy is "
        "exit 4.",
        epilog=_COPY_EPILOG,
    )
    copying.add_argument("source", metavar="SOURCE", help="an existing catalog file, or a URL")
    copying.add_argument("target", metavar="TARGET", help="a catalog file (created), or a URL")
    copying.add_argument(
        "--replace", action="store_true", help="replace what TARGET holds of its own"
    )

    tasks = commands.add_parser(
        "tasks",
        help="the task ids, with what each takes and makes",
        description="List the tasks scholarflow knows (its task taxonomy): the ids that "
        "'catalog add --tasks' and the JSONL 'tasks' field accept, each with its name and "
        "the modalities it goes from and to.",
    )
    _table_or_json_option(tasks, "table (default) or json (with each task's description)")

    batch = commands.add_parser(
        "batch",
        help="answer a JSONL of prompts or questions into a JSONL of answers",
        description="Answer every line of IN.jsonl into OUT.jsonl, in order, using all cores. "
        'Each line is {"prompt": "<seed-format prompt>"}, {"question": "..."} (answered from '
        'the catalog) or {"question": ..., "recommended": [...], "related": [...]}; an "id" '
        'is copied to the output. Each output line is {"line", "id", "ok": true, "answer"} or '
        '{"line", "id", "ok": false, "error", "exit_code"}. Resumable: run the same command '
        "again after an interruption and it skips the lines already written.",
        epilog=_BATCH_EPILOG,
        formatter_class=_HelpFormatter,
    )
    batch.add_argument("input", metavar="IN.jsonl")
    batch.add_argument("output", metavar="OUT.jsonl")
    batch.add_argument(
        "-w",
        "--workers",
        type=int,
        help=f"worker processes (default: the number of cores, {os.cpu_count() or 1})",
    )
    batch.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="answer on this Dask cluster instead (e.g. tcp://scheduler:8786; needs "
        "'pip install scholarflow[dask]'): same output, same resuming; free questions need "
        "the catalog at the same path on every worker",
    )
    batch.add_argument(
        "--writer",
        choices=("template",),
        default="template",
        help="template only for now: an LLM writer per worker is future work",
    )
    _catalog_option(batch, must_exist=True)

    config = commands.add_parser(
        "config",
        help="show every setting, its value and where it came from",
        description="Settings come from command-line flags, then SCHOLARFLOW_* environment "
        "variables, then the config file ($SCHOLARFLOW_HOME/config.toml or "
        "$SCHOLARFLOW_CONFIG), then defaults. There is no default LLM server: --writer llm "
        "needs SCHOLARFLOW_LLM_BASE_URL and SCHOLARFLOW_LLM_MODEL (or the flags).",
    )
    config.add_argument("--config", metavar="PATH", help="a config file other than the default")
    _table_or_json_option(config)

    logs = commands.add_parser(
        "logs",
        help="what was sent to the LLM, what came back, what the guard did",
        description="Every LLM writer call is recorded in $SCHOLARFLOW_HOME/logs.db unless "
        "SCHOLARFLOW_LOG_LLM=false, and every 'ask' as a turn of a conversation. Newest first.",
    )
    logs.add_argument("-n", "--limit", type=int, default=20, help="how many calls (20)")
    logs.add_argument("--json", action="store_true", help="full records as JSON")
    logs.add_argument(
        "--conversations",
        action="store_true",
        help="the 'ask' conversations instead: id (for 'ask --cid'), turns, first question",
    )

    server = commands.add_parser(
        "serve",
        help="the web page, a REST API and an OpenAI-compatible endpoint",
        description="Serve the web page at /, the REST API (/api/answer, /api/ask, "
        "/api/catalog/search), an OpenAI-compatible /v1/chat/completions (model "
        "'scholarflow') and the OpenAPI docs at /docs (Swagger UI, served from the package). "
        "With --token (or SCHOLARFLOW_SERVER_TOKEN) every route but /health needs "
        "'Authorization: Bearer …'. Prints its URL on stderr once it listens. Clients must "
        "send their headers and body within deadlines, open connections are capped and a "
        "request not answered within its budget gets a 503: see the server_* settings in "
        "'scholarflow config'.",
    )
    server.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    server.add_argument("--port", type=int, default=8321, help="port (8321; 0: any free one)")
    server.add_argument("--token", help="require this bearer token on every route but /health")
    server.add_argument(
        "-w",
        "--workers",
        type=int,
        default=1,
        help="worker processes sharing the port, one per core at most (1); each loads its "
        "own engine and catalog index, and the server_* limits apply to each",
    )
    _writer_options(server, stream=False)
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
    evaluate.add_argument(
        "--in-sample",
        action="store_true",
        help="keep the cases' own questions among the example requests the meaning of a "
        "question is read against (by default they are left out: the dev halves' questions "
        "are examples, and a case would otherwise be read against itself)",
    )
    _catalog_option(
        evaluate, default_note="a fresh catalog of the built-in entries", must_exist=True
    )
    return parser


def _action(
    actions: argparse._SubParsersAction[_Parser],
    name: str,
    *,
    summary: str,
    description: str,
    epilog: str,
) -> _Parser:
    """A `catalog` action whose --help keeps the epilog's line breaks (examples, columns)."""
    return actions.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=_HelpFormatter,
    )


def _table_or_json_option(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """-f/--format for the commands that print a listing: an aligned table for a person
    (the default) or JSON for a program, the same choice everywhere."""
    parser.add_argument("-f", "--format", choices=("table", "json"), default="table", help=help)


_OUTPUT_WHOLE_HELP = "write to PATH instead of stdout (written whole or not at all)"


def _output_option(
    parser: argparse.ArgumentParser, help: str = "write to PATH instead of stdout"
) -> None:
    parser.add_argument("-o", "--output", metavar="PATH", help=help)


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
    parser.add_argument(
        "--llm-deadline",
        metavar="SECONDS",
        help="the longest one LLM call may take, retries and waits included "
        "(SCHOLARFLOW_LLM_DEADLINE, default 120)",
    )
    if stream:
        parser.add_argument(
            "--stream",
            action="store_true",
            help="with --writer llm: print the answer part by part as the model writes it; only "
            "text that has passed the grounding screen is shown (on stdout for Markdown, else "
            "on stderr, with the finished answer on stdout)",
        )


def _color_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-color",
        action="store_true",
        help="no colour in the answer drawn on a terminal (as NO_COLOR=1 does); piped or "
        "written with -o, the answer is plain Markdown anyway",
    )


def _for_reader(text: str, args: argparse.Namespace) -> str:
    """The Markdown answer drawn for the terminal when stdout is one (one workflow step per
    line, nothing wider than the terminal); anything else unchanged."""
    from scholarflow.render.terminal import color_wanted, is_terminal, render_terminal

    if args.format != "markdown" or args.output is not None or not is_terminal(sys.stdout):
        return text
    width = shutil.get_terminal_size((100, 24)).columns
    return render_terminal(text, width=width, color=color_wanted(args.no_color))


def _settings(args: argparse.Namespace) -> Settings:
    from scholarflow.settings import load_settings

    overrides = {
        "llm_base_url": getattr(args, "llm_base_url", None),
        "llm_model": getattr(args, "llm_model", None),
        "llm_deadline": getattr(args, "llm_deadline", None),
    }
    config = getattr(args, "config", None)
    return load_settings(overrides, config_path=Path(config) if config else None)


class _LiveText:
    """With --stream, the screened answer as it is decided, part by part.

    Only text that has passed the grounding screen is shown (engine.DocumentStream); the
    model's raw text goes only to the log. It goes to stdout when stdout is where the Markdown
    answer goes (the finished answer is then not printed twice), else to stderr. It remembers
    whether it left a line unfinished, so that an error the server caused mid-reply starts on
    a line of its own.
    """

    def __init__(self, target: TextIO) -> None:
        self.target = target
        self.mid_line = False

    def __call__(self, piece: str) -> None:
        self.target.write(piece)
        self.target.flush()
        self.mid_line = not piece.endswith("\n")

    def end_line(self) -> None:
        if self.mid_line:
            self.target.write("\n")
            self.target.flush()
            self.mid_line = False


def _live_text(args: argparse.Namespace) -> _LiveText | None:
    if args.writer != "llm" or not getattr(args, "stream", False):
        return None
    to_stdout = args.format == "markdown" and not getattr(args, "output", None)
    return _LiveText(sys.stdout if to_stdout else sys.stderr)


def _writer(args: argparse.Namespace, live: _LiveText | None = None) -> Writer | str:
    """The writer named by --writer; the LLM writer built from the settings (exit 4 if unset).

    With `live`, the model streams its reply so that each slot is screened as it completes.
    """
    if args.writer != "llm":
        return args.writer
    from scholarflow.writers.llm import LLMWriter

    return LLMWriter.from_settings(_settings(args), stream=live is not None)


_CATALOG_HELP = (
    "the catalog: a SQLite file, or a postgresql://user@host/db URL for a catalog that many "
    "servers share (default: $SCHOLARFLOW_HOME/catalog.db)"
)


def _catalog_option(
    parser: argparse.ArgumentParser, default_note: str = "", *, must_exist: bool = False
) -> None:
    parser.add_argument(
        "--catalog",
        metavar="PATH|URL",
        help=("an existing catalog database" if must_exist else "the catalog database")
        + " file or postgresql:// URL (default: "
        + (
            default_note
            or "$SCHOLARFLOW_HOME/catalog.db, SCHOLARFLOW_HOME defaulting to the "
            "user data directory"
        )
        + ")",
    )


def read_prompt(name: str) -> tuple[str, str]:
    """The prompt text and a name for it in messages. Raises InputError on unreadable input."""
    return read_text(name, expected="a prompt in the seed format")


def read_text(name: str, *, expected: str) -> tuple[str, str]:
    """The text of file `name` (or stdin for "-") and a name for it in messages.

    Raises InputError, naming the input and `expected`, on what cannot be a text a person
    wrote: missing, empty, binary, not UTF-8, or over `MAX_PROMPT_BYTES`.
    """
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
        raise InputError(f"{where}: is empty; expected {expected}")
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
    """Write `text` to stdout, or to the file `output` whole or not at all.

    The file gets the mode a plain `open(output, "w")` would give it: that of the file it
    replaces, else 0666 less the umask.
    """
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
    replaced_mode = _mode_to_keep(target, output)
    # Write beside the target, then rename: a reader never sees half an answer.
    handle, temporary = _create_beside(target)
    try:
        if replaced_mode is not None:
            os.fchmod(handle, replaced_mode)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _mode_to_keep(target: Path, output: str) -> int | None:
    """The permission bits of the file `target` would replace, or None for a new file.

    A file we may not write is refused, as `open()` would refuse it: replacing it by a rename
    would get round its read-only mode. Set-id bits are not kept, as the kernel clears them
    when anyone but root writes to a file.
    """
    try:
        current = target.stat()
    except FileNotFoundError:
        return None
    if not os.access(target, os.W_OK):
        raise InputError(f"{output}: is not writable; not replaced")
    return stat.S_IMODE(current.st_mode) & 0o777


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new empty file next to `target`, open for writing, and its path.

    Hand-written rather than `tempfile.mkstemp`, which always creates mode 0600: here the
    file is created with 0666 and the kernel applies the umask (and any default ACL) exactly
    as it does for `open()`.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise InputError(f"{target}: cannot create a temporary file beside it")


def _run_answer(args: argparse.Namespace) -> int:
    from scholarflow.engine import answer
    from scholarflow.prompt_format import parse_prompt
    from scholarflow.render import render

    text, where = read_prompt(args.file)
    request = parse_prompt(text, where=where)
    live = _live_text(args)
    try:
        result = answer(request, writer=_writer(args, live), on_text=live)
    finally:
        if live is not None:
            live.end_line()
    if live is None or live.target is not sys.stdout:
        write_output(_for_reader(render(result, args.format), args), args.output)
    _stream_warnings(result)
    return 0


def _stream_warnings(result: Answer) -> None:
    """A streamed answer the server broke off is finished from the plan; one line says so."""
    for warning in result.warnings:
        if warning.code == "llm_stream_failed":
            sys.stderr.write(f"scholarflow: warning: {warning.message}\n")


def _open_store(args: argparse.Namespace, *, create: bool = False) -> CatalogStore:
    """The catalog --catalog names (or the default one).

    A named catalog must exist unless the command writes (`create`): a mistyped path would
    otherwise become a fresh catalog of the built-in entries and answer from it without a
    word. The default catalog is created on first use, built-ins and all. A
    `postgresql://` URL names a database on a server, which must exist (scholarflow never
    creates databases); its tables are created on first use.
    """
    from scholarflow.catalog.store import is_catalog_url, open_catalog

    if is_catalog_url(args.catalog):
        return open_catalog(args.catalog)
    return open_catalog(_catalog_path(args, create=create))


def _catalog_path(args: argparse.Namespace, *, create: bool = False) -> Path:
    from scholarflow.catalog.store import default_catalog_path, is_catalog_url

    if is_catalog_url(args.catalog):
        raise InputError(
            f"{args.command}: --catalog takes a catalog file here, not a postgresql:// URL "
            "(copy it to a file with 'scholarflow catalog copy URL FILE')"
        )
    path = Path(args.catalog) if args.catalog else default_catalog_path()
    if path.is_dir():
        raise InputError(f"{path}: is a directory; --catalog takes a database file")
    if args.catalog and not create and not path.exists():
        raise InputError(
            f"{path}: no such catalog; create one with 'scholarflow catalog import FILE "
            f"--catalog {path}' or 'scholarflow catalog add --catalog {path} ...'"
        )
    return path


def _retriever(store: CatalogStore) -> Retriever:
    from scholarflow.progress import Progress
    from scholarflow.retrieval import Retriever

    retriever = Retriever(store)
    # `catalog import` embeds what it stores, so this is a read of the stored hashes; it
    # computes only what an older import, a `catalog add` or a killed import left behind.
    with Progress(None, "embedding") as bar:
        retriever.ensure_embeddings(on_progress=bar.report)
    return retriever


def _question(text: str) -> str:
    if text == "-":
        text, _ = read_text("-", expected="a question")
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
    _catalog_path(args)  # a mistyped --catalog is refused before anything is read or written
    conversation, earlier = _earlier_turns(args)
    live = _live_text(args)
    with _open_store(args) as store:
        try:
            result, hits = ask(
                question,
                _retriever(store),
                writer=_writer(args, live),
                on_text=live,
                earlier=earlier,
            )
        except CatalogCannotServe as refusal:
            conversation = _record_turn(args, conversation, question)
            if args.format == "json":
                text = render_ask_json(None, refusal.hits, str(refusal))
                text = _with_conversation(text, conversation)
            else:
                text = f"The catalog cannot answer this: {refusal}.\n"
            write_output(text, args.output)
            return 0
        finally:
            if live is not None:
                live.end_line()
    conversation = _record_turn(args, conversation, question, result)
    _stream_warnings(result)
    if live is not None and live.target is sys.stdout:
        return 0  # the Markdown answer has been printed as it was decided
    if args.format == "json":
        text = _with_conversation(render_ask_json(result, hits), conversation)
    else:
        text = render(result, args.format)
    write_output(_for_reader(text, args), args.output)
    return 0


def _earlier_turns(args: argparse.Namespace) -> tuple[str | None, list[str]]:
    """The conversation -c or --cid continues (None: a new one) and the questions asked in it
    before. Only reads: a missing log or conversation is bad input, and nothing is created."""
    from scholarflow.llm_log import LLMLog
    from scholarflow.settings import log_path

    if not args.continue_latest and args.conversation is None:
        return None, []
    path = log_path(_settings(args))
    if not path.exists():
        raise InputError(_no_conversation(args, path))
    with LLMLog(path) as log:
        if args.conversation is not None:
            conversation = args.conversation if log.has_conversation(args.conversation) else None
        else:
            conversation = log.latest_conversation()
        if conversation is None:
            raise InputError(_no_conversation(args, path))
        return conversation, [turn.question for turn in log.turns(conversation)]


def _record_turn(
    args: argparse.Namespace,
    conversation: str | None,
    question: str,
    result: Answer | None = None,
) -> str:
    """Store the question (and its answer) as a turn, in a new conversation unless one is
    continued; returns the conversation id. Written after the answer, so a failed `ask`
    leaves no turn behind. Without -c, a new conversation starts, as `llm` starts one."""
    from scholarflow.llm_log import LLMLog
    from scholarflow.settings import log_path

    with LLMLog(log_path(_settings(args))) as log:
        if conversation is None:
            conversation = log.start_conversation()
        log.add_turn(
            conversation,
            question,
            task_id=result.understanding.task.id if result is not None else None,
            answer=result.markdown if result is not None else None,
        )
    return conversation


def _no_conversation(args: argparse.Namespace, path: Path) -> str:
    if args.conversation is not None:
        return (
            f"no conversation {args.conversation!r} in {path}; "
            "'scholarflow logs --conversations' lists them"
        )
    return f"no conversation to continue in {path}: ask a question without -c first"


def _with_conversation(text: str, conversation: str) -> str:
    """The ask JSON with the conversation id added (a new field; none is renamed)."""
    import json

    data = json.loads(text)
    data["conversation_id"] = conversation
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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


def _terminal_width() -> int | None:
    """The width tables are fitted to: COLUMNS, else the terminal's; None when piped, so that
    what a script reads is never cut."""
    return shutil.get_terminal_size(fallback=(0, 0)).columns or None


def _entry_json(entry: CatalogEntry) -> dict[str, object]:
    data = entry.model_dump(mode="json")
    data["provenance"] = {"origin": entry.provenance.origin, "line": entry.provenance.line}
    return data


def _quoted_choices(names: Sequence[str]) -> str:
    """'a', 'b' or 'c'."""
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _no_entry(store: CatalogStore, entry_id: str) -> InputError:
    """The one line for an id the catalog does not hold, with the ids it may have meant."""
    if entry_id in store.removed_builtin_ids():
        return InputError(
            f"no catalog entry '{entry_id}': it is a built-in entry that was removed; "
            f"bring it back with 'scholarflow catalog restore {entry_id}'"
        )
    near = store.closest_ids(entry_id)
    if near:
        return InputError(f"no catalog entry '{entry_id}'; did you mean {_quoted_choices(near)}?")
    return InputError(f"no catalog entry '{entry_id}' (see 'scholarflow catalog list')")


def _task_ids(text: str) -> list[str]:
    """The --tasks ids, each one the taxonomy knows; InputError naming any it does not."""
    from scholarflow import taxonomy
    from scholarflow.text import near_misses

    known = list(taxonomy.tasks())
    ids = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [task_id for task_id in ids if task_id not in known]
    if not unknown:
        return ids
    named = []
    for task_id in unknown:
        near = near_misses(task_id, known, limit=1)
        named.append(f"'{task_id}'" + (f" (did you mean '{near[0]}'?)" if near else ""))
    noun = "task id" if len(unknown) == 1 else "task ids"
    raise InputError(
        f"catalog add: unknown {noun} {', '.join(named)}; 'scholarflow tasks' lists the ids"
    )


def _run_catalog(args: argparse.Namespace) -> int:
    import json

    from scholarflow.catalog import importers

    if args.action is None:
        args.help_parser.print_help()
        return 0
    if args.action == "copy":
        return _run_copy(args)
    writes = args.action in {"add", "import", "remove", "restore"}
    with _open_store(args, create=writes) as store:
        if args.action == "list":
            from scholarflow.render.catalog_text import entries_table

            if args.limit is not None and args.limit < 1:
                raise InputError(f"--limit must be at least 1, not {args.limit}")
            entries = list(itertools.islice(store.entries(), args.limit))
            if args.format == "json":
                write_output(json.dumps([_entry_json(e) for e in entries], indent=2) + "\n", None)
                return 0
            write_output(entries_table(entries, _terminal_width()), None)
            hidden = store.count() - len(entries)
            if hidden > 0:
                sys.stderr.write(f"… {hidden} more; -n {len(entries) + hidden} shows all\n")
            return 0
        if args.action == "show":
            from scholarflow import taxonomy
            from scholarflow.render.catalog_text import entry_card

            entry = store.get(args.entry_id)
            if entry is None:
                raise _no_entry(store, args.entry_id)
            if args.format == "json":
                text = json.dumps(_entry_json(entry), indent=2, ensure_ascii=False) + "\n"
            else:
                names = {task.id: task.name for task in taxonomy.tasks().values()}
                text = entry_card(entry, names, _terminal_width())
            write_output(text, None)
            return 0
        if args.action == "search":
            hits = _retriever(store).search(_question(args.text), limit=max(1, args.limit))
            if args.format == "json":
                from scholarflow.render.json_format import hits_to_list

                ids = {hit.entry.id for hit in hits}
                write_output(json.dumps(hits_to_list(hits, ids), indent=2) + "\n", None)
            else:
                from scholarflow.render.catalog_text import hits_table

                write_output(hits_table(hits, _terminal_width()), None)
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
            if args.tags:
                fields["tags"] = [part.strip() for part in args.tags.split(",") if part.strip()]
            if args.tasks:
                fields["tasks"] = _task_ids(args.tasks)
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
                raise _no_entry(store, args.entry_id)
            sys.stdout.write(f"removed: {args.entry_id}\n")
            return 0
        if args.action == "restore":
            return _restore(store, args.entry_id)
    raise AssertionError(f"unhandled catalog action {args.action}")


def _run_copy(args: argparse.Namespace) -> int:
    """Copy SOURCE into TARGET and say what was verified."""
    from scholarflow.catalog.copy import copy_catalog
    from scholarflow.catalog.store import is_catalog_url, open_catalog

    if not is_catalog_url(args.source):
        source_path = Path(args.source)
        if not source_path.is_file():
            raise InputError(f"{args.source}: no such catalog")
    if not is_catalog_url(args.target) and Path(args.target).is_dir():
        raise InputError(f"{args.target}: is a directory; TARGET is a catalog file or a URL")
    if args.source.strip() == args.target.strip():
        raise InputError("SOURCE and TARGET are the same catalog")
    with open_catalog(args.source) as source, open_catalog(args.target) as target:
        report = copy_catalog(source, target, replace=args.replace)
    copied = report.target
    sys.stdout.write(
        f"{target.path}: {copied.entries} entries, {copied.removed_builtins} removed built-ins, "
        f"{copied.vectors} embeddings copied from {source.path}; verified: counts and content "
        f"hash {copied.sha256[:16]} match\n"
    )
    return 0


def _restore(store: CatalogStore, entry_id: str) -> int:
    from scholarflow.catalog.store import builtin_catalog_entries
    from scholarflow.text import near_misses

    report = store.restore(entry_id)
    if report.outcome == "restored":
        sys.stdout.write(f"restored: {entry_id}\n")
        return 0
    if report.outcome == "present":
        sys.stdout.write(f"unchanged: {entry_id} is in the catalog\n")
        return 0
    if report.outcome == "held":
        raise InputError(
            f"'{entry_id}' not restored: your entry '{report.holder}' holds the same paper "
            f"and overrides it; remove that entry first"
        )
    near = near_misses(entry_id, [entry.id for entry in builtin_catalog_entries()])
    hint = f"; did you mean {_quoted_choices(near)}?" if near else ""
    raise InputError(
        f"no built-in entry '{entry_id}'{hint} (only built-in entries can be restored; "
        "an entry of your own can be added or imported again)"
    )


def _run_import(args: argparse.Namespace, store: CatalogStore) -> int:
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


def _embed_stale(store: CatalogStore, *, everything: bool = False) -> int:
    """Compute the vectors the catalog lacks (all of them with `everything`), with a bar."""
    from scholarflow.catalog.vectors import compute_vectors, stale_vectors
    from scholarflow.embeddings import get_embedder
    from scholarflow.progress import Progress

    pending = stale_vectors(store, everything=everything)
    if not pending:
        return 0  # nothing changed: the model is not even loaded
    with Progress(len(pending), "embedding") as bar:
        return compute_vectors(store, get_embedder(), pending, on_progress=bar.report)


def _run_reindex(args: argparse.Namespace, store: CatalogStore) -> int:
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
    from scholarflow.progress import Progress

    if args.workers is not None and args.dask is not None:
        raise InputError("--workers and --dask: the cluster's workers answer; give one of them")
    workers = (os.cpu_count() or 1) if args.workers is None else args.workers
    if workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    catalog = _catalog_path(args)
    with Progress(None, "answering") as bar:
        report = run_batch(
            Path(args.input),
            Path(args.output),
            workers=workers,
            catalog_path=catalog,
            writer=args.writer,
            on_progress=bar.report,
            dask_address=args.dask,
        )
    sys.stderr.write(
        f"{args.output}: {report.answered} answered, {report.failed} failed, "
        f"{report.skipped} already done, in {report.seconds:.1f} s\n"
    )
    # 1, not 2/3/4: those say the command failed as a whole, and here every result was
    # written; each failed record's own code is in the output. See _BATCH_EPILOG.
    return 1 if report.failed else 0


def _run_tasks(args: argparse.Namespace) -> int:
    import json

    from scholarflow import taxonomy
    from scholarflow.render.catalog_text import tasks_table

    tasks = list(taxonomy.tasks().values())
    if args.format == "json":
        data = [
            {
                "id": task.id,
                "name": task.name,
                "description": task.description,
                "inputs": list(task.inputs),
                "outputs": list(task.outputs),
            }
            for task in tasks
        ]
        write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", None)
    else:
        write_output(tasks_table(tasks, _terminal_width()), None)
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
    from scholarflow.llm_log import (
        NO_CALLS_TEXT,
        NO_CONVERSATIONS_TEXT,
        LLMLog,
        render_conversations_json,
        render_conversations_text,
        render_logs_json,
        render_logs_text,
    )
    from scholarflow.settings import log_path

    path = log_path(_settings(args))
    if not path.exists():
        empty = NO_CONVERSATIONS_TEXT if args.conversations else NO_CALLS_TEXT
        write_output("[]\n" if args.json else empty, None)
        return 0
    with LLMLog(path) as log:
        if args.conversations:
            items = log.conversations(max(1, args.limit))
            text = (
                render_conversations_json(items) if args.json else render_conversations_text(items)
            )
            write_output(text, None)
            return 0
        calls = log.recent(max(1, args.limit))
    write_output(render_logs_json(calls) if args.json else render_logs_text(calls), None)
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from scholarflow.server.app import check_workers, serve
    from scholarflow.server.limits import ServerLimits

    settings = _settings(args)
    check_workers(args.workers, "--workers")
    serve(
        args.host,
        args.port,
        workers=args.workers,
        catalog_path=_catalog_location(args),
        token=args.token,
        limits=ServerLimits.from_settings(settings),
        writer=args.writer,
        settings=settings,
    )
    return 0


def _catalog_location(args: argparse.Namespace) -> Path | str | None:
    """--catalog as a server takes it: a URL as given, a file as a path, or None."""
    from scholarflow.catalog.store import is_catalog_url

    if not args.catalog:
        return None
    return args.catalog.strip() if is_catalog_url(args.catalog) else Path(args.catalog)


def _run_mcp(args: argparse.Namespace) -> int:
    from scholarflow.mcp_server import run_stdio

    run_stdio(catalog_path=_catalog_location(args))
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
        path = _catalog_path(args) if args.catalog else Path(scratch) / "catalog.db"
        with SQLiteCatalogStore(path) as store:
            retriever = _retriever(store) if any(c.question for c in cases) else None
            writer = _writer(args)
            results = []
            with Progress(len(cases), "evaluating") as bar:
                for result in harness.run_cases(cases, retriever, writer, in_sample=args.in_sample):
                    results.append(result)
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
    if getattr(args, "catalog", None) is None and args.global_catalog:
        args.catalog = args.global_catalog
    if args.command is None:
        # A bare `scholarflow` asks what the tool does: the help, on stdout, exit 0 (as pip
        # does; git prints its usage with exit 1). A wrong command is still exit 2.
        args.help_parser.print_help()
        return 0
    commands = {
        "answer": _run_answer,
        "ask": _run_ask,
        "prompt": _run_prompt,
        "catalog": _run_catalog,
        "tasks": _run_tasks,
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
