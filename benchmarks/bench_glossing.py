"""The English gloss's cost (glossing.py), and that it grows linearly with the question.

For each glossed language, a question of that language repeated 1, 10 and 100 times is glossed;
the figure is the median time per 1,000 characters, which stays flat when the scan is linear.
The glossary is loaded before timing (a cold process pays that once, from the JSON cache).

    .venv/bin/python benchmarks/bench_glossing.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from scholarflow.glossing import english_gloss

SIZES = (1, 10, 100)
QUESTIONS = {
    "de": "Ich habe die Werkstatt mit dem Handy fotografiert; die Tiefenkarten passen nicht. ",
    "es": "Grabé a mi perro en la playa y quiero quitar al señor que cruza por detrás. ",
    "fr": "J'ai filmé la danse de ma fille et je voudrais changer l'arrière-plan en 3D. ",
    "ja": "夜の花火をスマホで撮った動画がカクカクなので、なめらかなスローにしたい。",
    "ko": "할아버지 사진 한 장이랑 제 목소리 녹음으로 말하는 영상을 만들었어요. ",
}


def per_thousand_characters_ms(text: str, language: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        english_gloss(text, language)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000 * 1000 / len(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    print(f"{'language':10}{'x1':>10}{'x10':>10}{'x100':>10}   ms per 1,000 characters")
    for language, question in QUESTIONS.items():
        english_gloss(question, language)  # load the glossary
        row = [per_thousand_characters_ms(question * n, language, args.repeat) for n in SIZES]
        print(f"{language:10}" + "".join(f"{value:10.3f}" for value in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
