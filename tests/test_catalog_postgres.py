"""What only a shared catalog needs: many processes at once, many servers, copies between
engines, and the errors of a catalog that lives on a server.

The catalog's behaviour itself (upserts, search, embeddings, built-ins, crashes) is checked
for every store by the parametrised suites in test_catalog_store.py, test_catalog_vectors.py
and test_catalog_importers.py. Servers: tests/pg_servers.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

from scholarflow.catalog.copy import catalog_digest
from scholarflow.catalog.store import SQLiteCatalogStore, open_catalog
from scholarflow.models import CatalogEntry

from conftest import ROOT, raw_sql, run_cli
from serve_process import ServeProcess

BUILTIN_COUNT = 12


def _env(**extra: str) -> dict[str, str]:
    src = str(ROOT / "src")
    python_path = os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": python_path, **extra}


def _error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The whole of stderr, which must be one line without a traceback."""
    text = result.stderr.decode()
    assert "Traceback" not in text, text
    assert text.count("\n") == 1, text
    return text


# --------------------------------------------------------------------------- errors


def test_an_unreachable_server_is_one_line_and_exit_4(tmp_path):
    listing = tmp_path / "list.jsonl"
    listing.write_text('{"title": "A paper nobody stores"}\n', encoding="utf-8")
    url = "postgresql://scholarflow@127.0.0.1:1/catalog"  # port 1: nothing listens
    result = run_cli("--catalog", url, "catalog", "import", str(listing))
    line = _error_line(result)
    assert result.returncode == 4
    assert line.startswith(f"scholarflow: error: {url}: cannot connect")


def test_a_bad_url_is_bad_input_and_hides_the_password():
    result = run_cli("catalog", "list", "--catalog", "postgresql://me:s3cret@host:notaport/db")
    line = _error_line(result)
    assert result.returncode == 2
    assert "not a PostgreSQL URL" in line and "s3cret" not in line


def test_a_missing_database_is_a_backend_error(pg_server):
    server = pg_server("postgres")
    result = run_cli("catalog", "list", "--catalog", server.url("no_such_catalog"))
    line = _error_line(result)
    assert result.returncode == 4
    assert 'database "no_such_catalog" does not exist' in line


def test_a_required_but_missing_vector_extension_is_exit_4_and_writes_nothing(pg_server):
    """Debian's server here has no pgvector: asking for it must fail, not fall back."""
    url = pg_server("postgres").new_database()
    with open_catalog(url) as store:
        assert store.vector_index == "memory"  # auto: the exact in-memory index
        before = catalog_digest(store)
    result = subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", "catalog", "add", "--catalog", url,
         "--title", "A paper that must not land"],
        capture_output=True, timeout=60, cwd=ROOT,
        env=_env(SCHOLARFLOW_VECTOR_INDEX="pgvector"),
    )  # fmt: skip
    line = _error_line(result)
    assert result.returncode == 4
    assert "vector extension cannot be created" in line
    with open_catalog(url) as store:
        assert catalog_digest(store) == before


# --------------------------------------------------------------------------- nearest neighbours


def test_pgvector_hnsw_finds_what_the_exact_index_finds(pg_server):
    from scholarflow.embeddings import MODEL_ID
    from scholarflow.retrieval import load_dense_index

    url = pg_server("pgvector").new_database()
    rng = np.random.default_rng(7)
    entries = [
        CatalogEntry(id=f"v{n}", name=f"V{n}", title=f"Vector paper {n}") for n in range(300)
    ]
    matrix = rng.normal(size=(300, 384)).astype("<f4")
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    with open_catalog(url) as store:
        assert store.vector_index == "pgvector"
        store.upsert_many(entries)
        rows = [(f"v{n}", "h", matrix[n].tobytes(), 384) for n in range(300)]
        store.put_embeddings(MODEL_ID, rows)
        exact = load_dense_index(store)
        for probe in range(5):
            query = matrix[probe * 37] + 0.3 * rng.normal(size=384).astype("<f4")
            query /= np.linalg.norm(query)
            scores = exact.matrix @ query
            best = [exact.ids[i] for i in np.argsort(-scores)[:10]]
            found = store.nearest(MODEL_ID, query.tolist(), 10)
            assert [entry_id for entry_id, _ in found] == best
            assert found[0][1] == pytest.approx(float(scores.max()), abs=1e-5)


# --------------------------------------------------------------------------- copy


def _fill(store, tmp_path: Path) -> None:
    """A catalog with a bit of everything a copy must keep."""
    from scholarflow.embeddings import MODEL_ID

    entries = [
        CatalogEntry(id="", name=f"Copy{n}", title=f"Copied paper {n}", summary="Depth. " * n,
                     paper_url=f"https://arxiv.org/abs/2409.{n:05d}", tags=("copy", f"t{n}"))
        for n in range(1, 40)
    ]  # fmt: skip
    ids = store.upsert_many(entries).ids
    store.remove("toon3d")  # a removed built-in
    store.upsert_many([CatalogEntry(id="", name="Mine", title="DepthCrafter mine",
                                    paper_url="https://arxiv.org/abs/2409.02095")])  # fmt: skip
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(len(ids), 384)).astype("<f4")
    store.put_embeddings(
        MODEL_ID, [(i, f"h{i}", v.tobytes(), 384) for i, v in zip(ids, vectors, strict=True)]
    )
    store.put_embeddings("other-model", [(ids[0], "x", b"\x00" * 8, 2)])


@pytest.mark.parametrize("kind", ["postgres", "pgvector"])
def test_copy_sqlite_to_postgres_and_back_keeps_everything(kind, pg_server, tmp_path):
    first, back = tmp_path / "first.db", tmp_path / "back.db"
    url = pg_server(kind).new_database()
    with SQLiteCatalogStore(first) as store:
        _fill(store, tmp_path)
        original = catalog_digest(store)
        listing = [entry.model_dump() for entry in store.entries()]
    assert original.entries == BUILTIN_COUNT - 1 + 39 and original.vectors == 40

    there = run_cli("catalog", "copy", str(first), url)
    assert there.returncode == 0, there.stderr.decode()
    assert f"hash {original.sha256[:16]} match" in there.stdout.decode()
    with open_catalog(url) as store:
        assert catalog_digest(store) == original
        assert [entry.model_dump() for entry in store.entries()] == listing
        assert store.removed_builtin_ids() == {"toon3d"}
        assert (
            store.search_text("copied paper 7")[0][0]
            == listing[[e["title"] for e in listing].index("Copied paper 7")]["id"]
        )

    home = run_cli("catalog", "copy", url, str(back))
    assert home.returncode == 0, home.stderr.decode()
    with SQLiteCatalogStore(back) as store:
        assert catalog_digest(store) == original
    with SQLiteCatalogStore(back) as store:  # reopening reseeds nothing removed or changed
        assert catalog_digest(store) == original


def test_copy_refuses_a_target_with_entries_of_its_own(pg_server, tmp_path):
    url = pg_server("postgres").new_database()
    source = tmp_path / "source.db"
    with SQLiteCatalogStore(source) as store:
        _fill(store, tmp_path)
        wanted = catalog_digest(store)
    with open_catalog(url) as target:
        target.upsert_many([CatalogEntry(id="", name="Theirs", title="Their own paper")])
        theirs = catalog_digest(target)
    refused = run_cli("catalog", "copy", str(source), url)
    assert refused.returncode == 2
    assert "holds 1 entries or removals of its own" in _error_line(refused)
    with open_catalog(url) as target:
        assert catalog_digest(target) == theirs  # nothing lost
    replaced = run_cli("catalog", "copy", str(source), url, "--replace")
    assert replaced.returncode == 0, replaced.stderr.decode()
    with open_catalog(url) as target:
        assert catalog_digest(target) == wanted


# --------------------------------------------------------------------------- concurrency

# Entries are built from the lines directly: the importers' parsing (about 20 ms an entry
# for title-only lines, inferring tasks) would make the two imports hardly overlap in time.
_IMPORT_WHEN_TOLD = """
import json, sys, time
from pathlib import Path
from scholarflow.catalog.store import open_catalog
from scholarflow.models import CatalogEntry, Provenance

location, source, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
entries = [
    CatalogEntry(id="", name=row["title"].split(":")[0], title=row["title"],
                 paper_url=row.get("paper_url"), provenance=Provenance(origin=str(source), line=n))
    for n, row in enumerate(map(json.loads, source.read_text().splitlines()), 1)
]
with open_catalog(location) as store:
    print("READY", flush=True)
    while not go.exists():
        time.sleep(0.005)
    report = store.upsert_many(entries, keep_builtins=True)
print(report.added, report.updated, report.unchanged, flush=True)
"""


def _paper_line(n: int) -> str:
    # Every third paper has no arXiv id: those are matched by title, the harder case.
    row: dict[str, object] = {"title": f"Overlap paper {n}: depth that holds over time"}
    if n % 3:
        row["paper_url"] = f"https://arxiv.org/abs/2510.{n:05d}"
    return json.dumps(row) + "\n"


def test_two_processes_importing_overlapping_files_lose_and_double_nothing(
    catalog_location, tmp_path
):
    first, second, go = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "go"
    first.write_text("".join(_paper_line(n) for n in range(0, 1500)), encoding="utf-8")
    second.write_text("".join(_paper_line(n) for n in range(700, 2200)), encoding="utf-8")
    with open_catalog(catalog_location):
        pass  # schema and built-ins in place, so both processes race on the entries alone
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _IMPORT_WHEN_TOLD, str(catalog_location), str(path), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=ROOT,
        )
        for path in (first, second)
    ]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "READY"
        go.touch()
        outputs = [child.communicate(timeout=300) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    for child, (_, stderr) in zip(children, outputs, strict=True):
        assert child.returncode == 0, stderr
    reports = [tuple(int(x) for x in out.split()) for out, _ in outputs]
    assert all(sum(report) == 1500 for report in reports)
    assert sum(report[0] for report in reports) == 2200  # each paper added exactly once
    with open_catalog(catalog_location) as store:
        assert store.count() == BUILTIN_COUNT + 2200
        titles = [entry.title for entry in store.entries() if not entry.builtin]
        assert sorted(titles) == sorted(f"Overlap paper {n}: depth that holds over time"
                                        for n in range(2200))  # fmt: skip
        keys = raw_sql(
            store, "SELECT count(DISTINCT key) AS k, count(DISTINCT title_key) AS t FROM entries"
        )
        assert keys[0] == (BUILTIN_COUNT + 2200, BUILTIN_COUNT + 2200)


# --------------------------------------------------------------------------- two servers


def _found_ids(client: httpx.Client, base: str, words: str) -> list[str]:
    response = client.get(f"{base}/api/catalog/search", params={"q": words, "limit": 5})
    assert response.status_code == 200, response.text
    return [hit["entry_id"] for hit in response.json()]


@pytest.mark.parametrize("kind", ["postgres", "pgvector"])
def test_two_servers_on_one_catalog_see_each_others_new_entries_within_a_second(
    kind, pg_server, tmp_path
):
    url = pg_server(kind).new_database()
    python_path = _env()["PYTHONPATH"]
    servers = [
        ServeProcess(
            tmp_path / f"home{n}",
            args=["--catalog", url],
            env={"PYTHONPATH": python_path, "SCHOLARFLOW_SERVER_TOKEN": ""},
        )
        for n in (1, 2)
    ]
    try:
        bases = [server.wait_for_url(90) for server in servers]
        with httpx.Client(timeout=60) as client:
            for base in bases:  # the first search embeds the built-ins: not what is timed
                assert "depthcrafter" in _found_ids(client, base, "consistent video depth")
            title = "Quokkaflow: depth for marsupial videos"
            added = run_cli("catalog", "add", "--catalog", url, "--title", title)
            assert added.returncode == 0, added.stderr.decode()
            added_at = time.monotonic()
            seen: dict[str, float] = {}
            while len(seen) < 2 and time.monotonic() - added_at < 5:
                for base in bases:
                    if base not in seen and any(
                        hit.startswith("quokkaflow")
                        for hit in _found_ids(client, base, "quokkaflow")
                    ):
                        seen[base] = time.monotonic() - added_at
                time.sleep(0.02)
    finally:
        for server in servers:
            server.stop()
    assert set(seen) == set(bases), f"found only through {sorted(seen)}"
    assert max(seen.values()) < 1.0, seen


@pytest.mark.parametrize("kind", ["postgres", "pgvector"])
def test_opening_and_reading_never_wait_for_a_writer(kind, pg_server):
    """A server starting (or a search) while another process imports must not queue behind
    the import's write lock: only writers take it."""
    import psycopg

    from scholarflow.catalog.postgres import _WRITE_LOCK

    url = pg_server(kind).new_database()
    with open_catalog(url):
        pass  # migrated and seeded: later opens have nothing to write
    with psycopg.connect(url, autocommit=True) as writer:
        writer.execute("SELECT pg_advisory_lock(%s)", (_WRITE_LOCK,))  # as a long import holds
        started = time.monotonic()
        with open_catalog(url) as store:
            assert store.search_text("consistent depth video")[0][0] == "depthcrafter"
            assert store.count() == BUILTIN_COUNT
        assert time.monotonic() - started < 5
        writer.execute("SELECT pg_advisory_unlock(%s)", (_WRITE_LOCK,))
