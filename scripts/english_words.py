"""Write lexicon/english_words.txt.gz, the snapshot of wordfreq's English table that
scholarflow.english_words reads (see its docstring for why). Run again after upgrading
wordfreq; tests/test_english_words.py fails while the snapshot disagrees with it:

    .venv/bin/python scripts/english_words.py
"""

from __future__ import annotations

import gzip
from importlib.metadata import version
from pathlib import Path

import wordfreq

from scholarflow import english_words

TARGET = Path(english_words.__file__).parent / "lexicon" / english_words.SNAPSHOT


def main() -> int:
    buckets: dict[float, list[str]] = {}
    for word in wordfreq.get_frequency_dict("en", wordlist="best"):
        if not english_words.plain(word):
            continue  # answered by wordfreq itself at run time
        bucket = english_words.bucket_of(wordfreq.zipf_frequency(word, "en"))
        if bucket is not None:
            buckets.setdefault(bucket, []).append(word)
    lines = [f"# wordfreq {version('wordfreq')}, English, Zipf steps of {english_words.STEP}"]
    for bucket in sorted(buckets, reverse=True):
        lines.append(f"@{bucket}")
        lines.extend(sorted(buckets[bucket]))  # english_words bisects each step: keep sorted
    data = ("\n".join(lines) + "\n").encode("utf-8")
    TARGET.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"wrote {TARGET}: {sum(map(len, buckets.values()))} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
