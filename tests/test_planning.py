"""The planner: a typed DAG where every edge's modality matches the signatures it joins."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarflow import taxonomy
from scholarflow.models import Plan, Source
from scholarflow.planning import judge_fit, plan
from scholarflow.prompt_format import parse_prompt
from scholarflow.signatures import enrich
from scholarflow.understanding import understand

from conftest import PROMPTS_DIR


def _plan(text: str) -> tuple[Plan, dict[str, Source]]:
    request = parse_prompt(text)
    sources = tuple(enrich(s) for s in request.sources)
    request = request.model_copy(
        update={
            "recommended": tuple(s for s in sources if s.role == "recommended"),
            "related": tuple(s for s in sources if s.role == "related"),
        }
    )
    return plan(understand(request), sources, request.question), {s.id: s for s in sources}


def _all_prompts(seeds: dict[str, Path]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in [*seeds.values(), *PROMPTS_DIR.glob("*.txt")]]


def test_every_input_is_fed_once_by_a_producer_of_its_modality_and_role(seeds):
    for text in _all_prompts(seeds):
        result, sources = _plan(text)
        workflow = result.workflow
        steps = {s.node_id: s for s in result.steps}
        for edge in workflow.edges:
            producer, consumer = workflow.node(edge.source), workflow.node(edge.target)
            assert edge.modality in taxonomy.modalities()
            if producer.kind in {"model", "operation"}:
                assert edge.modality in steps[producer.id].outputs
            if consumer.kind == "model":
                ports = [
                    p for sig in sources[consumer.source_id].signatures for p in sig.ports_in()
                ]
                ports += [p.model_copy(update={"modality": "image_set"}) for p in ports]
                assert any(edge.modality in p.modalities for p in ports)
            if edge.role and producer.kind == "input":
                assert taxonomy.accepts(edge.role, "")
        # One producer per input: no step takes two edges of one modality and role.
        for node_id, step in steps.items():
            if step.kind in {"model", "operation"}:
                fed = [(e.modality, e.role) for e in workflow.edges if e.target == node_id]
                assert len(fed) == len(set(fed)) == len(step.inputs), (step.label, fed)
        order = {n.id: i for i, n in enumerate(workflow.nodes)}
        assert all(order[e.source] < order[e.target] for e in workflow.edges)


def test_a_composite_takes_the_subject_and_its_matte_from_the_users_clip(seeds):
    result, _ = _plan(seeds["002"].read_text(encoding="utf-8"))
    workflow = result.workflow
    composite = next(n for n in workflow.nodes if n.operation == "composite")
    feeds = {e.role: workflow.node(e.source) for e in workflow.edges if e.target == composite.id}
    assert feeds["subject"].kind == "input" and feeds["subject"].modality == "video"
    matte = feeds["matte"]
    assert matte.operation == "segment_subject"
    (matte_input,) = [workflow.node(e.source) for e in workflow.edges if e.target == matte.id]
    assert matte_input is feeds["subject"]  # segmented from the user's clip, not a generated one
    assert feeds["background"].source_id == "s1"  # the text-to-image model makes the background


def test_related_sources_that_need_adapters_stay_background(seeds):
    result, sources = _plan(seeds["004"].read_text(encoding="utf-8"))
    assert result.branched == ()
    assert {sources[s].name for s in result.background} == {
        "Make-It-4D",
        "Refinement of Monocular Depth Maps",
        "3D reconstruction using Structure for Motion",
    }
    assert not any(n.optional for n in result.workflow.nodes)


def test_branches_have_a_purpose_and_are_at_most_two(seeds):
    for text in _all_prompts(seeds):
        result, _ = _plan(text)
        assert len(result.branched) <= 2
        for step in result.steps:
            if step.optional and step.kind == "model":
                assert step.description in {
                    "another way to do the central step, from what you have",
                    "to refine the result of the main path",
                }
            # Nothing on a branch is a format adapter.
            assert not (step.optional and step.kind == "operation")


def test_two_recommended_models_are_chained_when_one_feeds_the_other():
    result, sources = _plan((PROMPTS_DIR / "film_move_onto_photo.txt").read_text())
    workflow = result.workflow
    main = [sources[n.source_id].name for n in workflow.nodes if n.source_id and not n.optional]
    assert main == ["Cinematic Behavior Transfer", "CamCo"]
    transfer, camco = (n for n in workflow.nodes if n.source_id and not n.optional)
    path = next(e for e in workflow.edges if e.source == transfer.id and e.target == camco.id)
    assert (path.modality, path.role) == ("camera_trajectory", "camera_path")
    assert result.recommended_fits
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_a_method_a_summary_says_fails_on_the_users_input_is_not_offered():
    result, sources = _plan((PROMPTS_DIR / "cartoon_rooms.txt").read_text())
    assert [sources[s].name for s in result.background] == [
        "3D reconstruction using Structure for Motion"
    ]
    assert result.branched == ()


def test_the_recommended_model_is_on_the_main_path_when_it_fits(seeds):
    result, _ = _plan(seeds["004"].read_text(encoding="utf-8"))
    main = [n for n in result.workflow.nodes if not n.optional]
    assert [n.kind for n in main] == ["input", "model", "output"]
    assert main[1].source_id == "s1" and result.recommended_fits


def test_a_recommended_tool_of_another_field_read_from_its_title_alone_is_flagged():
    # (no summary, no word any list holds: its title reads as geophysics, and the video
    # inpainter among the related papers does the job)
    from scholarflow.engine import answer
    from scholarflow.prompt_format import parse_prompt

    prompt = _prompt(
        "I filmed my dad pushing a toboggan and the app erased him, the snow behind him "
        "filled in on every frame. How does it know what was behind him?",
        "Model: SeisBench - A Toolbox for Machine Learning in Seismology\n"
        "Paper: https://arxiv.org/abs/2111.00786\n",
        "Model: ProPainter: Improving Propagation and Transformer for Video Inpainting\n"
        "Paper: https://arxiv.org/abs/2309.03897\n"
        "Summary: ProPainter removes objects from videos and fills the hole with what "
        "neighbouring frames show, along completed optical flow.\n",
    )
    request = parse_prompt(prompt)
    result = answer(request)
    names = {s.id: s.name for s in (*request.recommended, *request.related)}
    flagged = [names[w.source_id] for w in result.warnings if w.code == "model_task_mismatch"]
    assert flagged == ["SeisBench - A Toolbox for Machine Learning in Seismology"]
    assert "another field" in next(
        w.message for w in result.warnings if w.code == "model_task_mismatch"
    )
    main = [names[n.source_id] for n in result.workflow.nodes if n.source_id and not n.optional]
    assert main == ["ProPainter"]


def test_a_mismatched_model_is_used_for_the_step_it_can_do(seeds):
    result, sources = _plan(seeds["003"].read_text(encoding="utf-8"))
    main_models = [
        sources[n.source_id].name
        for n in result.workflow.nodes
        if n.kind == "model" and not n.optional
    ]
    assert main_models == ["DepthCrafter", "Make-It-4D"]
    assert not result.recommended_fits


def test_a_model_with_the_right_modalities_but_the_wrong_job_is_a_mismatch():
    result, _ = _plan((PROMPTS_DIR / "dancer_background_mismatch.txt").read_text())
    assert [w.code for w in result.warnings if w.source_id == "s1"] == ["model_task_mismatch"]
    # The plan still does the job: something segments and composites the subject.
    operations = {n.operation for n in result.workflow.nodes if n.kind == "operation"}
    assert {"segment_subject", "composite"} <= operations


@pytest.mark.parametrize(
    ("number", "fits"),
    [("000", True), ("001", True), ("002", False), ("003", False), ("004", True)],
)
def test_fit_of_each_seeds_recommended_model(seeds, number, fits):
    request = parse_prompt(seeds[number].read_text(encoding="utf-8"))
    sources = tuple(enrich(s) for s in request.sources)
    request = request.model_copy(update={"recommended": sources[:1], "related": sources[1:]})
    assert judge_fit(understand(request), sources[:1])[sources[0].id] is fits


def test_a_model_that_turns_the_users_clip_into_just_what_they_want_fits_whatever_its_reading():
    # read as a reconstruction job from its title; its clip-to-camera-path step is the job
    result, _ = _plan((PROMPTS_DIR / "slam_camera_path_from_clip.txt").read_text())
    assert result.understanding.want == ("camera_trajectory",)
    assert result.recommended_fits
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    main = [n for n in result.workflow.nodes if not n.optional]
    assert [n.kind for n in main] == ["input", "model", "output"]


def test_a_model_of_one_clip_fed_one_camera_of_the_rig_is_a_mismatch_beside_one_taking_all():
    result, sources = _plan((PROMPTS_DIR / "rig_single_clip_model_mismatch.txt").read_text())
    assert result.understanding.have == ("multi_view_video",)
    assert [w.code for w in result.warnings if w.source_id == "s1"] == ["model_task_mismatch"]
    main = [
        sources[n.source_id].name for n in result.workflow.nodes if n.source_id and not n.optional
    ]
    assert main == ["RigField"]


def test_a_chain_told_as_one_edited_frame_guides_the_clip_rather_than_every_frame_edited():
    result, sources = _plan((PROMPTS_DIR / "first_frame_edit_then_propagate.txt").read_text())
    main = [n for n in result.workflow.nodes if not n.optional]
    operations = {n.operation for n in main if n.kind == "operation"}
    assert "extract_frame" in operations and "split_frames" not in operations
    editor, propagator = (n for n in main if n.source_id)
    assert [sources[n.source_id].name for n in (editor, propagator)] == ["QuillEdit", "Carry"]
    # the later model takes the user's own clip beside the edited frame
    kinds = {n.id: n.kind for n in result.workflow.nodes}
    fed = {
        (kinds[e.source], e.modality) for e in result.workflow.edges if e.target == propagator.id
    }
    assert fed == {("input", "video"), ("model", "image")}
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_two_recommended_ways_to_a_drawn_result_each_get_their_own_drawing_step():
    result, sources = _plan((PROMPTS_DIR / "two_splatting_alternatives_flythrough.txt").read_text())
    main = [n for n in result.workflow.nodes if not n.optional]
    assert {sources[n.source_id].name for n in main if n.source_id} == {"QuickSplat", "FewSplat"}
    renders = [n for n in main if n.operation == "render_scene"]
    assert len(renders) == 2
    fed_by = {e.target: e.source for e in result.workflow.edges}
    assert {fed_by[n.id] for n in renders} == {n.id for n in main if n.source_id}
    # every input of every node is fed from exactly one place
    targets = [(e.target, e.modality) for e in result.workflow.edges]
    assert len(targets) == len(set(targets))


def test_a_misfit_is_not_wired_in_by_letting_its_output_stand_in_for_the_users_clip():
    result, sources = _plan((PROMPTS_DIR / "upscale_text_to_image_mismatch.txt").read_text())
    assert [w.code for w in result.warnings if w.source_id == "s1"] == ["model_task_mismatch"]
    main = [n for n in result.workflow.nodes if not n.optional]
    # the upscaler takes the user's clip; no composite pastes it over a generated picture
    assert [n.kind for n in main] == ["input", "model", "output"]
    assert sources[main[1].source_id].name == "Upscale-A-Video"
    assert not [n for n in result.workflow.nodes if n.operation == "composite"]


def test_the_step_doing_the_job_converts_the_users_own_clip_not_a_rendering_of_it():
    result, sources = _plan((PROMPTS_DIR / "stereo_parade_motion_mismatch.txt").read_text())
    converter = next(
        n
        for n in result.workflow.nodes
        if n.source_id and sources[n.source_id].name == "StereoCrafter"
    )
    feeding = {e.source for e in result.workflow.edges if e.target == converter.id}
    users_clip = next(n.id for n in result.workflow.nodes if n.kind == "input")
    assert users_clip in feeding
    assert not [n for n in result.workflow.nodes if n.operation == "render_dynamic_points"]


def test_two_recommended_models_that_each_do_the_job_are_side_by_side_on_the_main_path():
    text = (PROMPTS_DIR / "cabin_camera_path.txt").read_text(encoding="utf-8")
    second = (
        "Model: CameraCtrl: Enabling Camera Control for Text-to-Video Generation\n"
        "Paper: https://arxiv.org/abs/2404.02101\n"
        "Summary: Animates a single image into a video along a camera path given by the "
        "user: the camera poses are encoded per frame and injected into the temporal layers "
        "of an image-to-video diffusion model.\n\n"
    )
    marker = "### Recommended AI Models:\n"
    result, sources = _plan(text.replace(marker, marker + second, 1))
    main = {
        sources[n.source_id].name for n in result.workflow.nodes if n.source_id and not n.optional
    }
    assert {"CameraCtrl", "CamCo"} <= main
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_a_generator_that_animates_one_frame_cannot_stand_in_for_the_users_own_footage():
    # A lip sync keeps the user's video and changes the mouth: a talking-portrait model fed
    # one frame of it would make a new clip, so it is flagged and the editor does the job.
    result, sources = _plan((PROMPTS_DIR / "dub_portrait_animator_mismatch.txt").read_text())
    assert result.understanding.task.id == "lip_sync"
    assert [w.code for w in result.warnings if w.source_id == "s1"] == ["model_task_mismatch"]
    main = [n for n in result.workflow.nodes if not n.optional and n.kind == "model"]
    assert [sources[n.source_id].name for n in main] == ["MouthMatch"]
    assert not [n for n in result.workflow.nodes if n.operation == "extract_frame"]


def test_a_generator_its_summary_says_reads_a_control_image_takes_the_depth_of_the_photo():
    result, sources = _plan((PROMPTS_DIR / "depth_control_living_room.txt").read_text())
    by_name = {sources[n.source_id].name: n.id for n in result.workflow.nodes if n.source_id}
    depth_edge = next(
        e
        for e in result.workflow.edges
        if e.source == by_name["RoomDepth"] and e.target == by_name["LayoutLock"]
    )
    assert depth_edge.modality == "depth_map"
    assert result.recommended_fits
    assert not [
        w for w in result.warnings if w.code in {"model_task_mismatch", "preceding_step_needed"}
    ]


def test_a_model_that_fits_only_by_replacing_the_users_clip_is_flagged_not_left_off():
    # Two recommended: a text-guided video editor, and a text-to-video generator whose clip
    # could only be edited in place of the user's own. The generator is not silently dropped:
    # it is on the main path or said not to fit.
    prompt = (
        "You are an AI scientist.\nA user has asked the following question:\n"
        "\"I filmed my dog on the beach and typed 'watercolour painting'; the whole clip "
        'came back painted with his run unchanged. How?"\n'
        "Based on the following recommended models, explain:\n"
        "1. What task the user is trying to perform.\n"
        "### Recommended AI Models:\n"
        "Model: PaintFlow: Consistent Features for Video Editing\n"
        "Paper: https://arxiv.org/abs/2301.00001\n"
        "Summary: Edits a given video from a text prompt while keeping its motion.\n\n"
        "Model: ClipMaker: Text-to-Video Generation\n"
        "Paper: https://arxiv.org/abs/2301.00002\n"
        "Summary: Generates a new video from a text prompt.\n\n"
        "### Related Papers:\n\n\nAnswer:\n"
    )
    result, sources = _plan(prompt)
    assert result.understanding.task.id == "text_guided_video_editing"
    on_main = {n.source_id for n in result.workflow.nodes if n.source_id and not n.optional}
    flagged = {w.source_id for w in result.warnings if w.code == "model_task_mismatch"}
    for source in sources.values():
        if source.role == "recommended":
            assert source.id in on_main or source.id in flagged, source.name
    editor = next(s for s in sources.values() if s.name == "PaintFlow")
    assert editor.id in on_main and editor.id not in flagged


def _prompt(question: str, recommended: str, related: str) -> str:
    return (
        "You are an AI scientist.\nA user has asked the following question:\n"
        f'"{question}"\n'
        "Based on the following recommended models, explain:\n"
        "1. What task the user is trying to perform.\n"
        f"### Recommended AI Models:\n{recommended}\n### Related Papers:\n{related}\n\nAnswer:\n"
    )


def test_a_misfit_is_not_wired_in_as_a_detour_when_the_job_is_done_without_it():
    prompt = _prompt(
        "My blurry 480p concert clip came back as a sharp 4K clip. How did it add detail?",
        "Model: DeepClip: Consistent Depth for Long Videos\n"
        "Paper: https://arxiv.org/abs/2301.00003\n"
        "Summary: Estimates a temporally consistent depth video from an input video.\n",
        "Model: SharpVid: Real-World Video Super-Resolution\n"
        "Paper: https://arxiv.org/abs/2301.00004\n"
        "Summary: Upscales a low-resolution video to high resolution, frame details kept "
        "consistent over time.\n",
    )
    result, sources = _plan(prompt)
    names = {s.id: s.name for s in sources.values()}
    main = [names[n.source_id] for n in result.workflow.nodes if n.source_id and not n.optional]
    assert main == ["SharpVid"]
    flagged = [names[w.source_id] for w in result.warnings if w.code == "model_task_mismatch"]
    assert flagged == ["DeepClip"]
    assert not [n for n in result.workflow.nodes if n.operation and "render" in n.operation]


def test_a_mismatch_names_the_task_without_doubling_its_brackets():
    prompt = _prompt(
        "My skate clip was silent and the tool added the wheels and every ollie clack on "
        "the right frame. How?",
        "Model: SoundSketch: Sound from Words\n"
        "Paper: https://arxiv.org/abs/2301.00005\n"
        "Summary: Generates sound effects and music from a text description.\n",
        "Model: FoleyNet: Foley for Silent Video\n"
        "Paper: https://arxiv.org/abs/2301.00006\n"
        "Summary: Generates sound effects for a silent video, in time with what happens.\n",
    )
    result, _ = _plan(prompt)
    (warning,) = [w for w in result.warnings if w.code == "model_task_mismatch"]
    assert "video-to-audio generation (from a video clip to an audio clip)" in warning.message
    assert ") (" not in warning.message


def test_a_chained_step_names_each_thing_it_takes_with_its_article():
    from scholarflow.engine import answer

    prompt = _prompt(
        "I took a few photos of my bonsai; one tool worked out the cameras and points, the "
        "second turned them into a 3D scene I can fly around. How do they fit together?",
        "Model: PoseFinder: Camera Poses and Points from Photos\n"
        "Paper: https://arxiv.org/abs/2301.00007\n"
        "Summary: Recovers camera poses and a sparse point cloud from a set of photos.\n\n"
        "Model: Splats\nPaper: https://arxiv.org/abs/2301.00008\n"
        "Summary: Optimises 3D Gaussians from a set of photos and the sparse point cloud of "
        "their camera poses into a 3D scene.\n",
        "",
    )
    markdown = answer(parse_prompt(prompt)).markdown
    assert "turns a set of images and a point cloud into a 3D scene" in markdown


def test_a_mask_a_summary_says_its_model_starts_from_is_fed_by_the_segmenter():
    # FeatherMatte's summary says it is "given a rough segmentation mask": the segmenter's
    # masks go straight into it, beside the user's clip, with no composite in between.
    result, sources = _plan((PROMPTS_DIR / "clicked_skater_soft_matte.txt").read_text())
    workflow = result.workflow
    by_name = {sources[n.source_id].name: n for n in workflow.nodes if n.source_id}
    segmenter, matter = by_name["ClickTrack"], by_name["FeatherMatte"]
    feeds = [(e.source, e.modality) for e in workflow.edges if e.target == matter.id]
    clip = next(n.id for n in workflow.nodes if n.kind == "input")
    assert sorted(feeds) == sorted([(segmenter.id, "mask_video"), (clip, "video")])
    assert not [n for n in workflow.nodes if n.kind == "operation" and not n.optional]
    assert result.recommended_fits


def test_a_model_whose_scene_is_only_drawn_after_it_does_a_view_synthesis():
    # the task is done by rendering a reconstructed scene: the reconstruction model plus the
    # rendering step is the whole job, not a mismatch
    result, _ = _plan((PROMPTS_DIR / "four_photos_walkthrough.txt").read_text())
    assert result.recommended_fits
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    kinds = [n.kind for n in result.workflow.nodes if not n.optional]
    assert kinds == ["input", "model", "operation", "output"]


def test_an_upscaler_before_an_animator_is_one_chain_ending_in_the_animators_task():
    # the question names both steps; the user ends with what the last one makes, and the
    # animator works on the user's photo, only sharpened, so neither model is flagged
    result, sources = _plan((PROMPTS_DIR / "upscale_then_animate.txt").read_text())
    assert result.understanding.task.id == "image_to_video"
    main = [sources[n.source_id].name for n in result.workflow.nodes if n.source_id]
    assert main == ["PixelBoost", "StillMotion"]
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_a_footage_model_handed_a_still_as_one_frame_does_not_make_it_speak():
    # a lip-sync model edits the mouth of filmed footage: a portrait handed to it as a
    # one-frame clip would only move its lips, not its head and brows, so it is flagged and
    # the related talking-head model does the job from the photo
    result, sources = _plan((PROMPTS_DIR / "portrait_voice_lip_sync_mismatch.txt").read_text())
    assert result.understanding.task.id == "talking_head_generation"
    flagged = [
        sources[w.source_id].name for w in result.warnings if w.code == "model_task_mismatch"
    ]
    assert flagged == ["MouthSync"]
    main = [sources[n.source_id].name for n in result.workflow.nodes if n.source_id]
    assert main == ["VoicePortrait"]


def test_a_footage_model_handed_a_still_still_orbits_it():
    # seed 001's case: views around a still need no motion the still lacks, so a multi-view
    # video model taking the photo as a one-frame clip does the job
    from scholarflow import taxonomy

    assert not taxonomy.tasks()["novel_view_video_from_image"].animates
    assert taxonomy.tasks()["talking_head_generation"].animates


def test_one_frame_of_moving_footage_does_not_make_a_moving_scene():
    # four phones filmed a juggler: a one-image view synthesiser reached through "pick one
    # camera" and "take one frame" would show a frozen moment, so it is flagged and kept off
    # the path, and the related multi-view dynamic model does the job
    result, sources = _plan((PROMPTS_DIR / "four_cameras_one_image_orbit_mismatch.txt").read_text())
    assert result.understanding.task.id == "dynamic_view_synthesis"
    flagged = [
        sources[w.source_id].name for w in result.warnings if w.code == "model_task_mismatch"
    ]
    assert flagged == ["OrbitStill"]
    main = [sources[n.source_id].name for n in result.workflow.nodes if n.source_id]
    assert main == ["SpaceTime Planes"]
    assert "take one frame" not in [n.label for n in result.workflow.nodes]


def test_format_steps_that_lose_what_the_task_is_about_are_not_offered():
    from scholarflow.planning import operation_actions

    def offered(task_id: str) -> set[str]:
        task = taxonomy.tasks()[task_id]
        return {a.operation for a in operation_actions(for_task=task) if a.operation}

    assert "extract_frame" not in offered("video_depth_estimation")  # footage in, footage out
    assert "extract_frame" in offered("sfm_reconstruction")  # photos in, a still shape out
    assert "image_as_clip" not in offered("talking_head_generation")  # must move
    assert "image_as_clip" in offered("novel_view_video_from_image")  # an orbit of a still


def test_a_picture_made_on_the_way_to_the_clip_is_no_input_and_both_models_chain():
    result, sources = _plan((PROMPTS_DIR / "prompt_still_then_clip_chain.txt").read_text())
    assert result.understanding.have == ("text",)
    assert result.understanding.want == ("video",)
    main = [
        sources[n.source_id].name for n in result.workflow.nodes if n.source_id and not n.optional
    ]
    assert main == ["PaintPrompt", "StillStir"]
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_a_segmenter_before_a_one_image_3d_model_hands_it_the_cut_out_picture():
    # the mask alone is no picture: the still is cut out along it (the user's photo kept
    # inside the mask) and that picture is what the 3D model takes
    result, sources = _plan((PROMPTS_DIR / "cutout_then_mesh_chain.txt").read_text())
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    nodes = {n.id: n for n in result.workflow.nodes}
    cut = next(n for n in nodes.values() if n.kind == "operation")
    fed_by = {nodes[e.source].kind for e in result.workflow.edges if e.target == cut.id}
    assert fed_by == {"input", "model"}  # the user's photo and the segmenter's mask
    feeds = [nodes[e.target] for e in result.workflow.edges if e.source == cut.id]
    assert [sources[n.source_id].name for n in feeds] == ["PotterMesh"]


def test_a_model_that_leaves_the_drawn_camera_path_unused_does_not_fit():
    # an image-to-video model takes the photo but not the path the user drew: the task is
    # about following that path, so the model is flagged and the camera-controlled related
    # model, fed the photo and the path, is the main path
    result, sources = _plan((PROMPTS_DIR / "drawn_path_plain_animator_mismatch.txt").read_text())
    flagged = [
        sources[w.source_id].name for w in result.warnings if w.code == "model_task_mismatch"
    ]
    assert flagged == ["StillPulse"]
    nodes = {n.id: n for n in result.workflow.nodes}
    model = next(n for n in nodes.values() if n.kind == "model" and not n.optional)
    assert sources[model.source_id].name == "PathCam"
    fed = {e.modality for e in result.workflow.edges if e.target == model.id}
    assert fed == {"image", "camera_trajectory"}


def _one_photo_depth_prompt(related: str) -> str:
    return f"""You are an AI scientist.

A user has asked the following question:
"I only had one photo of the stairwell, taken from the landing, and got a greyscale \
depth map of it. How is depth read from a single picture?"

Based on the following recommended models, explain:

1. What task the user is trying to perform.

### Recommended AI Models:
Model: Consistent Video Depth Estimation
Paper: https://arxiv.org/abs/2004.15021

### Related Papers:
{related}

Answer:
"""


_PHOTO_DEPTH_MODEL = """Model: PhotoDepth
Paper: https://example.org/photodepth
Summary: Estimates a depth map from a single image with a diffusion model."""

_ORBIT_MODEL = """Model: OrbitMaker
Paper: https://example.org/orbitmaker
Summary: Generates a video orbiting the scene from a single image."""


def test_a_footage_model_fed_one_photo_as_a_clip_does_not_fit_where_a_provided_model_does_it():
    result, _ = _plan(_one_photo_depth_prompt(_PHOTO_DEPTH_MODEL))
    assert result.understanding.task.id == "monocular_depth_estimation"
    assert [w.code for w in result.warnings if w.source_id == "s1"] == ["model_task_mismatch"]
    main = [n for n in result.workflow.nodes if not n.optional]
    assert [n.source_id for n in main if n.kind == "model"] == ["s2"]
    assert not any(n.operation == "image_as_clip" for n in main)


def test_a_footage_model_fed_one_photo_as_a_clip_fits_when_nothing_better_was_provided():
    result, _ = _plan(_one_photo_depth_prompt(_ORBIT_MODEL))
    assert result.understanding.task.id == "monocular_depth_estimation"
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    main = [n for n in result.workflow.nodes if not n.optional]
    assert any(n.operation == "image_as_clip" for n in main)
    assert [n.source_id for n in main if n.kind == "model"] == ["s1"]


def _flowing_stream_prompt(recommended_summary: str) -> str:
    return f"""You are an AI scientist.

A user has asked the following question:
"From one photo of a waterfall I want a clip where the camera drifts to the left and the \
water keeps flowing down the rocks. Will the water move?"

### Recommended AI Models:
Model: LayerParallax
Paper: https://example.org/layerparallax
Summary: {recommended_summary}

### Related Papers:
Model: FlowScene
Paper: https://example.org/flowscene
Summary: Animates the fluid in a single image while a virtual camera moves through the scene.

Answer:
"""


def test_a_summary_saying_its_scene_stays_still_does_not_fit_water_that_keeps_flowing():
    result, _ = _plan(
        _flowing_stream_prompt(
            "Turns a single image into a layered depth representation, so the still scene can "
            "be rendered with parallax from a moving camera."
        )
    )
    (warning,) = [w for w in result.warnings if w.source_id == "s1"]
    assert warning.code == "model_task_mismatch"
    # the notice gives the reason: what its summary says against what the question says
    assert "the scene stays still" in warning.message
    assert "something in the scene moves" in warning.message
    main = [n for n in result.workflow.nodes if not n.optional and n.kind == "model"]
    assert [n.source_id for n in main] == ["s2"]


def test_a_summary_setting_itself_against_still_scenes_states_nothing_of_its_own():
    result, _ = _plan(
        _flowing_stream_prompt(
            "Unlike earlier methods that assume a static scene, it turns a single image into "
            "a video where the scene moves as the camera travels."
        )
    )
    assert not [w for w in result.warnings if w.source_id == "s1"]


def test_a_model_for_one_picture_runs_on_each_photo_of_a_set_before_a_step_taking_both():
    prompt = """You are an AI scientist.

A user has asked the following question:
"I took 40 photos of a cave passage with known camera poses. Each photo got a depth map, \
then the depth maps were made to agree across the views in metres. How does that work?"

### Recommended AI Models:
Model: OneDepth
Paper: https://example.org/onedepth
Summary: Estimates a metric depth map from a single image.

Model: Refinement of Monocular Depth Maps via Multi-View Differentiable Rendering
Paper: http://arxiv.org/pdf/2410.03861v1.pdf

Answer:
"""
    result, _ = _plan(prompt)
    steps = {s.node_id: s for s in result.steps}
    (depth,) = [n for n in result.workflow.nodes if n.source_id == "s1"]
    # the user's photos go straight in, one at a time: no format steps to make one picture
    assert steps[depth.id].inputs == ("image_set",)
    assert not [n for n in result.workflow.nodes if n.kind == "operation" and not n.optional]
    assert not [w for w in result.warnings if w.code == "preceding_step_needed"]


def _relit_clip_prompt(recommended: str, related: str) -> str:
    return f"""You are an AI scientist.

A user has asked the following question:
"I filmed our garden shed at noon and typed 'cold blue moonlight'. The whole clip came back \
lit by moonlight and the light never flickers between frames. How is every frame relit the \
same way?"

Based on the following recommended models, explain:

1. What task the user is trying to perform.

### Recommended AI Models:
{recommended}

### Related Papers:
{related}

Answer:
"""


_PICTURE_RELIGHTER = """Model: PhotoLumen
Paper: https://example.org/photolumen
Summary: Relights a single image from a text description of the new lighting."""

_CLIP_RELIGHTER = """Model: ClipLumen
Paper: https://example.org/cliplumen
Summary: Relights a whole video from a text description, with the light shared across \
frames so that it does not flicker."""

_PICTURE_RESTORER = """Model: FaceMend
Paper: https://example.org/facemend
Summary: Restores a degraded face photo, sharpening blurred features."""


def test_a_picture_model_run_frame_by_frame_does_not_fit_where_a_provided_model_does_the_clip():
    result, sources = _plan(_relit_clip_prompt(_PICTURE_RELIGHTER, _CLIP_RELIGHTER))
    assert result.understanding.task.id == "video_relighting"
    flagged = [w.source_id for w in result.warnings if w.code == "model_task_mismatch"]
    assert [sources[s].name for s in flagged] == ["PhotoLumen"]
    main = [n for n in result.workflow.nodes if not n.optional]
    assert [sources[n.source_id].name for n in main if n.kind == "model"] == ["ClipLumen"]
    assert not any(n.operation == "split_frames" for n in main)


def test_a_picture_model_run_frame_by_frame_fits_when_nothing_does_the_clip():
    result, sources = _plan(_relit_clip_prompt(_PICTURE_RELIGHTER, _PICTURE_RESTORER))
    assert result.understanding.task.id == "video_relighting"
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    main = [n for n in result.workflow.nodes if not n.optional]
    assert [sources[n.source_id].name for n in main if n.kind == "model"] == ["PhotoLumen"]
    # drawn on the clip, as an engineer draws it: no frame-splitting nodes, the step's note
    # says it works frame by frame
    assert not any(n.operation in {"split_frames", "encode_video"} for n in main)
    (lumen,) = [n for n in main if n.kind == "model"]
    edges = {(e.source, e.target): e.modality for e in result.workflow.edges}
    assert {m for (a, b), m in edges.items() if b == lumen.id} - {"text"} == {"video"}
    assert {m for (a, b), m in edges.items() if a == lumen.id} == {"video"}
    (step,) = [s for s in result.steps if s.node_id == lumen.id]
    assert "every frame" in step.description


def test_a_stand_in_step_names_the_kind_of_result_it_loses():
    from scholarflow import taxonomy
    from scholarflow.taxonomy import _stand_in

    stand_ins = {key: op.stands_in for key, op in taxonomy.operations().items() if op.stands_in}
    assert stand_ins == {
        "image_as_clip": "still",
        "split_frames": "moving",
        "extract_frame": "footage",
        "select_view": "views",
    }
    with pytest.raises(ValueError, match="operation odd: stands_in must be one of"):
        _stand_in("odd", True)


def _told_steps_prompt(question: str) -> str:
    return f"""You are an AI scientist.

A user has asked the following question:
"{question}"

Based on the following recommended models, explain:

1. What task the user is trying to perform.

### Recommended AI Models:
Model: SeasonShift
Paper: https://example.org/seasonshift
Summary: Edits a real photograph following a text instruction while keeping its layout.

Model: PhotoMotion
Paper: https://example.org/photomotion
Summary: Animates a single image and a text prompt into a short video clip.

### Related Papers:
Model: StillToClip
Paper: None

Answer:
"""


def test_told_steps_chain_the_second_model_onto_what_the_first_made_of_the_users_photo():
    result, sources = _plan(
        _told_steps_prompt(
            "I had a summer photo of my street and typed 'deep winter snow'. The first tool "
            "changed the season and kept every house in place, then the second turned that "
            "picture into a clip with snow falling. How do the two fit together?"
        )
    )
    assert result.understanding.task.id == "image_to_video"
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    main = {n.id: n for n in result.workflow.nodes if not n.optional}
    by_name = {sources[n.source_id].name: n.id for n in main.values() if n.kind == "model"}
    assert set(by_name) == {"SeasonShift", "PhotoMotion"}
    assert any(
        e.source == by_name["SeasonShift"] and e.target == by_name["PhotoMotion"]
        for e in result.workflow.edges
    )


def _match_question_prompt(related: str) -> str:
    return f"""You are an AI scientist.

A user has asked the following question:
"I uploaded the full recording of our club's derby and asked who scored the second goal \
and what happened right before it. It answered correctly. How does it follow a whole match?"

Based on the following recommended models, explain:

1. What task the user is trying to perform.

### Recommended AI Models:
Model: PicTalk
Paper: https://example.org/pictalk
Summary: Writes a caption for a single image and answers questions about the picture.

### Related Papers:
{related}

Answer:
"""


_CLIP_CHAT = """Model: ClipChat
Paper: https://example.org/clipchat
Summary: Watches a whole video and answers questions about what happens in it over time."""


def test_a_picture_model_handed_one_frame_misfits_where_a_provided_model_reads_the_clip():
    result, sources = _plan(_match_question_prompt(_CLIP_CHAT))
    assert result.understanding.task.id == "video_understanding"
    flagged = [w.source_id for w in result.warnings if w.code == "model_task_mismatch"]
    assert [sources[s].name for s in flagged] == ["PicTalk"]
    main = [n for n in result.workflow.nodes if not n.optional]
    assert [sources[n.source_id].name for n in main if n.kind == "model"] == ["ClipChat"]
    assert not any(n.operation == "extract_frame" for n in main)


def test_a_picture_model_handed_one_frame_fits_when_nothing_reads_the_clip():
    result, _ = _plan(_match_question_prompt(_PICTURE_RESTORER))
    assert result.understanding.task.id == "video_understanding"
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    main = [n for n in result.workflow.nodes if not n.optional]
    assert any(n.operation == "extract_frame" for n in main)


def test_a_thing_a_model_writes_is_named_as_made_not_as_a_prompt():
    from scholarflow import taxonomy

    assert taxonomy.label("text") == "text prompt"
    assert taxonomy.label("text", made=True) == "written description"
    assert taxonomy.label("video", made=True) == taxonomy.label("video")  # no other name
    result, _ = _plan(_match_question_prompt(_CLIP_CHAT))
    warning = next(w for w in result.warnings if w.code == "model_task_mismatch")
    assert "into a written description" in warning.message
    assert "text prompt" not in warning.message


def test_the_diagram_names_a_typed_prompt_and_a_written_answer_apart(tmp_path):
    from conftest import run_cli

    prompt = tmp_path / "prompt.txt"
    prompt.write_text(_match_question_prompt(_CLIP_CHAT), encoding="utf-8")
    result = run_cli("answer", str(prompt))
    assert result.returncode == 0, result.stderr.decode()
    diagram = result.stdout.decode().split("```text", 1)[1].split("```", 1)[0]
    assert "──written description──► Description" in diagram
    assert "text prompt" not in diagram


def _first_frame_prompt(question: str, first: str, second: str) -> str:
    return _prompt(question, f"{first}\n{second}", "Model: SomeOtherEditor\nPaper: None\n")


_PICTURE_EDITOR = (
    "Model: FrameFix\nPaper: https://example.org/framefix\n"
    "Summary: Edits a single image following a written instruction.\n"
)
_CLIP_EDITOR = (
    "Model: ClipCarry\nPaper: https://example.org/clipcarry\n"
    "Summary: Edits a video to follow a text prompt while keeping its motion.\n"
)


def test_a_frame_edited_first_guides_the_clip_editor_that_takes_the_footage_too():
    result, sources = _plan(
        _first_frame_prompt(
            "I had a clip of a rowing boat on a lake and typed 'make it a pirate ship'. The "
            "first model changed the first frame, and the second carried that change through "
            "the whole clip. How does that work?",
            _PICTURE_EDITOR,
            _CLIP_EDITOR,
        )
    )
    assert result.understanding.task.id == "text_guided_video_editing"
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    main = {n.id: n for n in result.workflow.nodes if not n.optional}
    named = {sources[n.source_id].name: n.id for n in main.values() if n.kind == "model"}
    frame = [n.id for n in main.values() if n.operation == "extract_frame"]
    footage = [n.id for n in main.values() if n.kind == "input" and n.modality == "video"]
    edges = {(e.source, e.target) for e in result.workflow.edges}
    assert frame and footage
    assert (footage[0], frame[0]) in edges and (frame[0], named["FrameFix"]) in edges
    assert (named["FrameFix"], named["ClipCarry"]) in edges
    assert (footage[0], named["ClipCarry"]) in edges  # the footage itself goes on


def test_two_clip_models_are_not_chained_through_a_frame_of_what_one_made():
    second = (
        "Model: ClipTwo\nPaper: https://example.org/cliptwo\n"
        "Summary: Generates a video from a text prompt.\n"
    )
    result, _ = _plan(
        _first_frame_prompt(
            "I typed 'claymation style' for my bike clip and got it back as claymation. Two "
            "models were recommended; how do they do it?",
            _CLIP_EDITOR,
            second,
        )
    )
    assert not [n for n in result.workflow.nodes if n.operation == "extract_frame"]


def test_a_model_steered_by_a_control_image_does_not_fit_a_prompt_alone():
    steered = (
        "Model: LayoutLock: Structure-Guided Text-to-Image Generation\n"
        "Paper: https://example.org/layoutlock\n"
        "Summary: Steers a text-to-image model with a control image such as a depth map.\n"
    )
    plain = (
        "Model: PlainGen: Text-to-Image Generation\nPaper: https://example.org/plaingen\n"
        "Summary: Generates a picture from a text prompt.\n"
    )
    typed, sources = _plan(
        _prompt(
            "I only typed 'a tiled courtyard with a fountain at noon' and got a picture of it. "
            "How?",
            steered,
            plain,
        )
    )
    flagged = [sources[w.source_id].name for w in typed.warnings if w.code == "model_task_mismatch"]
    assert flagged == ["LayoutLock"]
    photo, _ = _plan(
        _prompt(
            "I gave it a photo of my courtyard and typed 'at night under lanterns', and got a "
            "new picture with the same layout. How?",
            steered,
            plain,
        )
    )
    assert not [w for w in photo.warnings if w.code == "model_task_mismatch"]


def _posed_photos_prompt(question: str, recommended: str) -> str:
    return _prompt(
        question,
        recommended,
        "Model: Agree: Multi-View Depth Refinement\nPaper: https://example.org/agree\n"
        "Summary: Makes the depth maps of posed photos agree with each other and puts them "
        "on a metric scale.\n",
    )


def test_one_picture_depth_model_does_only_part_of_a_multi_view_refinement():
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt(
            _posed_photos_prompt(
                "Our club took 25 photos around a fountain and the app saved where each was "
                "taken. We ended up with a depth map for every photo, in metres, and the maps "
                "agree where the photos overlap. How does it get them consistent?",
                "Model: DepthOne: Depth from a Single Image\nPaper: https://example.org/d1\n"
                "Summary: Estimates a depth map from one image.\n",
            )
        )
    )
    result = prepared.brief.plan
    assert result.understanding.task.id == "depth_refinement"
    names = {s.id: s.name for s in prepared.brief.sources}
    flagged = [names[w.source_id] for w in result.warnings if w.code == "model_task_mismatch"]
    assert flagged == ["DepthOne"]
    main = [names[n.source_id] for n in result.workflow.nodes if n.source_id and not n.optional]
    assert "Agree" in main


def test_depth_maps_a_model_gave_each_photo_are_made_on_the_way_by_a_bare_title():
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt(
            _posed_photos_prompt(
                "I took 30 photos around our empty flat. A depth model gave each photo a depth "
                "map, then a second step made all the maps agree and put them in metres. How?",
                "Model: Depth Anything V2\nPaper: https://example.org/dav2\n\n"
                "Model: Agree: Multi-View Depth Refinement\nPaper: https://example.org/agree\n"
                "Summary: Makes the depth maps of posed photos agree with each other and puts "
                "them on a metric scale.\n",
            )
        )
    )
    result = prepared.brief.plan
    assert result.understanding.have == ("image_set",)  # the depth maps were made, not brought
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    names = {s.id: s.name for s in prepared.brief.sources}
    models = {n.id: names[n.source_id] for n in result.workflow.nodes if n.source_id}
    assert any(
        models.get(e.source) == "Depth Anything V2" and models.get(e.target) == "Agree"
        for e in result.workflow.edges
    )


@pytest.mark.parametrize("first", ["Sharpen", "Smooth"])
def test_two_models_of_one_kind_run_in_the_order_they_were_listed(first):
    # both take a clip and give a clip, so either order costs the same: the platform's list,
    # first to last, says which runs first
    upscaler = (
        "Model: Sharpen: Real-World Video Super-Resolution\nPaper: https://example.org/sharpen\n"
    )
    interpolator = (
        "Model: Smooth: Video Frame Interpolation for Large Motion\n"
        "Paper: https://example.org/smooth\n"
    )
    listed = (
        upscaler + "\n" + interpolator if first == "Sharpen" else interpolator + "\n" + upscaler
    )
    result, sources = _plan(
        _prompt(
            "My old 240p clip at 15 frames a second came back sharp and smooth at 60. How?",
            listed,
            "",
        )
    )
    names = {s.id: s.name for s in sources.values()}
    models = {n.id: names[n.source_id] for n in result.workflow.nodes if n.source_id}
    chained = [
        (models[e.source], models[e.target])
        for e in result.workflow.edges
        if e.source in models and e.target in models
    ]
    second = "Smooth" if first == "Sharpen" else "Sharpen"
    assert chained == [(first, second)]


def test_a_model_the_user_says_makes_something_else_is_judged_by_those_words():
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt(
            _prompt(
                "The archive scanned 300 old photos and we need a written description of each "
                "for the catalogue. The recommended model only makes new pictures from text. "
                "How do we get text out of our pictures?",
                "Model: Zephyrine 2.0 Technical Report\nPaper: https://example.org/zeph\n",
                "Model: CapIt: Describing Images in Words\nPaper: https://example.org/capit\n"
                "Summary: Writes a description of an image in natural language.\n",
            )
        )
    )
    result = prepared.brief.plan
    names = {s.id: s.name for s in prepared.brief.sources}
    flagged = [names[w.source_id] for w in result.warnings if w.code == "model_task_mismatch"]
    assert flagged == ["Zephyrine 2.0 Technical Report"]
    main = [names[n.source_id] for n in result.workflow.nodes if n.source_id and not n.optional]
    assert main == ["CapIt"]


def test_a_model_building_a_scene_from_the_photos_draws_the_new_views_itself():
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt(
            _prompt(
                "I took three photos of our hallway and got a smooth video gliding between "
                "them, from spots I never stood at. How?",
                "Model: QuickSplat: Feed-Forward 3D Gaussian Splatting from Sparse Photos\n"
                "Paper: https://example.org/quicksplat\n",
                "",
            )
        )
    )
    result = prepared.brief.plan
    assert result.understanding.task.id == "static_view_synthesis"
    names = {s.id: s.name for s in prepared.brief.sources}
    nodes = {n.id: n for n in result.workflow.nodes}
    assert not [n for n in nodes.values() if n.operation == "render_scene"]
    assert any(
        nodes[e.source].source_id
        and names[nodes[e.source].source_id] == "QuickSplat"
        and nodes[e.target].kind == "output"
        for e in result.workflow.edges
    )
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_a_novel_view_model_is_told_the_camera_path_the_user_drew():
    # A model of new views from one picture draws them wherever the camera is put: with a
    # drawn path it takes the path, and so it fits a request about following that path.
    prompt = _prompt(
        "I had one photo of a lighthouse and drew a camera path that climbs the stairs and "
        "turns around the lamp. The video follows my path exactly. How?",
        "Model: OrbitPaint: High-fidelity Novel View Synthesis from a Single Image\n"
        "Paper: https://arxiv.org/abs/2301.00011\n",
        "",
    )
    result, sources = _plan(prompt)
    names = {s.id: s.name for s in sources.values()}
    flagged = [names[w.source_id] for w in result.warnings if w.code == "model_task_mismatch"]
    assert flagged == []
    feeds = {
        (edge.source, names.get(edge.target.removeprefix("model:"), edge.target))
        for edge in result.workflow.edges
    }
    model = next(n for n in result.workflow.nodes if n.source_id)
    into_model = {e.source for e in result.workflow.edges if e.target == model.id}
    inputs = {n.id: n for n in result.workflow.nodes if n.kind == "input"}
    assert {inputs[i].modality for i in into_model if i in inputs} == {
        "image",
        "camera_trajectory",
    }, feeds


def test_a_misfit_making_a_picture_is_no_step_before_a_model_that_takes_the_prompt_itself():
    # The 3D generator takes a prompt or a picture. The user typed a prompt: a picture made
    # from it by the misfit is no more than the prompt already gives.
    prompt = _prompt(
        "I typed 'a red lighthouse on a rock' because I want a 3D model to print, but the "
        "recommended model gave me a flat picture. How do I get a 3D object?",
        "Model: FlatPix: Scalable Image Generation\n"
        "Paper: https://arxiv.org/abs/2301.00021\n"
        "Summary: Generates an image from a text prompt.\n",
        "Model: Shaper: Conditional 3D Asset Generation\n"
        "Paper: https://arxiv.org/abs/2301.00022\n"
        "Summary: Generates a textured 3D mesh from a text prompt or from a single image.\n",
    )
    result, sources = _plan(prompt)
    names = {s.id: s.name for s in sources.values()}
    main = [names[n.source_id] for n in result.workflow.nodes if n.source_id and not n.optional]
    flagged = [names[w.source_id] for w in result.warnings if w.code == "model_task_mismatch"]
    assert flagged == ["FlatPix"]
    assert main == ["Shaper"]


def test_a_model_making_the_wanted_camera_path_and_more_besides_fits():
    # a camera-and-body model hands over the camera's path a structure-from-motion request
    # wants; the body's motion it makes besides does not make it the wrong model
    prompt = """You are an AI scientist.

A user has asked the following question:
"I walked the new drainage tunnel filming on my phone while workers moved about, and \
got back the path the phone took, its position and direction at every frame. How does it \
work out where the camera went when so much in the shot is moving?"

Based on the following recommended models, explain:

1. What task the user is trying to perform.
2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).
3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.

Use **only the provided models and papers**. Do not refer to outside sources.

### Recommended AI Models:
Model: ShotCopy: Recovering the Camera Path and the Actors' Motion of a Shot from a Monocular Video
Paper: https://arxiv.org/abs/2401.00001

Answer:
"""
    result, sources = _plan(prompt)
    assert result.understanding.task.id == "sfm_reconstruction"
    assert result.understanding.want == ("camera_trajectory",)
    (source,) = [s for s in sources.values() if s.role == "recommended"]
    assert {"camera_trajectory", "human_motion"} <= {
        m for g in source.signatures for m in g.outputs
    }
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_two_recommended_models_together_do_a_job_neither_is_of_the_kind_of():
    # a picture drawn from the prompt, then filmed all the way round: a clip from a prompt,
    # though neither a text-to-image nor an orbiting model is a text-to-video one
    prompt = """You are an AI scientist.

A user has asked the following question:
"I typed 'a red leather atlas standing on a white plinth' and got a turntable video \\
going all the way round the book. How does it go from a sentence to a full turn?"

Based on the following recommended models, explain:

1. What task the user is trying to perform.
2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).
3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.

Use **only the provided models and papers**. Do not refer to outside sources.

### Recommended AI Models:
Model: Paintly: Efficient High-Resolution Text-to-Image Synthesis
Paper: https://arxiv.org/abs/2401.00002

Model: Turnview: Novel Multi-view Synthesis and 3D Generation from a Single Image
Paper: https://arxiv.org/abs/2401.00003

Answer:
"""
    result, sources = _plan(prompt)
    assert result.understanding.task.id == "text_to_video"
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    names = {n.id: n for n in result.workflow.nodes}
    models = [
        sources[names[e.source].source_id].name
        for e in result.workflow.edges
        if names[e.source].kind == "model" and names[e.target].kind == "model"
    ]
    assert models == ["Paintly"]


def test_models_whose_ports_merely_connect_do_not_do_a_job_together():
    # a mask, then a filled picture, passed on as a one-frame clip, is no short video of the
    # room: both stay flagged
    prompt = """You are an AI scientist.

A user has asked the following question:
"I had a photo of my living room and got a short video of it. How does it move?"

Based on the following recommended models, explain:

1. What task the user is trying to perform.
2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).
3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.

Use **only the provided models and papers**. Do not refer to outside sources.

### Recommended AI Models:
Model: Segment Anything
Paper: https://arxiv.org/abs/2304.02643

Model: HoleFill: Mask-Aware Transformer for Large Hole Image Inpainting
Paper: https://arxiv.org/abs/2401.00004

Answer:
"""
    result, _ = _plan(prompt)
    flagged = [w for w in result.warnings if w.code == "model_task_mismatch"]
    assert len(flagged) == 2
    assert not result.recommended_fits


def _two_step_prompt(question: str, first: str, second: str) -> str:
    return f"""You are an AI scientist.

A user has asked the following question:
"{question}"

Based on the following recommended models, explain:

1. What task the user is trying to perform.

### Recommended AI Models:
{first}

{second}

Answer:
"""


def _main_models(brief) -> list[str]:
    names = {s.id: s.name for s in brief.sources}
    return [
        names[n.source_id]
        for n in brief.plan.workflow.nodes
        if n.kind == "model" and not n.optional and n.source_id
    ]


def _joined(brief, first: str, second: str) -> bool:
    ids = {s.name: s.id for s in brief.sources}
    node_of = {n.source_id: n.id for n in brief.plan.workflow.nodes if n.source_id}
    return any(
        e.source == node_of[ids[first]] and e.target == node_of[ids[second]]
        for e in brief.plan.workflow.edges
    )


def test_a_lip_sync_model_takes_the_clip_an_animator_made_when_the_user_brought_no_clip():
    # A portrait and a voice note: the clip whose lips are fitted to the voice is the one the
    # animator made, there being no clip of the user's to change in place.
    from scholarflow.engine import plan_for

    brief = plan_for(
        parse_prompt(
            _two_step_prompt(
                "From one photo of the shop owner and her voice note about the opening hours, "
                "the app made a video of her saying it. It seems to animate the photo first and "
                "then fix the lips to the voice. How do the two steps work?",
                "Model: StillStir: Enhancing Visual Consistency for Image-to-Video Generation\n"
                "Paper: https://example.org/stillstir",
                "Model: MouthMatch: Audio Conditioned Diffusion Models for Lip-Synchronization\n"
                "Paper: https://example.org/mouthmatch",
            )
        )
    )
    assert brief.plan.understanding.task.id == "talking_head_generation"
    assert not [w for w in brief.plan.warnings if w.code == "model_task_mismatch"]
    assert _main_models(brief) == ["StillStir", "MouthMatch"]
    assert _joined(brief, "StillStir", "MouthMatch")


def test_the_first_model_of_a_told_chain_takes_the_users_photo_not_a_prompt_nobody_typed():
    # A bare title that could make a clip from words or from a still, before a model that
    # lifts a clip into 3D: with only a photo brought, it starts from the photo.
    from scholarflow.engine import plan_for

    brief = plan_for(
        parse_prompt(
            _two_step_prompt(
                "One photo of a clockwork bird from the restorer's shelf, and I got a video "
                "where the bird flaps its wings while the camera circles all the way round it. "
                "It seemed to make a short animation first and then build the 3D from that. "
                "How does that work?",
                "Model: StirCam: Open Diffusion Models for High-Quality Video Generation\n"
                "Paper: https://example.org/stircam",
                "Model: LiftFour: Sparse-Controlled Video-to-4D Generation and Motion Transfer\n"
                "Paper: https://example.org/liftfour",
            )
        )
    )
    assert brief.plan.understanding.task.id == "image_to_4d"
    assert not [w for w in brief.plan.warnings if w.code == "model_task_mismatch"]
    assert _main_models(brief) == ["StirCam", "LiftFour"]
    assert _joined(brief, "StirCam", "LiftFour")


def test_a_segmenter_recommended_beside_a_matting_model_picks_its_subject_in_one_frame():
    # both known by their titles alone: the segmenter's mask of one frame of the user's clip
    # tells the matting model whom to follow, and the matting model works on the clip itself
    from scholarflow.engine import prepare

    request = parse_prompt(
        (PROMPTS_DIR / "clicked_bell_ringer_title_only_matte.txt").read_text(encoding="utf-8")
    )
    brief = prepare(request).brief
    result, sources = brief.plan, {s.id: s for s in brief.sources}
    workflow = result.workflow
    main = [n for n in workflow.nodes if not n.optional]
    by_name = {sources[n.source_id].name: n for n in main if n.source_id}
    segmenter, matter = by_name["ClickCut"], by_name["HairTrail"]
    clip = next(n.id for n in main if n.kind == "input")
    frame = next(n.id for n in main if n.operation == "extract_frame")
    feeds = sorted((e.source, e.modality) for e in workflow.edges if e.target == matter.id)
    assert feeds == sorted([(segmenter.id, "mask"), (clip, "video")])
    assert [(e.source, e.modality) for e in workflow.edges if e.target == segmenter.id] == [
        (frame, "image")
    ]
    assert result.recommended_fits
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_a_captioner_recommended_beside_an_inpainter_describes_the_photo_the_fill_follows():
    # both known by their titles alone, and the user typed nothing: the description of the
    # photo is the inpainter's text condition, so the user ends with the filled photo, not
    # with a caption of it
    from scholarflow.engine import prepare

    request = parse_prompt(
        (PROMPTS_DIR / "brushed_bin_caption_then_fill_title_only.txt").read_text(encoding="utf-8")
    )
    brief = prepare(request).brief
    result, sources = brief.plan, {s.id: s for s in brief.sources}
    assert result.understanding.task.id == "image_inpainting"
    main = [n for n in result.workflow.nodes if not n.optional]
    by_name = {sources[n.source_id].name: n for n in main if n.source_id}
    teller, filler = by_name["SceneTeller"], by_name["FillWise"]
    photo = next(n.id for n in main if n.kind == "input")
    output = next(n.id for n in main if n.kind == "output")
    feeds = sorted((e.source, e.modality) for e in result.workflow.edges if e.target == filler.id)
    assert feeds == sorted([(teller.id, "text"), (photo, "image")])
    assert [e.source for e in result.workflow.edges if e.target == output] == [filler.id]
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_an_upscaler_takes_a_description_only_from_a_model_recommended_beside_it():
    from scholarflow.signatures import adopt_guide

    upscaler = enrich(
        Source(
            id="u",
            name="SharpAgain",
            title="SharpAgain: Photo-Realistic Image Super-Resolution with Diffusion Priors",
            role="recommended",
        )
    )
    [alone] = adopt_guide([upscaler])
    assert all("text" not in sig.inputs for sig in alone.signatures)
    teller = enrich(
        Source(
            id="t",
            name="SceneTeller",
            title="SceneTeller: Rich Descriptions of Photos from a Vision-Language Model",
            role="recommended",
        )
    )
    _, guided = adopt_guide([teller, upscaler])
    assert any("text" in sig.inputs for sig in guided.signatures)
    assert all("text" not in sig.required_inputs for sig in guided.signatures)


def test_a_title_beside_no_segmenter_takes_no_guide():
    from scholarflow.signatures import adopt_guide

    matter = enrich(
        Source(
            id="m", name="HairTrail", title="HairTrail: Stable Video Matting", role="recommended"
        )
    )
    [alone] = adopt_guide([matter])
    assert all("mask" not in sig.inputs for sig in alone.signatures)


def test_a_clip_made_from_a_prompt_is_the_clip_a_later_told_step_changes():
    # the user brought no clip: the one the generator made is the only one the relighting
    # model can work on, so the two are one chain, not two ways of making a clip
    from scholarflow.engine import prepare

    request = parse_prompt(
        (PROMPTS_DIR / "typed_clip_then_relit_title_only.txt").read_text(encoding="utf-8")
    )
    brief = prepare(request).brief
    result, sources = brief.plan, {s.id: s for s in brief.sources}
    main = [n for n in result.workflow.nodes if not n.optional]
    by_name = {sources[n.source_id].name: n for n in main if n.source_id}
    maker, relighter = by_name["ReelGen"], by_name["GlowShift"]
    assert (maker.id, relighter.id, "video") in {
        (e.source, e.target, e.modality) for e in result.workflow.edges
    }
    output = next(n.id for n in main if n.kind == "output")
    assert [e.source for e in result.workflow.edges if e.target == output] == [relighter.id]
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]


def test_a_segmenter_that_follows_the_subject_itself_is_an_alternative_not_a_guide():
    from scholarflow.signatures import adopt_guide

    both = enrich(
        Source(
            id="b",
            name="ClipCut 2",
            title="ClipCut 2: Segment Anything in Images and Videos",
            role="recommended",
        )
    )
    follower = enrich(
        Source(
            id="f",
            name="TrailMem",
            title="TrailMem: Long-Term Video Object Segmentation with a Memory Model",
            role="recommended",
        )
    )
    assert any("mask_video" in sig.outputs for sig in both.signatures)
    _, kept = adopt_guide([both, follower])
    assert all("mask" not in sig.inputs for sig in kept.signatures)
    # a picture-only segmenter beside it is the step that picks the subject
    picker = enrich(
        Source(
            id="p",
            name="ClickCut",
            title="ClickCut: Segment Any Object in an Image",
            role="recommended",
        )
    )
    _, guided = adopt_guide([picker, follower])
    assert any("mask" in sig.inputs for sig in guided.signatures)


def test_the_dancer_of_a_driving_clip_may_be_cut_out_before_she_drives_the_animation():
    # a matting model and an animator recommended together: the matte cuts the dancer out of
    # the driving clip, and her moves alone drive the photo
    from scholarflow.models import Request

    question = (
        "At the parade the baton twirler spun while the crowd kept walking behind her. I gave "
        "the app that clip and a photo of my niece, and it gave back my niece doing the same "
        "spin, with none of the crowd's movement leaking in. How?"
    )
    matting = enrich(
        Source(
            id="s1",
            name="EdgeMatte",
            title="EdgeMatte: Trimap-Free Portrait Matting in Real Time",
            role="recommended",
        )
    )
    animator = enrich(
        Source(
            id="s2",
            name="PoseMove",
            title="PoseMove: Consistent Human Image Animation with Video Diffusion",
            role="recommended",
        )
    )
    request = Request(question=question, recommended=(matting, animator))
    understanding = understand(request)
    assert understanding.task.id == "character_animation"
    assert judge_fit(understanding, (matting, animator)) == {"s1": True, "s2": True}


def test_two_ways_to_a_4d_model_both_make_the_4d_model_asked_for():
    # the task's result may be a multi-view video or the 4D scene: asked for the scene, each
    # recommended model makes it on a main path of its own
    from scholarflow.models import Request

    question = (
        "I filmed my toy robot walking, only from the front, and got a 4D model of it that I "
        "can spin round while it walks. Which models do that from one video?"
    )
    sources = tuple(
        enrich(Source(id=f"s{i}", name=t.split(":")[0], title=t, role="recommended"))
        for i, t in enumerate(
            (
                "Quick4D: Large 4D Gaussian Reconstruction Model",
                "Even4D: Consistent 360 Dynamic Object Generation from Monocular Video",
            ),
            1,
        )
    )
    request = Request(question=question, recommended=sources)
    understanding = understand(request)
    assert understanding.want == ("scene_4d",)
    result = plan(understanding, sources, question)
    on_main = {n.source_id for n in result.workflow.nodes if n.kind == "model" and not n.optional}
    assert on_main == {"s1", "s2"}


def test_a_well_known_model_of_another_field_named_without_a_title_is_a_mismatch():
    # MTCNN finds faces; its name alone says so, and it cannot make a portrait speak.
    result, sources = _plan((PROMPTS_DIR / "face_detector_for_a_talking_photo.txt").read_text())
    assert sources["s1"].other_job == "face_analysis"
    assert [w.code for w in result.warnings if w.source_id == "s1"] == ["model_task_mismatch"]
    assert any(step.source_id == "s2" for step in result.steps if not step.optional)


def test_a_model_whose_summary_names_no_media_at_all_is_a_mismatch_not_adopted():
    # A bookkeeping library, described in a summary of its own that names no picture, clip,
    # sound or 3D thing: its work is elsewhere, which is the claim behind the flag; it is not
    # placed as the relighting model "the job it was recommended for".
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt((PROMPTS_DIR / "bookkeeping_library_for_a_relit_clip.txt").read_text())
    )
    sources = {s.id: s for s in prepared.brief.sources}
    assert sources["s1"].other_job == "beyond_media"
    assert not sources["s1"].read_from_request
    mismatch = [w for w in prepared.brief.plan.warnings if w.source_id == "s1"]
    assert [w.code for w in mismatch] == ["model_task_mismatch"]
    assert "name no image, video, sound or 3D" in mismatch[0].message


_TOLD_STEPS_QUESTION = (
    "I only have one photo of the old lighthouse. An app first worked out the depth of the "
    "photo and then made a video where the camera circles the tower, showing the side I never "
    "photographed. How do the two steps fit together?"
)
_TOLD_STEPS_PROMPT = f'''You are an AI scientist.

A user has asked the following question:
"{_TOLD_STEPS_QUESTION}"

Based on the following recommended models, explain:

1. What task the user is trying to perform.
2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).
3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.

Use **only the provided models and papers**. Do not refer to outside sources.

### Recommended AI Models:
Model: DepthSeer: Monocular Depth Estimation from a Single Photo
Paper: https://arxiv.org/abs/2401.00001

Model: RingView: Zero-Shot Novel View Synthesis with Video Diffusion
Paper: https://arxiv.org/abs/2401.00002

Answer:
'''


def test_what_the_user_tells_was_made_first_feeds_the_model_doing_the_job():
    # "first worked out the depth of the photo and then made a video": the depth model's
    # map goes on into the novel-view model, which still takes the photo itself.
    from scholarflow.engine import answer

    workflow = answer(parse_prompt(_TOLD_STEPS_PROMPT)).workflow
    model = {n.label.split(":")[0]: n.id for n in workflow.nodes if n.kind == "model"}
    edges = {(e.source, e.target) for e in workflow.edges}
    assert (model["DepthSeer"], model["RingView"]) in edges
    photo = next(n.id for n in workflow.nodes if n.kind == "input" and n.modality == "image")
    assert (photo, model["RingView"]) in edges
    assert not any(n.optional for n in workflow.nodes if n.kind == "model")


def test_without_told_steps_the_depth_map_is_not_fed_on():
    # (guard: with no steps told, the novel-view model takes only what its title says)
    from scholarflow.engine import answer

    prompt = _TOLD_STEPS_PROMPT.replace(
        "An app first worked out the depth of the photo and then made a video",
        "An app made a video",
    )
    workflow = answer(parse_prompt(prompt)).workflow
    model = {n.label.split(":")[0]: n.id for n in workflow.nodes if n.kind == "model"}
    edges = {(e.source, e.target) for e in workflow.edges}
    assert (model.get("DepthSeer"), model["RingView"]) not in edges


def _rig_prompt(question: str) -> str:
    return f"""You are an AI scientist.

A user has asked the following question:
"{question}"

Based on the following recommended models, explain:

1. What task the user is trying to perform.

### Recommended AI Models:
Model: FrameBoost: Intermediate Feature Network for Efficient Frame Interpolation
Paper: https://example.org/frameboost

Model: PlaneScene: A Fast Representation for Dynamic Scenes
Paper: https://example.org/planescene

### Related Papers:
Model: SpaceTimePlanes
Paper: None

Answer:
"""


def test_told_steps_run_a_clip_model_on_each_camera_before_the_scene_is_built():
    # "first made every clip smoother, then built the replay": the frames are added to each
    # camera's clip, one at a time, before the moving scene is fitted, not to the replay
    result, sources = _plan(
        _rig_prompt(
            "Six phones stood round the skate ramp and filmed at only 30 frames per second. "
            "The app first made every clip smoother and then built a replay I can watch from "
            "any angle in slow motion. How do the two steps fit together?"
        )
    )
    main = [n for n in result.workflow.nodes if not n.optional]
    by_name = {sources[n.source_id].name: n.id for n in main if n.kind == "model"}
    assert set(by_name) == {"FrameBoost", "PlaneScene"}
    assert any(
        e.source == by_name["FrameBoost"] and e.target == by_name["PlaneScene"]
        for e in result.workflow.edges
    )


def test_a_summary_offering_a_still_scene_among_others_does_not_state_otherwise():
    from scholarflow.planning import states_otherwise

    question = (
        "One photo of a harbour became a long video where the camera drifts along the quay "
        "while the boats bob and the water flows. How?"
    )
    summary = (
        "It generates scenes from a single image: it can move the camera through a still "
        "scene, animate the scene over time, or both, and renders the result as a video."
    )
    moving = enrich(
        Source(
            id="s1",
            name="SceneForge",
            title="SceneForge: Create Any 3D and 4D Scenes from a Single Image",
            summary=summary,
            role="related",
        )
    )
    still_only = enrich(
        Source(
            id="s2",
            name="ViewMaker",
            title="ViewMaker: Novel Views from a Single Image",
            summary="It renders a still scene from new viewpoints along a camera path.",
            role="related",
        )
    )
    assert not states_otherwise(moving, question)
    assert states_otherwise(still_only, question)


def test_a_tool_of_another_field_is_said_to_be_one_not_to_turn_prompts_into_text():
    prompt = _prompt(
        "I filmed our kayak race on one camera and an app made a side-by-side 3D version for "
        "my headset. How does it make the second eye's view?",
        "Model: PandaPower: An Open Source Tool for Power System Analysis\n"
        "Paper: https://arxiv.org/abs/2301.00005\n",
        "Model: StereoMaker: Stereo Video from Monocular Video\n"
        "Paper: https://arxiv.org/abs/2301.00006\n"
        "Summary: Turns an ordinary video into a stereoscopic 3D video by warping each frame "
        "with its depth and filling the holes.\n",
    )
    result, sources = _plan(prompt)
    names = {s.id: s.name for s in sources.values()}
    (warning,) = [w for w in result.warnings if w.code == "model_task_mismatch"]
    assert names[warning.source_id] == "PandaPower"
    assert "another field" in warning.message
    assert "text prompt" not in warning.message


def test_a_bare_title_told_as_the_first_step_passes_the_picture_on():
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt(
            _prompt(
                "Our party photos came out grey from the smoke machine. The app first cleared "
                "the haze from the photo and then cut my uncle out as a clean mask. How are "
                "the two steps joined?",
                "Model: PRISM: Multi-Axis Mixers for Image Processing\n"
                "Paper: https://arxiv.org/abs/2301.00007\n\n"
                "Model: MaskNet: Universal Image Segmentation\n"
                "Paper: https://arxiv.org/abs/2301.00008\n",
                "Model: Segment Anything\nPaper: None\n",
            )
        )
    )
    result = prepared.brief.plan
    assert result.understanding.task.id == "image_segmentation"
    names = {s.id: s.name for s in prepared.brief.sources}
    edges = {
        (names.get(a.source_id or "", a.kind), names.get(b.source_id or "", b.kind))
        for a, b in (
            (
                next(n for n in result.workflow.nodes if n.id == e.source),
                next(n for n in result.workflow.nodes if n.id == e.target),
            )
            for e in result.workflow.edges
        )
    }
    assert ("PRISM", "MaskNet") in edges


def test_a_mask_made_by_the_first_tool_guides_the_point_tracker_told_after_it():
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt(
            _prompt(
                "I filmed my son's skateboard rolling down the ramp. I tapped the board in the "
                "first frame and the first tool made a mask of it in every frame; the second "
                "tool spread a grid of dots inside that mask and kept each dot glued to the "
                "same spot on the deck. How do the two tools share the work?",
                "Model: MaskFollow: Semi-Supervised Video Object Segmentation\n"
                "Paper: https://arxiv.org/abs/2301.00009\n\n"
                "Model: DotTrack: Online Point Tracking with Memory\n"
                "Paper: https://arxiv.org/abs/2301.00010\n",
                "Model: Tracking Any Point\nPaper: None\n",
            )
        )
    )
    result = prepared.brief.plan
    assert result.understanding.task.id == "point_tracking"
    names = {s.id: s.name for s in prepared.brief.sources}
    nodes = {n.id: n for n in result.workflow.nodes}
    edges = {
        (
            names.get(nodes[e.source].source_id or "", nodes[e.source].kind),
            names.get(nodes[e.target].source_id or "", nodes[e.target].kind),
        )
        for e in result.workflow.edges
    }
    assert ("MaskFollow", "DotTrack") in edges
    assert not [n for n in nodes.values() if n.kind == "operation" and not n.optional]


def _model_edges(prepared) -> set[tuple[str, str]]:
    result = prepared.brief.plan
    names = {s.id: s.name for s in prepared.brief.sources}
    nodes = {n.id: n for n in result.workflow.nodes}
    return {
        (
            names.get(nodes[e.source].source_id or "", nodes[e.source].kind),
            names.get(nodes[e.target].source_id or "", nodes[e.target].kind),
        )
        for e in result.workflow.edges
    }


def test_a_bare_title_told_after_the_job_betters_what_the_job_made():
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt(
            _prompt(
                "I took about 40 photos around the old boathouse. The app turned them into a "
                "fly-through video along a path I never walked, and then made that video "
                "sharper and smoother before handing it over. How do the two steps fit?",
                "Model: GridField: Anti-Aliased Neural Radiance Fields\n"
                "Paper: https://arxiv.org/abs/2301.00011\n\n"
                "Model: ClipPolish: Generative Space-Time Enhancement for Video Generation\n"
                "Paper: https://arxiv.org/abs/2301.00012\n",
                "Model: Plenoxels\nPaper: None\n",
            )
        )
    )
    assert prepared.brief.plan.understanding.task.id == "static_view_synthesis"
    assert ("GridField", "ClipPolish") in _model_edges(prepared)


def test_a_bare_title_told_first_betters_each_photo_of_the_set():
    from scholarflow.engine import prepare

    prepared = prepare(
        parse_prompt(
            _prompt(
                "雨の日に港の倉庫を60枚ほど撮ったら、どの写真もレンズに水滴がついていました。"
                "アプリがまず水滴を消して、そのあと写真から倉庫の3D点群と各写真の撮影位置を出して"
                "くれました。二つの処理はどうつながっていますか？",
                "Model: PRISM: Multi-Axis Mixers for Image Processing\n"
                "Paper: https://arxiv.org/abs/2301.00013\n\n"
                "Model: FeatSfM: Structure-from-Motion with Featuremetric Refinement\n"
                "Paper: https://arxiv.org/abs/2301.00014\n",
                "Model: Global Structure-from-Motion Revisited\nPaper: None\n",
            )
        )
    )
    assert prepared.brief.plan.understanding.task.id == "sfm_reconstruction"
    assert ("PRISM", "FeatSfM") in _model_edges(prepared)


def test_a_tool_of_another_field_with_no_ports_of_its_own_is_said_to_be_one():
    # an MLOps toolkit takes and makes nothing of its own; the flag says what it is
    prompt = _prompt(
        "I filmed our relay and tapped my daughter in the first frame; the app kept a mask on "
        "her through the whole race. How does it follow her?",
        "Model: Chainlit: Interactive Machine Learning Demos in Python\n"
        "Paper: https://arxiv.org/abs/2301.00015\n",
        "Model: MaskFollow: Semi-Supervised Video Object Segmentation\n"
        "Paper: https://arxiv.org/abs/2301.00016\n"
        "Summary: Follows an object through a video from its mask in the first frame.\n",
    )
    result, sources = _plan(prompt)
    names = {s.id: s.name for s in sources.values()}
    (warning,) = [w for w in result.warnings if w.code == "model_task_mismatch"]
    assert names[warning.source_id] == "Chainlit"
    assert "another field" in warning.message


def _edges_by_name(result, sources) -> set[tuple[str, str]]:
    names = {
        n.id: (sources[n.source_id].name if n.source_id else n.kind) for n in result.workflow.nodes
    }
    optional = {n.id for n in result.workflow.nodes if n.optional}
    return {
        (names[e.source], names[e.target])
        for e in result.workflow.edges
        if e.source not in optional and e.target not in optional
    }


def test_someone_erased_from_the_driving_clip_is_erased_before_it_drives_the_animation():
    # (guard, the review's) the dog is only in the driving clip: erasing it after the
    # animation would erase nothing
    prompt = _prompt(
        "I filmed myself dancing in the garden but our dog kept running through the shot. The "
        "app removed the dog from the video first, and then my son's teddy bear photo danced "
        "with my moves. How do the two steps connect?",
        "Model: MimicMotion: High-Quality Human Motion Video Generation with Confidence-aware "
        "Pose Guidance\nPaper: https://arxiv.org/abs/2406.19680\n\n"
        "Model: ProPainter: Improving Propagation and Transformer for Video Inpainting\n"
        "Paper: https://arxiv.org/abs/2309.03897\n",
        "Model: Animate Anyone: Consistent and Controllable Image-to-Video Synthesis for "
        "Character Animation\nPaper: None\n",
    )
    from scholarflow.engine import answer

    result = answer(parse_prompt(prompt))
    names = {n.id: n.label if n.source_id else n.kind for n in result.workflow.nodes}
    edges = {(names[e.source], names[e.target]) for e in result.workflow.edges}
    assert ("ProPainter", "MimicMotion") in edges
    assert ("MimicMotion", "ProPainter") not in edges


def test_two_engines_offered_for_the_same_prompt_are_two_ways_not_a_chain():
    # (the whole engine: both models are read from the built-in catalog as it reads them)
    from scholarflow.engine import answer

    prompt = _prompt(
        "I typed 'a paper boat's trip down the gutter and then sinking in a puddle' and got a "
        "short clip. The app offered two engines for the same prompt. How does each one turn "
        "my words into moving frames?",
        "Model: AnimateDiff: Animate Your Personalized Text-to-Image Diffusion Models without "
        "Specific Tuning\nPaper: https://arxiv.org/abs/2307.04725\n\n"
        "Model: EasyAnimate: A High-Performance Long Video Generation Method based on "
        "Transformer Architecture\nPaper: https://arxiv.org/abs/2405.18991\n",
        "Model: Latte: Latent Diffusion Transformer for Video Generation\nPaper: None\n",
    )
    result = answer(parse_prompt(prompt))
    names = {n.id: n.label if n.source_id else n.kind for n in result.workflow.nodes}
    edges = {(names[e.source], names[e.target]) for e in result.workflow.edges}
    assert ("AnimateDiff", "EasyAnimate") not in edges
    assert ("EasyAnimate", "AnimateDiff") not in edges
    assert {("input", "AnimateDiff"), ("input", "EasyAnimate")} <= edges


@pytest.mark.parametrize("had", ["I gave the app", "I have"])
def test_a_photo_described_in_words_restyles_the_clip_through_those_words(had):
    prompt = _prompt(
        f"{had} a short clip of my garden and a photo of an old quilt I love. It first "
        "described the quilt's look in words, then restyled every frame of the clip so the "
        "garden looks stitched from fabric. How do the two steps fit together?",
        "Model: CapMaker: Improving Large Multi-Modal Models with Better Captions\n"
        "Paper: https://arxiv.org/abs/2401.00015\n\n"
        "Model: MergeEdit: Video Token Merging for Zero-Shot Video Editing\n"
        "Paper: https://arxiv.org/abs/2401.00016\n",
        "Model: TokenFlow: Consistent Diffusion Features for Consistent Video Editing\n"
        "Paper: None\n",
    )
    result, sources = _plan(prompt)
    edges = _edges_by_name(result, sources)
    assert ("CapMaker", "MergeEdit") in edges and ("MergeEdit", "output") in edges


def test_a_light_picked_from_the_apps_list_is_no_input_of_the_relighter():
    prompt = _prompt(
        "I photographed a pressed flower frame under a ceiling lamp. In the app I picked "
        "'light from the east, warmer' from its settings, and the photo came back lit from "
        "the side. How does it move the light in a photo already taken?",
        "Model: LampNet: Deep Relighting Networks for Image Light Source Manipulation\n"
        "Paper: https://arxiv.org/abs/2401.00017\n",
        "Model: DiLightNet: Fine-grained Lighting Control for Diffusion-based Image "
        "Generation\nPaper: None\n",
    )
    result, _sources = _plan(prompt)
    inputs = [n for n in result.workflow.nodes if n.kind == "input"]
    assert [n.modality for n in inputs] == ["image"]


_MESH_FROM_ONE_PHOTO = (
    "MeshForge: Single Image to 3D Object Generation with Multi-View Diffusion"  # (made up)
)


def test_a_model_making_an_objects_mesh_from_one_photo_does_a_look_all_round_the_object():
    # the mesh, drawn from a camera circling it, is the orbit video: the model does the job
    # with only that drawing after it
    from scholarflow.engine import prepare
    from scholarflow.models import Request

    maker = enrich(
        Source(id="s1", name="MeshForge", title=_MESH_FROM_ONE_PHOTO, role="recommended")
    )
    assert maker.tasks[:1] == ("image_to_3d",)
    request = Request(
        question=(
            "I only have one photo of my grandmother's brass teapot, and I got back a video "
            "that circles all the way round it, showing the spout side and the back the photo "
            "never showed. How does it know what the back looks like?"
        ),
        recommended=(maker,),
    )
    understanding = understand(request)
    assert understanding.task.id == "novel_view_video_from_image"
    assert judge_fit(understanding, (maker,)) == {"s1": True}
    assert not [w for w in prepare(request).brief.plan.warnings if w.code == "model_task_mismatch"]


def test_a_mesh_of_one_object_is_no_look_around_a_room():
    # the same model, asked for a look around a place: one object's mesh holds no room
    from scholarflow.models import Request

    maker = enrich(
        Source(id="s1", name="MeshForge", title=_MESH_FROM_ONE_PHOTO, role="recommended")
    )
    request = Request(
        question=(
            "I have one photo of the empty living room in our new house and wanted a video "
            "looking all the way around the room, into the corners the photo never showed. "
            "How would that work from one photo?"
        ),
        recommended=(maker,),
    )
    understanding = understand(request)
    assert understanding.task.id == "novel_view_video_from_image"
    assert "render_mesh" not in understanding.task.done_by
    assert judge_fit(understanding, (maker,)) == {"s1": False}


_UPSCALER = "SharpAgain: Photo-Realistic Image Super-Resolution with Diffusion Priors"
_CAPTIONER = "SceneTeller: Rich Descriptions of Photos from a Vision-Language Model"
_INPAINTER = "FillWise: Multimodal Image Inpainting with a Pretrained Diffusion Model"


def _recommended(*titles: str) -> tuple[Source, ...]:
    return tuple(
        enrich(Source(id=f"s{i}", name=t.split(":")[0], title=t, role="recommended"))
        for i, t in enumerate(titles, start=1)
    )


@pytest.mark.parametrize(
    ("titles", "question"),
    [
        (
            (_UPSCALER, _CAPTIONER),
            "I got a sharper, bigger version of my pixelated photo plus a short caption "
            "describing it. How?",
        ),
        (
            (_INPAINTER, _CAPTIONER),
            "The app removed the person from my photo and described the result in one "
            "sentence for my alt text.",
        ),
    ],
)
def test_a_caption_the_user_names_is_what_came_out_not_a_guide(titles, question):
    # (the captioner beside an upscaler or an inpainter describes their result: no text is
    # handed back into the first model)
    from scholarflow.engine import prepare
    from scholarflow.models import Request

    brief = prepare(Request(question=question, recommended=_recommended(*titles))).brief
    result = brief.plan
    assert result.understanding.task.id == "image_captioning"
    names = {s.id: s.name for s in brief.sources}
    nodes = {n.id: names.get(n.source_id or "", n.kind) for n in result.workflow.nodes}
    edges = {(nodes[e.source], nodes[e.target], e.modality) for e in result.workflow.edges}
    assert ("SceneTeller", "output", "text") in edges
    assert not any(
        target != "SceneTeller" and m == "text"
        for _, target, m in edges - {("SceneTeller", "output", "text")}
    )
    assert not [w for w in result.warnings if w.code == "model_read_from_request"]


def test_words_read_off_a_picture_are_no_description_to_fill_with():
    # an OCR system beside an inpainter reads the watermark's words: a job of another field,
    # which guides nothing and is still said not to fit
    from scholarflow.engine import prepare
    from scholarflow.models import Request

    recommended = _recommended(
        "InkSight: Optical Character Recognition for Low-Quality Documents", _INPAINTER
    )
    question = (
        "How do I remove the watermark from a photo I bought? The text is right across the middle."
    )
    result = prepare(Request(question=question, recommended=recommended)).brief.plan
    assert result.understanding.task.id == "image_inpainting"
    assert not any(e.modality == "text" for e in result.workflow.edges)
    flagged = {w.source_id for w in result.warnings if w.code == "model_task_mismatch"}
    assert flagged == {"s1"}


def test_an_object_where_it_stands_in_a_room_is_drawn_round_from_its_mesh():
    # the armchair in the living room is an object where it stands: a model making its mesh
    # from the photo does the look all round it
    from scholarflow.engine import prepare
    from scholarflow.models import Request

    maker = enrich(
        Source(id="s1", name="MeshForge", title=_MESH_FROM_ONE_PHOTO, role="recommended")
    )
    question = (
        "I have one photo of the antique armchair in our living room and got a video that "
        "circles all the way round the chair. How?"
    )
    request = Request(question=question, recommended=(maker,))
    understanding = understand(request)
    assert understanding.task.id == "novel_view_video_from_image"
    assert set(understanding.subjects) == {"object", "place"}
    assert "render_mesh" in understanding.task.done_by
    result = prepare(request).brief.plan
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    assert any(n.source_id == "s1" for n in result.workflow.nodes if not n.optional)


def test_a_title_only_model_whose_title_states_the_users_start_is_not_flagged():
    prompt = _prompt(
        "I took one photo of my grandad's carved owl and got a 3D model I can spin round "
        "and print. How does it build the whole shape from one picture?",
        "Model: SplatForge: Gaussian Splatting for Fast Single-View 3D Reconstruction\n"
        "Paper: https://arxiv.org/abs/2301.00011\n",
        "",
    )
    from scholarflow.engine import answer

    result = answer(parse_prompt(prompt))
    assert result.understanding.task.id == "image_to_3d"
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    on_main = {n.source_id for n in result.workflow.nodes if n.source_id and not n.optional}
    assert "s1" in on_main


def _flagged_and_edges(prompt: str) -> tuple[str, list[str], set[tuple[str, str]]]:
    """The task read, the names of the flagged models and the workflow's edges, each end
    named by its model, its operation or its label."""
    from scholarflow.engine import answer

    result = answer(parse_prompt(prompt))
    nodes = {n.id: n for n in result.workflow.nodes}
    names = {r.source_id: r.name for r in result.references}

    def end(node_id: str) -> str:
        node = nodes[node_id]
        return names.get(node.source_id or "", "") or node.operation or node.kind

    flagged = [names[w.source_id] for w in result.warnings if w.code == "model_task_mismatch"]
    edges = {(end(e.source), end(e.target)) for e in result.workflow.edges}
    return result.understanding.task.id, flagged, edges


_STEREO_QUESTION = (
    "My flat drone clip of the harbour became a side-by-side 3D video for my VR headset, and "
    "there are no torn edges around the masts. How do the models work together?"
)
_DEPTH_MODEL = (
    "Model: DeepLong: Consistent Depth Estimation for Very Long Videos\n"
    "Paper: https://arxiv.org/abs/2301.00011\n"
)


def test_a_depth_model_then_an_inpainter_make_the_stereo_clip_the_inpainter_filling_its_holes():
    # the second eye's view, shifted by depth, has holes where the first eye saw nothing:
    # the inpainter recommended beside the depth model fills them, on each eye's view
    task, flagged, edges = _flagged_and_edges(
        _prompt(
            _STEREO_QUESTION,
            _DEPTH_MODEL + "\nModel: GapPainter: Any-Length Video Inpainting with Diffusion\n"
            "Paper: https://arxiv.org/abs/2301.00012\n",
            "",
        )
    )
    assert task == "stereo_conversion"
    assert flagged == []
    assert ("DeepLong", "render_stereo_pair") in edges
    assert ("render_stereo_pair", "GapPainter") in edges
    assert ("GapPainter", "output") in edges


def test_a_depth_model_alone_leaves_the_holes_of_the_stereo_clip_and_is_still_flagged():
    task, flagged, edges = _flagged_and_edges(_prompt(_STEREO_QUESTION, _DEPTH_MODEL, ""))
    assert task == "stereo_conversion"
    assert flagged == ["DeepLong"]
    assert ("render_stereo_pair", "output") in edges


def test_a_depth_model_then_an_inpainter_make_new_views_of_a_photo_the_holes_filled():
    task, flagged, edges = _flagged_and_edges(
        _prompt(
            "I only had one photo of the old lighthouse, and the app made a short video "
            "where the camera moves around it to new viewpoints, the gaps behind it filled "
            "in. How do the two models work together?",
            "Model: DepthMuse: Repurposing Image Generators for Monocular Depth Estimation\n"
            "Paper: https://arxiv.org/abs/2301.00013\n"
            "\nModel: GapPainter: Any-Length Video Inpainting with Diffusion\n"
            "Paper: https://arxiv.org/abs/2301.00012\n",
            "",
        )
    )
    assert task == "novel_view_video_from_image"
    assert flagged == []
    assert ("render_point_cloud", "GapPainter") in edges
    assert ("GapPainter", "output") in edges


_TYPED_3D = (
    "I typed 'a brass diving helmet with green patina' and got a 3D model I can print. How "
    "do the two models work together?"
)


def test_two_bare_titles_are_read_as_the_jobs_near_them_that_together_do_the_task():
    # "Nested Diffusion Models" is read first as an image edit and "ObjLift" as a depth step;
    # recommended together for a prompt made into a 3D model, the jobs near their titles
    # that make one workflow are the ones they do: a picture from the prompt, then its model
    task, flagged, edges = _flagged_and_edges(
        _prompt(
            _TYPED_3D,
            "Model: Nested Diffusion Models\nPaper: https://arxiv.org/abs/2301.00014\n"
            "\nModel: ObjLift: Object Reconstruction Models at Scale\n"
            "Paper: https://arxiv.org/abs/2301.00015\n",
            "",
        )
    )
    assert task == "text_to_3d"
    assert flagged == []
    assert ("Nested Diffusion Models", "ObjLift") in edges
    assert ("ObjLift", "output") in edges


def test_a_bare_title_read_anew_for_the_workflow_says_its_part_comes_from_the_request():
    from scholarflow.engine import answer

    result = answer(
        parse_prompt(
            _prompt(
                _TYPED_3D,
                "Model: Nested Diffusion Models\nPaper: https://arxiv.org/abs/2301.00014\n"
                "\nModel: ObjLift: Object Reconstruction Models at Scale\n"
                "Paper: https://arxiv.org/abs/2301.00015\n",
                "",
            )
        )
    )
    told = {w.source_id for w in result.warnings if w.code == "model_read_from_request"}
    assert told == {"s1", "s2"}


def test_a_model_whose_summary_says_its_job_is_not_read_anew_beside_a_bare_title():
    task, flagged, _ = _flagged_and_edges(
        _prompt(
            _TYPED_3D,
            "Model: Nested Diffusion Models\nPaper: https://arxiv.org/abs/2301.00014\n"
            "\nModel: TalkVox: Expressive Text-to-Speech\n"
            "Paper: https://arxiv.org/abs/2301.00016\n"
            "Summary: TalkVox reads a written sentence aloud in a chosen voice, turning text "
            "into speech audio.\n",
            "",
        )
    )
    assert task == "text_to_3d"
    assert "TalkVox" in flagged


def test_a_bare_title_read_anew_is_not_wired_in_only_through_a_paste():
    # a generalist title could be read as a segmenter whose mask pastes the picture over
    # itself: in the platform's workflow each model makes the result or what another takes
    task, _, edges = _flagged_and_edges(
        _prompt(
            "For the club poster I typed 'a watercolour of a red lighthouse on a cliff' and "
            "got a lovely picture, then I typed 'add a flock of gulls over the lamp room' and "
            "the same picture came back with gulls and nothing else changed. How do the two "
            "models share the work?",
            "Model: Tide-DiT: A Powerful Multi-Resolution Diffusion Transformer with "
            "Fine-Grained Understanding\nPaper: https://arxiv.org/abs/2301.00031\n"
            "\nModel: OmniVision: A Generalist Modeling Interface for Vision Tasks\n"
            "Paper: https://arxiv.org/abs/2301.00032\n",
            "",
        )
    )
    assert task == "text_to_image"
    assert not [edge for edge in edges if "composite_still" in edge]
    assert ("OmniVision", "output") in edges


def test_an_inpainter_listed_before_the_depth_model_still_fills_the_shifted_eyes_holes():
    # run first, on the flat clip, it would leave the holes the shift makes: it goes after
    task, flagged, edges = _flagged_and_edges(
        _prompt(
            _STEREO_QUESTION,
            "Model: GapPainter: Any-Length Video Inpainting with Diffusion\n"
            "Paper: https://arxiv.org/abs/2301.00012\n\n" + _DEPTH_MODEL,
            "",
        )
    )
    assert task == "stereo_conversion"
    assert flagged == []
    assert ("render_stereo_pair", "GapPainter") in edges
    assert ("GapPainter", "output") in edges
    assert ("input", "GapPainter") not in edges


def test_an_inpainter_before_a_stereo_model_works_on_the_flat_clip_not_on_each_eye():
    # a stereo model's clip has no holes to fill: an object removed first is removed from
    # the user's flat clip, which the stereo model then converts
    task, flagged, edges = _flagged_and_edges(
        _prompt(
            "First the crane arm was erased from my clip of the harbour, then the clean clip "
            "became a side-by-side 3D video for my VR headset. How do the two models work "
            "together?",
            "Model: GapPainter: Any-Length Video Inpainting with Diffusion\n"
            "Paper: https://arxiv.org/abs/2301.00012\n"
            "\nModel: StereoGen: Diffusion-based Stereoscopic 3D from Monocular Videos\n"
            "Paper: https://arxiv.org/abs/2301.00017\n",
            "",
        )
    )
    assert task == "stereo_conversion"
    assert flagged == []
    assert ("input", "GapPainter") in edges
    assert ("GapPainter", "StereoGen") in edges
    assert ("StereoGen", "output") in edges


def test_a_reference_picture_the_user_brought_goes_to_the_model_that_takes_it():
    # two ways to one picture: a model taking the words alone, listed first, and one taking
    # the words and a picture given as an image prompt. The user's style photo goes to the
    # second, on a path of its own; the first one's drawn picture is never its reference.
    prompt = _prompt(
        "I gave it a photo of my grandmother's embroidered tablecloth and typed 'a bake sale "
        "poster with cupcakes'. The poster came out stitched all over like the cloth. How?",
        "Model: StyleFirst: Free Lunch towards Style-Preserving in Text-to-Image Generation\n"
        "Paper: https://arxiv.org/abs/2404.02733\n\n"
        "Model: IP-Adapter: Text Compatible Image Prompt Adapter for Text-to-Image Diffusion "
        "Models\nPaper: https://arxiv.org/abs/2308.06721\n",
        "Model: Style Aligned Image Generation via Shared Attention\nPaper: None\n",
    )
    result, _ = _plan(prompt)
    workflow = result.workflow
    adapter = next(n for n in workflow.nodes if n.label == "IP-Adapter")
    assert not adapter.optional
    feeds = [workflow.node(e.source) for e in workflow.edges if e.target == adapter.id]
    assert {(n.kind, n.modality) for n in feeds} == {("input", "text"), ("input", "image")}
    for edge in workflow.edges:
        if edge.role == "reference":
            assert workflow.node(edge.source).kind == "input"
