"""The parsed data files kept beside the package (scholarflow/data_files.py): same data as the
TOML, never stale, never half-read, and no trouble where they cannot be written."""

from __future__ import annotations

import gzip
import importlib
import sys
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from scholarflow import data_files


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A throwaway package `sfdata_probe` on disk with one TOML file and one gzip file."""
    folder = tmp_path / "sfdata_probe"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "data.toml").write_text('[thing]\nname = "first"\nsizes = [1, 2]\n')
    (folder / "words.txt.gz").write_bytes(gzip.compress(b"alpha\nbeta\n"))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    importlib.invalidate_caches()
    data_files._toml_as_json.cache_clear()
    yield folder
    data_files._toml_as_json.cache_clear()
    sys.modules.pop("sfdata_probe", None)


def _caches(folder: Path, suffix: str) -> list[Path]:
    return sorted((folder / "__pycache__").glob(f"*.{suffix}"))


@pytest.mark.parametrize(
    ("package_name", "name"),
    [
        ("scholarflow.taxonomy", "tasks.toml"),
        ("scholarflow.taxonomy", "examples.toml"),
        ("scholarflow.lexicon", "subjects.toml"),
        ("scholarflow.locale", "messages.toml"),
        ("scholarflow.catalog", "builtin.toml"),
    ],
)
def test_the_package_data_reads_as_the_toml_says(package_name: str, name: str) -> None:
    with resources.files(package_name).joinpath(name).open("rb") as handle:
        expected = tomllib.load(handle)
    assert data_files.load_toml(package_name, name) == expected


def test_a_change_to_what_was_loaded_does_not_reach_the_next_caller(package: Path) -> None:
    first = data_files.load_toml("sfdata_probe", "data.toml")
    first["thing"]["name"] = "changed"
    assert data_files.load_toml("sfdata_probe", "data.toml")["thing"]["name"] == "first"


def test_the_parsed_form_is_kept_and_then_used(package: Path) -> None:
    assert data_files.load_toml("sfdata_probe", "data.toml") == {
        "thing": {"name": "first", "sizes": [1, 2]}
    }
    (kept,) = _caches(package, "json")
    # What is kept is what is served: a new process (no in-memory copy) reads the cache.
    kept.write_text('{"thing": {"name": "from the cache"}}', encoding="utf-8")
    data_files._toml_as_json.cache_clear()
    assert data_files.load_toml("sfdata_probe", "data.toml")["thing"]["name"] == "from the cache"


def test_an_edited_file_is_read_again_and_the_old_cache_dropped(package: Path) -> None:
    data_files.load_toml("sfdata_probe", "data.toml")
    (old,) = _caches(package, "json")
    (package / "data.toml").write_text('[thing]\nname = "second"\n')
    data_files._toml_as_json.cache_clear()
    assert data_files.load_toml("sfdata_probe", "data.toml") == {"thing": {"name": "second"}}
    (new,) = _caches(package, "json")
    assert new != old and not old.exists()


@pytest.mark.parametrize("damage", ['{"thing": {"na', "", "\xff not json"])
def test_a_damaged_cache_is_ignored_and_written_again(package: Path, damage: str) -> None:
    data_files.load_toml("sfdata_probe", "data.toml")
    (kept,) = _caches(package, "json")
    kept.write_text(damage, encoding="utf-8")
    data_files._toml_as_json.cache_clear()
    assert data_files.load_toml("sfdata_probe", "data.toml")["thing"]["name"] == "first"
    assert kept.read_text(encoding="utf-8") != damage


def test_nothing_is_written_where_bytecode_is_not(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert data_files.load_toml("sfdata_probe", "data.toml")["thing"]["name"] == "first"
    assert data_files.gunzipped_text("sfdata_probe", "words.txt.gz") == "alpha\nbeta\n"
    assert not (package / "__pycache__").exists()


def test_a_folder_that_cannot_be_written_still_gives_the_data(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(data_files.tempfile, "mkstemp", refuse)
    assert data_files.load_toml("sfdata_probe", "data.toml")["thing"]["sizes"] == [1, 2]
    assert _caches(package, "json") == []


def test_the_gzip_text_is_kept_decompressed(package: Path) -> None:
    assert data_files.gunzipped_text("sfdata_probe", "words.txt.gz") == "alpha\nbeta\n"
    (kept,) = _caches(package, "txt")
    assert kept.read_text(encoding="utf-8") == "alpha\nbeta\n"


def test_writing_all_covers_every_data_file_of_the_runtime_packages() -> None:
    written = data_files.write_all()
    assert "scholarflow.taxonomy/tasks.toml" in written
    assert "scholarflow.lexicon/english_words.txt.gz" in written
    on_disk = {
        f"{package}/{path.name}"
        for package in ("scholarflow.taxonomy", "scholarflow.lexicon", "scholarflow.locale")
        for path in Path(str(resources.files(package))).iterdir()
        if path.name.endswith((".toml", ".txt.gz"))
    }
    assert on_disk <= set(written)


def test_the_json_schema_lists_every_modality_of_the_taxonomy() -> None:
    # a modality the taxonomy gains ("annotation") must be one the published schema allows
    import json

    from scholarflow import taxonomy

    schema = json.loads(
        resources.files("scholarflow.schema").joinpath("answer-v1.schema.json").read_text()
    )
    assert set(schema["$defs"]["modality"]["enum"]) == set(taxonomy.modalities())
