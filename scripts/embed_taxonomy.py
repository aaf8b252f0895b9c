"""Embed the taxonomy's task descriptions and example requests into task_vectors.npz.

Run after editing taxonomy/tasks.toml or taxonomy/examples.toml (tests/test_taxonomy.py fails
until you do):

    .venv/bin/python scripts/embed_taxonomy.py

The vectors are stored as float16 (half the size; the cosines move by less than 1e-3) with a
hash of the texts and the model, so a stale file is never used.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np

from scholarflow import taxonomy
from scholarflow.embeddings import get_embedder

TARGET = Path(taxonomy.__file__).with_name(taxonomy.VECTORS_FILE)


def main() -> int:
    texts = taxonomy.example_texts()
    vectors = get_embedder().embed([text for _, text in texts])
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer, vectors=vectors.astype(np.float16), hash=np.array(taxonomy.examples_hash())
    )
    TARGET.write_bytes(buffer.getvalue())
    print(f"wrote {len(texts)} vectors to {TARGET} ({TARGET.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
