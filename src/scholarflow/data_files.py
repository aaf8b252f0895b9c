"""The package's data files (TOML, the English word snapshot), read fast on a cold start.

Parsing is the cost, not reading: `tomllib` takes about 0.08 s for the ~320 kB of taxonomy,
lexicon, locale and catalog TOML here (tasks.toml alone was parsed three times per process),
and the word snapshot takes 0.03 s to decompress; together that was about a tenth of a cold
`scholarflow answer`. So the parsed form is kept beside the file, the way Python keeps
bytecode: `__pycache__/<file>.<content hash>.json` for TOML (JSON of the same data loads in
0.003 s), `__pycache__/<file>.<content hash>.txt` for the decompressed snapshot.

The key is a hash of the file's bytes, so an edited file is never served stale; a cache file
that cannot be read or parsed is ignored and the data file is read instead. Caches are written
the way bytecode is: not when the environment asks for no bytecode (`PYTHONDONTWRITEBYTECODE`)
or the folder is read-only. `make setup` (`python -m scholarflow.data_files`) writes them all
once, whatever that setting.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
import tempfile
import tomllib
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

CACHE_FOLDER = "__pycache__"
_PACKAGES = (
    "scholarflow.taxonomy",
    "scholarflow.lexicon",
    "scholarflow.locale",
    "scholarflow.catalog",
)


def load_toml(package: str, name: str) -> dict[str, Any]:
    """The parsed TOML file `name` of `package`: a new dict on every call, so callers may
    change what they get without changing what the next caller gets."""
    return json.loads(_toml_as_json(package, name))  # type: ignore[no-any-return]


def gunzipped_text(package: str, name: str) -> str:
    """The UTF-8 text of the gzip file `name` of `package`."""
    return _derived_text(package, name, "txt", _gunzip)


@cache
def _toml_as_json(package: str, name: str) -> str:
    return _derived_text(package, name, "json", _toml_to_json, check=json.loads)


def _gunzip(raw: bytes) -> str:
    return gzip.decompress(raw).decode("utf-8")


def _toml_to_json(raw: bytes) -> str:
    # TOML dates have no JSON form; none of the package's files has one, and one that did
    # would fail here loudly rather than come back as a string.
    return json.dumps(tomllib.loads(raw.decode("utf-8")), ensure_ascii=False)


def _derived_text(
    package: str,
    name: str,
    suffix: str,
    derive: Callable[[bytes], str],
    write: bool | None = None,
    check: Callable[[str], object] | None = None,
) -> str:
    """`derive(raw)` of the file's bytes, from its cache when there is a good one. `check`
    raises ValueError on a cached text that is not whole (a disk that filled up)."""
    resource = resources.files(package).joinpath(name)
    raw = resource.read_bytes()
    folder = _cache_folder(resource)
    if folder is None:  # not a plain file (a zip install): nothing to keep it beside
        return derive(raw)
    digest = hashlib.blake2b(raw, digest_size=10).hexdigest()
    cached = folder / f"{name}.{digest}.{suffix}"
    try:
        text = cached.read_text(encoding="utf-8")
        if check is not None:
            check(text)
        return text
    except (OSError, ValueError):  # missing or damaged: derived again, and written again
        pass
    text = derive(raw)
    if write if write is not None else not sys.dont_write_bytecode:
        _replace_cache(folder, name, suffix, cached, text)
    return text


def _cache_folder(resource: Any) -> Path | None:
    try:
        path = Path(os.fspath(resource))
    except TypeError:
        return None
    return path.parent / CACHE_FOLDER if path.is_file() else None


def _replace_cache(folder: Path, name: str, suffix: str, target: Path, text: str) -> None:
    """Write `target` whole or not at all (a reader never sees half a file), and drop the
    caches of earlier versions of the same file."""
    try:
        folder.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except OSError:  # a read-only install: the data file is simply parsed each time
        return
    for old in folder.glob(f"{name}.*.{suffix}"):
        if old != target:
            old.unlink(missing_ok=True)


def write_all() -> list[str]:
    """Write the cache of every data file of the runtime packages; the names written."""
    written = []
    for package in _PACKAGES:
        for resource in resources.files(package).iterdir():
            if resource.name.endswith(".toml"):
                _derived_text(
                    package, resource.name, "json", _toml_to_json, write=True, check=json.loads
                )
            elif resource.name.endswith(".txt.gz"):
                _derived_text(package, resource.name, "txt", _gunzip, write=True)
            else:
                continue
            written.append(f"{package}/{resource.name}")
    return written


if __name__ == "__main__":
    print(f"scholarflow: {len(write_all())} data files cached")
