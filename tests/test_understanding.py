"""Understanding works on questions it has never seen: the task, modalities and focus come
from the words of the question, not from a lookup of known texts."""

from __future__ import annotations

import pytest

from scholarflow.models import Request, Source
from scholarflow.understanding import understand

NO_HINT = Source(id="s1", name="Unnamed", title="Unnamed", role="recommended")


def _understand(question: str, recommended: Source = NO_HINT):
    return understand(Request(question=question, recommended=(recommended,)))


@pytest.mark.parametrize(
    ("question", "task", "have", "want"),
    [
        ("My vacation clip turned into a depth video. Why is it so stable?",
         "video_depth_estimation", ("video",), ("depth_video",)),
        ("I gave it a single photo of a car and got a 360 spin around it. How?",
         "novel_view_video_from_image", ("image",), ("video",)),
        ("The tool swapped the background of my webcam footage without any jitter. How?",
         "video_background_replacement", ("video",), ("video",)),
        ("I typed a prompt about a castle and it generated an image. How does that work?",
         "text_to_image", ("text",), ("image",)),
        ("I recoloured a red car to blue in my video and it stayed blue in every frame.",
         "video_colour_editing", ("video",), ("video",)),
        ("Several photos of my room were reconstructed into a 3D point cloud. How?",
         "sfm_reconstruction", ("image_set",), ("point_cloud",)),
        ("It copied the camera work of a film scene onto my shot. What recovers the camera move?",
         "cinematic_camera_transfer", ("video",), ("camera_trajectory",)),
        ("I filmed a dancer with six synchronized cameras and can watch any angle in real time.",
         "dynamic_view_synthesis", ("multi_view_video",), ("video",)),
        ("Mis dibujos de anime se convirtieron en una nube de puntos 3D. ¿Cómo?",
         "inconsistent_drawings_to_3d", ("image_set",), ("point_cloud",)),
    ],
)  # fmt: skip
def test_task_and_modalities_come_from_the_question(question, task, have, want):
    understood = _understand(question)
    assert understood.task.id == task
    assert understood.have == have
    assert understood.want == want


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("My depth video never flickers. How does it stay consistent?", "consistency"),
        ("From one photo it showed the back of the statue. How does it guess the unseen side?",
         "completion"),
        ("The clip follows my camera path exactly. How does it control the camera so precisely?",
         "control"),
        ("It renders 4K views in real time. Why is it so fast?", "speed"),
        ("How does this work?", "mechanism"),
    ],
)  # fmt: skip
def test_focus_comes_from_the_asking_clause(question, focus):
    assert _understand(question).focus[0] == focus


def test_the_recommended_model_only_breaks_ties():
    depth = Source(id="s1", name="D", title="D", role="recommended",
                   tasks=("video_depth_estimation",))  # fmt: skip
    # A clear question wins over the recommended model's own task...
    assert _understand("I replaced the background of my video.", depth).task.id == (
        "video_background_replacement"
    )
    # ...and a question with no known words falls back to it, with low confidence.
    vague = _understand("¿Qué hace esto?", depth)
    assert vague.task.id == "video_depth_estimation"
    assert vague.confidence < 0.6


def test_links_in_the_question_do_not_steer_the_task():
    question = "How did my clip become a depth video? See https://example.com/text-to-image-tool"
    assert _understand(question).task.id == "video_depth_estimation"


@pytest.mark.parametrize(
    ("question", "task", "brought"),
    [
        # the audio of a lip sync or a talking head is brought even when only hinted at
        ("We re-recorded the narration and now the presenter's mouth matches the new words.",
         "lip_sync", {"video", "audio"}),
        ("My grandma's old photo now talks with her own voice from a message. How?",
         "talking_head_generation", {"image", "audio"}),
        # an optional input is not assumed: a click is no mask video
        ("I clicked the bin in my clip and it vanished from every frame. How?",
         "video_inpainting", {"video"}),
    ],
)  # fmt: skip
def test_what_the_task_cannot_start_without_is_brought(question, task, brought):
    understood = _understand(question)
    assert understood.task.id == task
    assert set(understood.have) == brought


def test_a_german_compound_is_the_thing_its_last_part_names():
    understood = _understand(
        "Aus meinem Handyvideo wurde ein Tiefenvideo, das nicht flackert. Wie geht das?"
    )
    assert "video" in understood.have


def test_a_result_verb_between_a_marker_and_a_thing_says_the_thing_came_out():
    understood = _understand(
        "i put a photo of my dad and his voice memo in and now its a video of him talking"
    )
    assert understood.task.id == "talking_head_generation"
    assert set(understood.have) == {"image", "audio"}
    assert understood.want == ("video",)
