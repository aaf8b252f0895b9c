"""Linear time, bounded work: how the answer's cost grows with the request and its text.

- Sources: one answer to a request with N recommended models and M related papers (synthetic,
  titles only or a short summary each), called through the Python API so that the 64-source
  limit a prompt or JSON request is held to (models.MAX_SOURCES) does not stop it. The cost
  per source should stay flat as N grows (no work quadratic in the number of sources).
- Over the limit: parsing a prompt that lists N sources, refused (exit 2).
- Pathological text: a 20 KB run of "a.a.a." (which made the old URL matcher backtrack for
  26 s) as a question, and as an LLM writer's slot through the screen.

    .venv/bin/python benchmarks/bench_scale.py

A benchmark, not a test: it prints what it measured and exits 0 unless a run fails.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from scholarflow.engine import answer, prepare
from scholarflow.errors import PromptFormatError
from scholarflow.grounding import sanitize_question
from scholarflow.models import Request, Source
from scholarflow.prompt_format import parse_prompt
from scholarflow.text import link_spans, mask_quoted
from scholarflow.writers.llm import SlotReader

QUESTION = "My clip became a depth video that never flickers. How does it stay so steady?"
WORDS = ("Depth", "Video", "Temporal", "Diffusion", "Stable", "Consistent", "Long", "Open")


def _source(number: int, role: str) -> Source:
    words = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(4))
    return Source(
        id=f"s{number}",
        name=f"Model{number}",
        title=f"Model{number}: {words} Estimation for Clips",
        summary=None if number % 2 else f"Model{number} predicts depth for every frame together.",
        role=role,  # type: ignore[arg-type]
        kind="model" if role == "recommended" else "paper",
    )


def _request(recommended: int, related: int) -> Request:
    sources = [_source(i, "recommended") for i in range(1, recommended + 1)]
    sources += [_source(i, "related") for i in range(recommended + 1, recommended + related + 1)]
    return Request(
        question=QUESTION,
        recommended=tuple(sources[:recommended]),
        related=tuple(sources[recommended:]),
    )


def _seconds(work: Callable[[], object], repeat: int = 1) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _prompt(count: int) -> str:
    entries = "\n".join(f"Model: Model{i}: Depth Paper\nPaper: None\n" for i in range(count))
    return (
        f'A user has asked the following question:\n"{QUESTION}"\n\n'
        f"### Recommended AI Models:\n{entries}\n"
    )


def main() -> int:
    answer(_request(1, 1))  # warm: the embedding model, the taxonomy, caches
    print("sources (recommended + related)   answer       per source")
    for recommended, related in ((1, 3), (100, 0), (1000, 0), (3000, 0), (1, 200), (1, 2000)):
        request = _request(recommended, related)
        seconds = _seconds(lambda request=request: answer(request))
        total = recommended + related
        print(
            f"  {recommended:>5} + {related:<5}                  {seconds:8.2f} s   "
            f"{1000 * seconds / total:6.2f} ms"
        )
    print("\nprompt over the limit, parsed and refused")
    for count in (100, 1000, 3000):
        text = _prompt(count)

        def refuse(text: str = text) -> None:
            try:
                parse_prompt(text)
            except PromptFormatError:
                return
            raise AssertionError("a prompt over the limit was accepted")

        print(f"  {count:>5} sources                      {_seconds(refuse, 3) * 1000:8.2f} ms")

    pathological = "a." * 10_000  # 20 KB
    request = Request(question=pathological, recommended=(_source(1, "recommended"),))
    prepared = prepare(_request(1, 3))
    screen = prepared.screen
    rows = [
        ("link scan", lambda: link_spans(pathological), 5),
        ("question echo", lambda: sanitize_question(pathological), 5),
        ("whole answer to it", lambda: answer(request), 1),
        ("screened as an LLM slot", lambda: screen.prose_problems(pathological, "mechanism"), 3),
    ]
    print("\n20 KB of 'a.a.a.'")
    for label, work, repeat in rows:
        print(f"  {label:<34} {_seconds(work, repeat) * 1000:8.2f} ms")
    reply = '{"task": "' + pathological + '", "mechanism": "' + pathological + '"}'

    def read() -> None:
        reader = SlotReader(prepared.brief, lambda key, text: None)
        for index in range(0, len(reply), 7):  # as a stream, seven characters at a time
            reader.feed(reply[index : index + 7])
        reader.close()

    print(f"  {'40 KB reply read as a stream':<34} {_seconds(read, 3) * 1000:8.2f} ms")
    quotes = " 'a" * 10_000 + "'" + "word " * 10_000  # 80 KB: unclosed quotes, then words
    print("\n80 KB of unclosed quotes")
    masking = _seconds(lambda: mask_quoted(quotes), 3) * 1000
    print(f"  {'quoted passages masked':<34} {masking:8.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
