"""The catalog stores: built-ins, upserts by key, search, embeddings, migrations, crashes.

Every test that takes `catalog_location` (or `store`) runs against each store in
conftest.CATALOG_BACKENDS: SQLite, PostgreSQL without pgvector, PostgreSQL with pgvector.
The few that check one engine's own mechanics (WAL mode, a file that is no database) say so.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from scholarflow.catalog import builtin_entries
from scholarflow.catalog.importers import read_entries, select_entries
from scholarflow.catalog.store import (
    MIGRATIONS,
    CatalogStore,
    SQLiteCatalogStore,
    UpsertReport,
    default_catalog_path,
    derive_entry_id,
    entry_key,
    open_catalog,
)
from scholarflow.models import CatalogEntry, Provenance

from conftest import raw_sql

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
BUILTIN_COUNT = 12


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "home" / "catalog.db"


@pytest.fixture
def store(catalog_location: Path | str):
    with open_catalog(catalog_location) as opened:
        yield opened


def snapshot(store: CatalogStore) -> list[dict[str, object]]:
    """Every row as plain data, in listing order: what "unchanged" is checked against."""
    return [entry.model_dump() for entry in store.entries()]


def import_fixture(store: CatalogStore, name: str) -> UpsertReport:
    entries, _ = select_entries(read_entries(FIXTURES / name), skip_bad=True)
    return store.upsert_many(entries)


def paper(title: str, paper_url: str | None = None, **fields: object) -> CatalogEntry:
    return CatalogEntry(
        id="",
        name=str(fields.pop("name", title)),
        title=title,
        paper_url=paper_url,
        provenance=Provenance(origin="test", line=1),
        **fields,
    )


# --------------------------------------------------------------------------- location


def test_default_path_lives_under_scholarflow_home(monkeypatch, tmp_path):
    monkeypatch.setenv("SCHOLARFLOW_HOME", str(tmp_path / "sf-home"))
    assert default_catalog_path() == tmp_path / "sf-home" / "catalog.db"
    with SQLiteCatalogStore() as opened:
        assert Path(opened.path).is_file()
        assert opened.count() == BUILTIN_COUNT


def test_open_uses_wal_and_foreign_keys(db_path):  # SQLite's own mechanics
    with SQLiteCatalogStore(db_path) as store:
        assert db_path.is_file()  # parent directories were created
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_file_that_is_not_a_database_is_a_configuration_error(tmp_path):
    from scholarflow.errors import ConfigurationError

    bogus = tmp_path / "catalog.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigurationError, match="cannot open the catalog"):
        SQLiteCatalogStore(bogus)


# --------------------------------------------------------------------------- migrations


def _migration_rows(location: Path | str) -> list[tuple[object, ...]]:
    with open_catalog(location) as store:
        return raw_sql(store, "SELECT name, applied_at FROM _migrations ORDER BY name")


def test_migrations_apply_once(catalog_location):
    first = _migration_rows(catalog_location)
    # Both engines name their steps alike, so a catalog's history reads the same in either.
    assert [name for name, _ in first] == [step.__name__ for step in MIGRATIONS]
    assert _migration_rows(catalog_location) == first
    assert _migration_rows(catalog_location) == first


# --------------------------------------------------------------------------- built-ins


def test_builtins_are_present_on_first_use(store):
    assert store.count() == BUILTIN_COUNT
    entries = list(store.entries())
    assert [entry.id for entry in entries] == [source.id for source in builtin_entries()]
    assert all(entry.builtin for entry in entries)
    depthcrafter = store.get("depthcrafter")
    assert depthcrafter is not None
    assert depthcrafter.arxiv_id == "2409.02095"
    assert "video depth" in depthcrafter.tags
    assert depthcrafter.signatures[0].outputs == ("depth_video",)
    assert store.find_by_key("arxiv:2409.02095") == depthcrafter


def test_removed_builtin_stays_removed_after_reopening(catalog_location):
    with open_catalog(catalog_location) as first:
        assert first.remove("depthcrafter") is True
        assert first.remove("depthcrafter") is False
        assert first.count() == BUILTIN_COUNT - 1
    with open_catalog(catalog_location) as again:
        assert again.get("depthcrafter") is None
        assert again.count() == BUILTIN_COUNT - 1
        # Even a new package version of the built-ins (a reseed) does not bring it back.
        raw_sql(again, "DELETE FROM meta WHERE key = 'builtin_version'")
    with open_catalog(catalog_location) as reseeded:
        assert reseeded.get("depthcrafter") is None
        assert reseeded.count() == BUILTIN_COUNT - 1


def test_user_entry_with_a_builtin_key_overrides_it(catalog_location):
    mine = paper(
        "DepthCrafter (my annotated copy)",
        "https://arxiv.org/abs/2409.02095",
        summary="My own notes on how the depth stays consistent.",
    )
    with open_catalog(catalog_location) as first:
        report = first.upsert_many([mine])
        assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
        assert report.ids == ("depthcrafter",)  # updated in place: the id stays
        assert first.count() == BUILTIN_COUNT
        raw_sql(first, "DELETE FROM meta WHERE key = 'builtin_version'")  # force a reseed
    with open_catalog(catalog_location) as again:
        entry = again.get("depthcrafter")
        assert entry is not None
        assert entry.builtin is False
        assert entry.title == "DepthCrafter (my annotated copy)"
        assert entry.summary == "My own notes on how the depth stays consistent."
        assert entry.github_url == "https://github.com/Tencent/DepthCrafter"  # kept: not given
        assert entry.imported_at is not None


def test_an_import_never_demotes_a_builtin_and_may_only_add_links_it_lacks(
    catalog_location, tmp_path
):
    listing = tmp_path / "list.md"
    listing.write_text(
        "## Depth\n\n"
        "- [DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos]"
        "(https://arxiv.org/abs/2409.02095) [code](https://github.com/someone/fork) "
        "[project](https://depthcrafter.github.io/) - A depth paper we liked a lot this year.\n",
        encoding="utf-8",
    )
    with open_catalog(catalog_location) as store:
        before = store.get("depthcrafter")
        assert before is not None and before.project_url is None
        entries, _ = select_entries(read_entries(listing))
        report = store.upsert_many(entries, keep_builtins=True)
        assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
        after = store.get("depthcrafter")
        assert after is not None
        assert after.project_url == "https://depthcrafter.github.io/"  # a link it lacked
        unchanged = after.model_copy(update={"project_url": None, "imported_at": None})
        assert unchanged == before.model_copy(update={"imported_at": None})
        assert (after.kind, after.builtin, after.tags) == ("model", True, before.tags)
        assert (after.tasks, after.signatures) == (before.tasks, before.signatures)
        assert after.github_url == "https://github.com/Tencent/DepthCrafter"  # not the fork
        again = store.upsert_many(entries, keep_builtins=True)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
        raw_sql(store, "DELETE FROM meta WHERE key = 'builtin_version'")  # force a reseed
    with open_catalog(catalog_location) as reopened:
        reseeded = reopened.get("depthcrafter")
        assert reseeded is not None and reseeded.project_url == "https://depthcrafter.github.io/"


def test_builtins_refresh_when_the_package_changes_them(catalog_location):
    with open_catalog(catalog_location) as first:
        raw_sql(first, "UPDATE entries SET summary = 'stale' WHERE id = 'camco'")
        raw_sql(first, "DELETE FROM meta WHERE key = 'builtin_version'")
    with open_catalog(catalog_location) as again:
        camco = again.get("camco")
        assert camco is not None and camco.summary != "stale"
        assert again.search_text("stale") == []  # the FTS index followed the update


# --------------------------------------------------------------------------- upserts


def test_same_paper_as_abs_and_pdf_link_and_other_title_case_is_one_row(store):
    first = paper("Lighting Transfer for Portraits", "https://arxiv.org/abs/2501.00001")
    second = paper(
        "LIGHTING TRANSFER FOR PORTRAITS",
        "https://arxiv.org/pdf/2501.00001v2",
        github_url="https://github.com/example/relight",
    )
    report = store.upsert_many([first, second])
    assert (report.added, report.updated, report.unchanged) == (1, 1, 0)
    assert report.ids[0] == report.ids[1]
    merged = store.get(report.ids[0])
    assert merged is not None
    assert merged.arxiv_id == "2501.00001"
    assert merged.paper_url == "https://arxiv.org/pdf/2501.00001v2"
    assert merged.github_url == "https://github.com/example/relight"
    assert store.count() == BUILTIN_COUNT + 1


def test_same_title_without_arxiv_merges_and_learns_the_arxiv_id(store):
    bare = paper("My Cool Paper: Depth for Everyone")
    report = store.upsert_many([bare])
    with_link = paper("my cool paper - depth for everyone", "https://arxiv.org/abs/2502.01234")
    again = store.upsert_many([with_link])
    assert (again.added, again.updated) == (0, 1)
    assert again.ids == report.ids
    assert store.find_by_key("arxiv:2502.01234") is not None
    assert store.find_by_key("title:mycoolpaperdepthforeveryone") is not None
    assert store.count() == BUILTIN_COUNT + 1


def test_same_title_with_different_arxiv_ids_stays_two_papers(store):
    store.upsert_many(
        [
            paper("Video Depth", "https://arxiv.org/abs/2401.00001"),
            paper("Video Depth", "https://arxiv.org/abs/2401.00002"),
        ]
    )
    assert store.count() == BUILTIN_COUNT + 2


def test_identical_upsert_is_unchanged_and_keeps_imported_at(store):
    entry = paper("A Stable Paper", "https://arxiv.org/abs/2403.00003", tags=("depth",))
    store.upsert_many([entry])
    before = snapshot(store)
    report = store.upsert_many([entry])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)
    assert snapshot(store) == before


def test_reimporting_a_file_changes_nothing(store):
    first = import_fixture(store, "awesome-video-depth.md")
    assert first.added > 0
    before = snapshot(store)
    again = import_fixture(store, "awesome-video-depth.md")
    assert (again.added, again.updated, again.unchanged) == (0, 0, first.total)
    assert snapshot(store) == before


def test_upsert_is_all_or_nothing(store):
    before = snapshot(store)
    entries = [
        paper(f"Paper number {n}", f"https://arxiv.org/abs/2404.{n:05d}") for n in range(600)
    ]

    def fail_midway(done: int, total: int) -> None:
        if done >= 500:
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        store.upsert_many(entries, on_progress=fail_midway)
    assert store.count() == BUILTIN_COUNT
    assert snapshot(store) == before


def test_upsert_reports_progress_to_the_end(store):
    calls: list[tuple[int, int]] = []
    entries = [paper(f"Progress paper {n}") for n in range(300)]
    store.upsert_many(entries, on_progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (300, 300)
    assert all(total == 300 for _, total in calls)


def test_imported_ids_are_readable_stable_and_unique(store):
    entry = paper("DepthCrafter Copy", "https://arxiv.org/abs/2405.00005", name="DepthCrafter Copy")
    expected = derive_entry_id("DepthCrafter Copy", entry_key(entry))
    assert expected.startswith("depthcrafter-copy-") and len(expected.rsplit("-", 1)[1]) == 6
    first = store.upsert_many([entry.model_copy(update={"id": expected})])
    assert first.ids == (expected,)
    # A different paper that asks for the same id gets a longer hash, not the other's row.
    other = paper("Another", "https://arxiv.org/abs/2405.00006").model_copy(update={"id": expected})
    second = store.upsert_many([other])
    assert second.ids[0] != expected and second.added == 1
    assert store.get(expected).title == "DepthCrafter Copy"


def test_remove_deletes_the_entry_and_its_search_rows(store):
    report = store.upsert_many([paper("Zebra Stripes Depth", "https://arxiv.org/abs/2406.00007")])
    assert store.search_text("zebra")
    assert store.remove(report.ids[0]) is True
    assert store.get(report.ids[0]) is None
    assert store.search_text("zebra") == []
    assert store.remove("no-such-entry") is False


def test_entries_keep_a_stable_order(store):
    import_fixture(store, "entries.jsonl")
    first = [entry.id for entry in store.entries()]
    store.upsert_many([paper("Phone Depth Filter", summary="Now with a longer summary text.")])
    assert [entry.id for entry in store.entries()] == first


# --------------------------------------------------------------------------- search


def test_search_finds_words_in_title_and_summary(store):
    import_fixture(store, "entries.jsonl")
    by_title = [entry_id for entry_id, _ in store.search_text("lighting portraits")]
    assert by_title and store.get(by_title[0]).title == "Lighting Transfer for Portraits"
    by_summary = [entry_id for entry_id, _ in store.search_text("phone video frame")]
    assert by_summary and store.get(by_summary[0]).name == "PhoneDepth"
    by_tag = [entry_id for entry_id, _ in store.search_text("epipolar attention")]
    assert by_tag[0] == "camco"


def test_search_scores_are_best_first_and_limited(store):
    results = store.search_text("consistent depth video", limit=3)
    assert len(results) == 3
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    assert results[0][0] == "depthcrafter"


@pytest.mark.parametrize(
    "hostile",
    ['"unbalanced', "NEAR(", "a OR", "-", "title:x", "AND", "*", "(depth", "depth)", "'", ""],
)
def test_search_survives_hostile_queries(store, hostile):
    results = store.search_text(hostile)
    assert isinstance(results, list)


def test_search_treats_syntax_words_as_words(store):
    assert store.search_text('"depth NOT video"')  # NOT is a plain word here, not an operator


# --------------------------------------------------------------------------- embeddings


def test_embeddings_round_trip_and_follow_their_entry(store):
    vector = bytes(range(16))  # four float32 values
    store.put_embeddings("mini", [("depthcrafter", "hash-1", vector, 4)])
    assert store.get_embeddings("mini") == {"depthcrafter": ("hash-1", vector)}
    store.put_embeddings("mini", [("depthcrafter", "hash-2", vector, 4)])
    assert store.get_embeddings("mini")["depthcrafter"][0] == "hash-2"
    assert store.get_embeddings("other-model") == {}
    store.remove("depthcrafter")
    assert store.get_embeddings("mini") == {}


def test_embeddings_reject_bad_rows_whole(store):
    with pytest.raises(ValueError, match="float32"):
        store.put_embeddings("mini", [("camco", "h", b"\x00" * 10, 4)])
    with pytest.raises(ValueError, match="no catalog entry"):
        store.put_embeddings("mini", [("camco", "h", b"\x00" * 16, 4), ("ghost", "h", b"", 0)])
    assert store.get_embeddings("mini") == {}  # the good row before the bad one was rolled back


# --------------------------------------------------------------------------- crashes

_IMPORT_AND_SIGNAL = """
import sys
from pathlib import Path
from scholarflow.catalog.importers import read_entries, select_entries
from scholarflow.catalog.store import open_catalog

location, source, mark_at = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
entries, _ = select_entries(read_entries(source))
marked = False

def report(done, total):
    global marked
    if not marked and done >= mark_at:
        marked = True
        print("INSIDE-TRANSACTION", flush=True)

with open_catalog(location) as store:
    store.upsert_many(entries, on_progress=report)
print("COMMITTED", flush=True)
"""


def _write_generated_jsonl(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(lines):
            row = {
                "title": f"Generated paper {n} on consistent video depth",
                "paper_url": f"https://arxiv.org/abs/{2500 + n // 90000}.{n % 90000:05d}",
                "summary": "A generated summary about depth that stays steady over long videos.",
                "tags": ["generated"],
                "tasks": ["video_depth_estimation"],
            }
            handle.write(json.dumps(row) + "\n")


def _first_line(stream, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    return lines.get(timeout=timeout)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_import_leaves_the_catalog_exactly_as_before(catalog_location, tmp_path):
    with open_catalog(catalog_location) as before_store:
        import_fixture(before_store, "entries.jsonl")
        count_before = before_store.count()
        rows_before = snapshot(before_store)
    source = tmp_path / "big.jsonl"
    _write_generated_jsonl(source, 50_000)

    src = str(Path(__file__).resolve().parents[1] / "src")
    python_path = os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
    child = subprocess.Popen(
        [sys.executable, "-c", _IMPORT_AND_SIGNAL, str(catalog_location), str(source), "10000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": python_path},
    )
    try:
        marker = _first_line(child.stdout, timeout=120)
        if isinstance(catalog_location, Path):
            # Uncommitted pages had reached the disk when the process died.
            assert Path(f"{catalog_location}-wal").stat().st_size > 0
        os.kill(child.pid, signal.SIGKILL)
        _, stderr = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert marker.strip() == "INSIDE-TRANSACTION", stderr
    assert child.returncode == -signal.SIGKILL

    if isinstance(catalog_location, Path):
        with sqlite3.connect(catalog_location) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            raw.execute("INSERT INTO entries_fts(entries_fts) VALUES ('integrity-check')")
    with open_catalog(catalog_location) as after:
        assert after.count() == count_before
        assert snapshot(after) == rows_before
        assert after.upsert_many([paper("Life Goes On", "https://arxiv.org/abs/2407.00001")]).added


def test_large_catalogs_score_only_informative_words_within_a_budget(catalog_location):
    from scholarflow.models import CatalogEntry

    entries = [
        CatalogEntry(
            id=f"e{n}",
            name=f"E{n}",
            title=f"Video study number {n}",
            summary="A video method." + (" It handles zebra stripes." if n == 7 else ""),
        )
        for n in range(1200)
    ]
    with open_catalog(catalog_location) as store:
        store.upsert_many(entries)
        # "video" is in every entry: scoring it would touch all rows and add nothing.
        assert [entry_id for entry_id, _ in store.search_text("video zebra")] == ["e7"]
        assert store.search_text("video") == []
        for entry in entries[50:]:
            store.remove(entry.id)
        # A small catalog is cheap to score whole: every word counts.
        assert len(store.search_text("video")) == 20


# --------------------------------------------------------------------------- restore, near ids


def test_restore_brings_a_removed_builtin_back_across_reopening(catalog_location):
    with open_catalog(catalog_location) as store:
        shipped = store.get("toon3d")
        assert store.remove("toon3d")
        assert store.removed_builtin_ids() == {"toon3d"}
        assert store.restore("toon3d").outcome == "restored"
        assert store.restore("toon3d").outcome == "present"
    with open_catalog(catalog_location) as store:  # reseeding must not remove it again
        assert store.get("toon3d") == shipped
        assert store.removed_builtin_ids() == frozenset()


def test_restore_leaves_a_users_entry_for_the_same_paper_alone(store):
    assert store.remove("depthcrafter")
    mine = CatalogEntry(id="", name="My DepthCrafter", title="DepthCrafter, our fork",
                        paper_url="https://arxiv.org/abs/2409.02095")  # fmt: skip
    (mine_id,) = store.upsert_many([mine]).ids
    report = store.restore("depthcrafter")
    assert (report.outcome, report.holder) == ("held", mine_id)
    assert store.get("depthcrafter") is None and "depthcrafter" in store.removed_builtin_ids()
    assert store.restore("not-a-builtin").outcome == "not_builtin"


def test_closest_ids_prefers_prefixes_then_close_spellings(store):
    extra = [CatalogEntry(id="", name=name, title=f"{name}: a paper")
             for name in ("DepthCrafter v2", "Depth Anything")]  # fmt: skip
    store.upsert_many(extra)
    assert store.closest_ids("depthc")[0] == "depthcrafter"  # shortest first
    assert store.closest_ids("depthc")[1].startswith("depthcrafter-v2-")
    assert store.closest_ids("dephtcrafter")[0] == "depthcrafter"
    assert store.closest_ids("DEPTHCRAFTER")[0] == "depthcrafter"  # case is ignored
    assert store.closest_ids("sourdough-bread") == []


def test_closest_ids_in_a_large_catalog_look_only_near_the_typed_start(store, monkeypatch):
    import scholarflow.catalog.base as base_module

    monkeypatch.setattr(base_module, "_FUZZY_SCAN_IDS", 5)  # as if the catalog were large
    assert store.closest_ids("dephtcrafter") == ["depthcrafter"]  # same first two letters
    assert store.closest_ids("xdepthcrafter") == []  # a typo up front goes unanswered
    monkeypatch.setattr(base_module, "_FUZZY_SCAN_IDS", 10_000)
    assert store.closest_ids("xdepthcrafter") == ["depthcrafter"]


def test_near_misses_ignores_chance_likeness_of_short_words():
    from scholarflow.text import near_misses

    tasks = ["video_depth_estimation", "video_to_4d", "frame_interpolation"]
    assert near_misses("video_depht", tasks, limit=1) == ["video_depth_estimation"]
    assert near_misses("dreaming", tasks) == []  # "frame_in" shares letters by chance only
    assert near_misses("VIDEO_TO", tasks) == ["video_to_4d"]
    assert near_misses("", tasks) == [] and near_misses("video", tasks, limit=0) == []
