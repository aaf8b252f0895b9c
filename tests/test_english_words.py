"""The English word snapshot agrees with wordfreq, which it stands in for on the hot path."""

from __future__ import annotations

import random

import pytest
import wordfreq

from scholarflow import english_words

THRESHOLDS = (1.0, 2.0, 3.0, 4.5)


def test_snapshot_agrees_with_wordfreq_on_a_sample_of_its_table() -> None:
    table = list(wordfreq.get_frequency_dict("en", wordlist="best"))
    sample = random.Random(7).sample(table, 3000)
    disagreements = [
        (word, threshold)
        for word in sample
        for threshold in THRESHOLDS
        if english_words.at_least(word, threshold)
        != (wordfreq.zipf_frequency(word, "en") >= threshold)
    ]
    assert disagreements == [], (
        f"{len(disagreements)} words disagree, e.g. {disagreements[:5]}: "
        "run scripts/english_words.py after upgrading wordfreq"
    )


@pytest.mark.parametrize(
    "word", ["the", "depth", "video", "photogrammetry", "zzqxv", "depthcrafter", "don't", "x-ray"]
)
def test_snapshot_and_wordfreq_agree_on_common_rare_and_unplain_words(word: str) -> None:
    for threshold in THRESHOLDS:
        expected = wordfreq.zipf_frequency(word, "en") >= threshold
        assert english_words.at_least(word, threshold) is expected, (word, threshold)


def test_a_threshold_the_snapshot_cannot_answer_is_refused() -> None:
    with pytest.raises(ValueError, match=r"multiple of 0\.5"):
        english_words.at_least("video", 2.2)
