"""The stored vectors of the taxonomy's texts are the vectors of the texts as they are now."""

from __future__ import annotations

import pytest

from scholarflow import taxonomy


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


def test_a_paper_title_is_read_against_paper_phrases_not_user_requests():
    from scholarflow.understanding import SOURCE_INDEX

    assert SOURCE_INDEX is taxonomy.PAPERS
