"""Telling words: a title's words counted against the taxonomy's own, rarer words weighing more."""

from __future__ import annotations

from scholarflow import vocabulary
from scholarflow.models import Source
from scholarflow.signatures import enrich


def test_endings_are_stripped_so_forms_of_one_word_meet():
    assert vocabulary.stem("tracking") == vocabulary.stem("track")
    assert vocabulary.stem("segmentation") == vocabulary.stem("segment")
    assert vocabulary.terms("The Depth of a Video") == ["depth", "video"]


def test_the_word_that_sets_a_job_apart_outweighs_the_generic_half_of_a_title():
    scores = vocabulary.task_scores("Expressive Talking Video Generation")
    assert max(scores, key=scores.__getitem__) == "talking_head_generation"
    assert scores["talking_head_generation"] == 1.0
    # "video" and "generation" are everyone's words: they say little for text-to-video
    assert scores.get("text_to_video", 0.0) < 0.5


def test_a_title_no_task_shares_a_word_with_scores_nothing():
    assert vocabulary.task_scores("Zorblax Quuxify") == {}


def test_a_bare_title_whose_telling_word_names_another_job_keeps_that_job_plausible():
    # its whole meaning sits on text-to-video; "Talking" keeps the talking head in view, so a
    # question about a photo that speaks can adopt it rather than flag it
    source = enrich(
        Source(
            id="s1",
            name="Zeta",
            title="Zeta: Identity-Guided Diffusion for Expressive Talking Video Generation",
        )
    )
    assert "talking_head_generation" in source.plausible


def test_a_title_naming_what_it_reads_keeps_jobs_on_other_things_out_of_its_readings():
    # "Understanding" is a word of video understanding too, but the title reads pictures
    source = enrich(
        Source(
            id="s1",
            name="BLIP",
            title="BLIP: Bootstrapping Language-Image Pre-training for Unified "
            "Vision-Language Understanding and Generation",
        )
    )
    assert source.tasks[0] == "image_captioning"
    assert "video_understanding" not in source.plausible
