"""`catalog copy`: a whole catalog from one store into another (SQLite ⇄ PostgreSQL).

Why a copy and not an export/import: an import merges by identity and gives entries new
import dates, while a move to a shared server (or back to a laptop) must keep everything a
user and the embeddings refer to: the ids, the order, the dates, the built-in flags, the
removed built-ins and the stored vectors, so that nothing is re-embedded.

The target is replaced in one transaction, and only when it holds nothing of its own (just
the built-ins a fresh catalog is seeded with) unless `replace` is given: a copy must not
quietly wipe a catalog someone has been filling. Afterwards both sides are read again and
compared by count and by a content hash over every entry, removed built-in and vector; a
mismatch is an error (exit 4), never a silent success.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from scholarflow.catalog.store import CatalogStore, builtin_catalog_entries
from scholarflow.errors import ConfigurationError, InputError


@dataclass(frozen=True, slots=True)
class CatalogDigest:
    """What a catalog holds, in numbers and one hash that any difference changes."""

    entries: int
    removed_builtins: int
    vectors: int
    sha256: str


@dataclass(frozen=True, slots=True)
class CopyReport:
    source: CatalogDigest
    target: CatalogDigest


def catalog_digest(store: CatalogStore) -> CatalogDigest:
    """Counts and a SHA-256 over every entry (in listing order), removed built-in and vector.

    Computed from the `CatalogStore` interface alone, so the same catalog hashes alike in
    either engine.
    """
    digest = hashlib.sha256()
    entries = 0
    for entry in store.entries():
        entries += 1
        digest.update(json.dumps(entry.model_dump(mode="json"), sort_keys=True).encode())
        digest.update(b"\n")
    removed = sorted(store.removed_builtin_ids())
    digest.update(json.dumps(removed).encode())
    vectors = 0
    for model in store.embedding_models():
        stored = store.get_embeddings(model)
        vectors += len(stored)
        for entry_id in sorted(stored):
            text_hash, blob = stored[entry_id]
            digest.update(f"{model}\0{entry_id}\0{text_hash}\0".encode())
            digest.update(blob)
    return CatalogDigest(entries, len(removed), vectors, digest.hexdigest())


def holds_own_entries(store: CatalogStore) -> int:
    """How many entries or removals the store holds beyond a fresh catalog's built-ins."""
    shipped = {entry.id: entry for entry in builtin_catalog_entries()}
    own = sum(1 for entry in store.entries() if not entry.builtin or shipped.get(entry.id) != entry)
    return own + len(store.removed_builtin_ids())


def copy_catalog(source: CatalogStore, target: CatalogStore, *, replace: bool) -> CopyReport:
    """Make `target` hold exactly what `source` holds, then verify it (see the module)."""
    if not replace:
        own = holds_own_entries(target)
        if own:
            raise InputError(
                f"{target.path}: holds {own} entries or removals of its own; "
                "'catalog copy --replace' replaces them"
            )
    vectors = {model: _vector_rows(source, model) for model in source.embedding_models()}
    target.replace_contents(source.entries(), source.removed_builtin_ids(), vectors)
    before, after = catalog_digest(source), catalog_digest(target)
    if before != after:
        raise ConfigurationError(
            f"{target.path}: the copy does not match {source.path} "
            f"({after.entries} entries, {after.vectors} vectors, hash {after.sha256[:12]}; "
            f"expected {before.entries}, {before.vectors}, {before.sha256[:12]})"
        )
    return CopyReport(before, after)


def _vector_rows(store: CatalogStore, model: str) -> list[tuple[str, str, bytes, int]]:
    return [
        (entry_id, text_hash, blob, len(blob) // 4)
        for entry_id, (text_hash, blob) in store.get_embeddings(model).items()
    ]
