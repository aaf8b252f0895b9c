"""Embed the taxonomy's task descriptions with the example requests (task_vectors.npz), with
the paper-style phrases (paper_vectors.npz), and the title phrases of other fields' jobs
(lexicon/other_job_vectors.npz, with the fields of lexicon/fields.toml).

Run after editing taxonomy/tasks.toml, examples.toml, paper_phrases.toml or the `title`
lists of lexicon/other_jobs.toml (tests/test_taxonomy_vectors.py fails until you do):

    .venv/bin/python scripts/embed_taxonomy.py

The vectors are stored as float16 (half the size; the cosines move by less than 1e-3) with a
hash of the texts and the model, so a stale file is never used.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np

from scholarflow import other_fields, taxonomy
from scholarflow.embeddings import get_embedder


def main() -> int:
    embedder = get_embedder()
    for index in taxonomy.INDEXES:
        target = Path(taxonomy.__file__).with_name(index.vectors_file)
        texts = taxonomy.index_texts(index)
        vectors = embedder.embed([text for _, text in texts])
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, vectors=vectors.astype(np.float16), hash=np.array(taxonomy.index_hash(index))
        )
        target.write_bytes(buffer.getvalue())
        print(f"wrote {len(texts)} vectors to {target} ({target.stat().st_size:,} bytes)")
    target = Path(other_fields.__file__).with_name("lexicon") / other_fields.VECTORS_FILE
    vectors = other_fields.embed_phrases(embedder)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer, vectors=vectors.astype(np.float16), hash=np.array(other_fields.phrases_hash())
    )
    target.write_bytes(buffer.getvalue())
    print(f"wrote {len(vectors)} vectors to {target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
