"""The stored vectors of the taxonomy's texts are the vectors of the texts as they are now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from scholarflow import taxonomy
from scholarflow.evaluation.cases import load_case, question_of


@pytest.mark.parametrize("index", taxonomy.INDEXES, ids=lambda index: index.name)
def test_stored_vectors_were_made_from_the_current_texts(index):
    # After editing tasks.toml, examples.toml or paper_phrases.toml, run
    # `.venv/bin/python scripts/embed_taxonomy.py`.
    assert taxonomy.stored_vectors_current(index), (
        f"{index.vectors_file} is stale: run scripts/embed_taxonomy.py"
    )


@pytest.mark.parametrize("index", taxonomy.INDEXES, ids=lambda index: index.name)
def test_every_task_has_texts_in_every_index(index):
    entries = taxonomy.index_entries(index)
    assert set(entries) == set(taxonomy.tasks())
    assert all(len(texts) >= 8 for texts in entries.values())


def test_stored_vectors_of_other_fields_were_made_from_the_current_phrases():
    # After editing a `title` list of lexicon/other_jobs.toml or an `about` line of
    # lexicon/fields.toml, run
    # `.venv/bin/python scripts/embed_taxonomy.py`.
    from scholarflow import other_fields

    assert other_fields.stored_vectors_current(), (
        f"lexicon/{other_fields.VECTORS_FILE} is stale: run scripts/embed_taxonomy.py"
    )


def test_a_paper_title_is_read_against_paper_phrases_not_user_requests():
    from scholarflow.understanding import SOURCE_INDEX

    assert SOURCE_INDEX is taxonomy.PAPERS


# --- the evaluation's development questions as example requests ------------------------------

_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "collect_dev_requests.py"


def _collector():
    spec = importlib.util.spec_from_file_location("collect_dev_requests", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _every_case_file() -> list[Path]:
    return sorted(_collector().EVALUATION.rglob("*.toml"))


def test_dev_requests_hold_no_held_out_question_and_no_hostile_one():
    """The meaning signal may learn from the dev halves only: a held-out question among the
    example requests would make the held-out figure measure the file, not the reading."""
    collector = _collector()
    stored = {
        text for texts in taxonomy.index_entries(taxonomy.REQUESTS).values() for text in texts
    }
    held_out = [p for p in _every_case_file() if "heldout" in p.parts]
    assert len(held_out) > 400  # every set's held-out half is checked, not none of them
    for path in held_out:
        case = load_case(path)
        assert question_of(case) not in stored, path
    for path in collector.tuning_case_files():
        case = load_case(path)
        if "hostile" in case.tags:
            assert question_of(case) not in stored, path


def test_a_set_kept_for_a_later_round_lends_no_question(tmp_path):
    """A set whose README says neither half has been run stays blind, dev half and all."""
    collector = _collector()
    for name, readme in (
        ("later", collector.NOT_YET_RUN[0]),
        ("held_out_run_early", collector.NOT_YET_RUN[1]),
        ("taken_up", "tuned on"),
    ):
        (tmp_path / name / "dev").mkdir(parents=True)
        (tmp_path / name / "heldout").mkdir()
        (tmp_path / name / "dev" / "a.toml").write_text("", encoding="utf-8")
        (tmp_path / name / "README.md").write_text(f"# {name}\n\n{readme}\n", encoding="utf-8")
    files = collector.tuning_case_files(tmp_path)
    assert [p.parent.parent.name for p in files] == ["taken_up"]


def test_dev_requests_are_what_the_script_collects_now():
    # After a new set's dev half lands, run scripts/collect_dev_requests.py, then
    # scripts/embed_taxonomy.py.
    collector = _collector()
    fresh = collector.render(collector.collect(collector.tuning_case_files()))
    assert collector.TARGET.read_text(encoding="utf-8") == fresh, (
        "taxonomy/dev_requests.toml is stale: run scripts/collect_dev_requests.py"
    )


def test_the_request_index_reads_the_examples_then_the_dev_requests():
    from scholarflow import data_files

    entries = taxonomy.index_entries(taxonomy.REQUESTS)
    written = data_files.load_toml("scholarflow.taxonomy", "examples.toml")
    collected = data_files.load_toml("scholarflow.taxonomy", "dev_requests.toml")
    for task_id, texts in entries.items():
        mine = tuple(written.get(task_id, {}).get("examples", ()))
        theirs = tuple(collected.get(task_id, {}).get("examples", ()))
        assert texts == mine + theirs
    assert sum(len(v.get("examples", ())) for v in collected.values()) > 400
