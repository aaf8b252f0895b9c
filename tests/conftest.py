"""Shared fixtures: the seed prompts and real awesome lists in ../shared, our own prompts,
and a CLI runner.

Tests that read ../shared skip when it is absent on a developer's machine, and fail when CI
runs them (CI=true), so a missing folder can never pass CI silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCHOLARFLOW_SHARED", ROOT.parent / "shared"))
SEEDS_DIR = SHARED / "examples" / "seeds"
AWESOME_DIR = SHARED / "data" / "awesome"
AWESOME_LISTS = ("awesome-NeRF.README.md", "Awesome-Video-Diffusion.README.md")
PROMPTS_DIR = Path(__file__).parent / "prompts"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def seed_paths() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    """Seed prompts keyed by their number ("000"…); fail in CI, skip locally, when absent."""
    paths = seed_paths()
    if not paths:
        message = f"seed prompts not found in {SEEDS_DIR}"
        if _in_ci():
            pytest.fail(message + " (CI=true: the shared examples must be present)")
        pytest.skip(message)
    return {path.name[:3]: path for path in paths}


@pytest.fixture(scope="session")
def awesome_lists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of the real awesome lists (never the originals); fail in CI, skip locally,
    when ../shared/data/awesome is absent."""
    missing = [name for name in AWESOME_LISTS if not (AWESOME_DIR / name).is_file()]
    if missing:
        message = f"real awesome lists not found in {AWESOME_DIR}: {', '.join(missing)}"
        if _in_ci():
            pytest.fail(message + " (CI=true: the shared data must be present)")
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("awesome")
    copies = {}
    for name in AWESOME_LISTS:
        copies[name] = folder / name
        copies[name].write_bytes((AWESOME_DIR / name).read_bytes())
    return copies


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real command, as a new process, the way a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        cwd=ROOT,
    )


# --------------------------------------------------------------------------- catalog stores

# Every catalog test that takes `catalog_location` runs once per store: a SQLite file, a
# database on Debian's PostgreSQL (no pgvector: the in-memory nearest-neighbour index), and
# one on PostgreSQL with pgvector (HNSW). See tests/pg_servers.py.
CATALOG_BACKENDS = ("sqlite", "postgres", "pgvector")


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory):
    """`pg_server(kind)`: that kind of throwaway PostgreSQL server, started on first use and
    stopped when the session ends. One that cannot start fails the test in CI, skips it on a
    developer's machine without the packages."""
    from pg_servers import ServerUnavailable, start_server

    started: dict[str, object] = {}

    def get(kind: str):
        if kind not in started:
            try:
                started[kind] = start_server(kind)
            except ServerUnavailable as error:
                started[kind] = error
        server = started[kind]
        if isinstance(server, ServerUnavailable):
            if _in_ci():
                pytest.fail(f"{server} (CI=true: the PostgreSQL tests must run)")
            pytest.skip(str(server))
        return server

    yield get
    for server in started.values():
        if not isinstance(server, Exception):
            server.stop()


@pytest.fixture(params=CATALOG_BACKENDS)
def catalog_backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def catalog_location(catalog_backend: str, tmp_path: Path, pg_server) -> Path | str:
    """Where a fresh catalog lives for this backend: a file path or a database URL, which
    `open_catalog` opens (and reopens) the way `--catalog` does."""
    if catalog_backend == "sqlite":
        return tmp_path / "home" / "catalog.db"
    return pg_server(catalog_backend).new_database()


def raw_sql(store, statement: str) -> list[tuple[object, ...]]:
    """Run SQL behind a catalog store's back (as another tool would), on either engine."""
    from scholarflow.catalog.store import SQLiteCatalogStore

    if isinstance(store, SQLiteCatalogStore):
        cursor = store._db.execute(statement)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
    with store._pool.connection() as db:
        cursor = db.execute(statement)
        return [tuple(row.values()) for row in cursor.fetchall()] if cursor.description else []
