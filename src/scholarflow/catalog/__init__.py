"""The catalog of known models and papers.

This module holds the built-in entries (a data file in this package) and the matching of a
provided source to an entry. Catalog knowledge enriches a provided source (its signature, its
tasks, a description when the prompt gave no summary); it never adds a link or a source.
"""

from __future__ import annotations

import re
from functools import cache

from scholarflow import data_files
from scholarflow.models import Provenance, Signature, Source
from scholarflow.text import canonical_url, squash

_ARXIV_ID = re.compile(r"(?<!\d)(\d{4}\.\d{4,5})(?:v\d+)?")


def arxiv_id(url: str | None) -> str | None:
    """The arXiv identifier in an arXiv link ("2409.02095"), without its version."""
    if not url or "arxiv" not in url.lower():
        return None
    match = _ARXIV_ID.search(url)
    return match.group(1) if match else None


@cache
def builtin_entries() -> tuple[Source, ...]:
    raw = data_files.load_toml(__package__, "builtin.toml")
    entries = []
    for key, value in raw.items():
        entries.append(
            Source(
                id=key,
                name=value["name"],
                title=value["title"],
                kind=value.get("kind", "paper"),
                paper_url=value.get("paper_url"),
                github_url=value.get("github_url"),
                project_url=value.get("project_url"),
                summary=" ".join(value["summary"].split()),
                tasks=tuple(value.get("tasks", ())),
                signatures=tuple(
                    Signature.of(sig["inputs"], sig["outputs"], sig.get("note", ""))
                    for sig in value.get("signatures", ())
                ),
                provenance=Provenance(origin="catalog:builtin"),
            )
        )
    return tuple(entries)


@cache
def _index() -> dict[str, Source]:
    index: dict[str, Source] = {}
    for entry in builtin_entries():
        for key in _keys(entry):
            index.setdefault(key, entry)
    return index


def _keys(source: Source) -> list[str]:
    keys = []
    arxiv = arxiv_id(source.paper_url)
    if arxiv:
        keys.append(f"arxiv:{arxiv}")
    if source.github_url:
        keys.append(f"code:{canonical_url(source.github_url).lower()}")
    keys.append(f"title:{squash(source.title)}")
    return keys


def match(source: Source) -> Source | None:
    """The built-in entry describing `source`, if any: by arXiv id, code repository or title.

    A repository can hold many models (one lab's monorepo), so a match by repository alone
    also needs the names to agree, and no match stands against a different arXiv id.
    """
    index = _index()
    own_arxiv = arxiv_id(source.paper_url)
    for key in _keys(source):
        entry = index.get(key)
        if entry is None:
            continue
        entry_arxiv = arxiv_id(entry.paper_url)
        if own_arxiv and entry_arxiv and own_arxiv != entry_arxiv:
            continue
        if key.startswith("code:") and not _names_agree(source, entry):
            continue
        return entry
    return None


def _names_agree(source: Source, entry: Source) -> bool:
    mine, theirs = squash(source.title), squash(entry.name)
    return bool(theirs) and (theirs in mine or squash(source.name) in squash(entry.title))
