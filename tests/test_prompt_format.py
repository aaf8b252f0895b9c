"""The prompt parser: tolerant of what platforms do to the text, strict about what it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarflow.errors import PromptFormatError
from scholarflow.prompt_format import parse_prompt, render_prompt, short_name

SIMPLE = """You are an AI scientist.

A user has asked the following question:
"My clip became a depth video. How?"

### Recommended AI Models:
Model: DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos
Paper: https://arxiv.org/pdf/2409.02095
GitHub: https://github.com/Tencent/DepthCrafter

### Related Papers:
Model: Make-It-4D: Synthesizing a Consistent Long-Term Dynamic Scene Video from a Single Image
Paper: http://arxiv.org/pdf/2308.10257v1.pdf
Summary: It lifts one image into a moving point cloud.

Model: Some Paper Without Links
Paper: None
GitHub: None

Answer:
"""


def test_reads_question_sources_and_roles():
    request = parse_prompt(SIMPLE)
    assert request.question == "My clip became a depth video. How?"
    assert [s.name for s in request.recommended] == ["DepthCrafter"]
    assert [s.id for s in request.sources] == ["s1", "s2", "s3"]
    depth, make_it, bare = request.sources
    assert depth.role == "recommended" and make_it.role == "related"
    assert depth.github_url == "https://github.com/Tencent/DepthCrafter"
    assert make_it.summary == "It lifts one image into a moving point cloud."
    assert bare.paper_url is None and bare.github_url is None and bare.summary is None


def test_every_seed_parses(seeds: dict[str, Path]):
    for path in seeds.values():
        request = parse_prompt(path.read_text(encoding="utf-8"), where=path.name)
        assert request.question.endswith("?")
        assert len(request.recommended) == 1 and len(request.related) >= 2
        for source in request.related:
            assert source.summary and source.paper_url


def test_crlf_blank_lines_reordered_fields_and_trailing_answer_change_nothing():
    expected = parse_prompt(SIMPLE)
    crlf = SIMPLE.replace("\n", "\r\n")
    spaced = SIMPLE.replace("\n\n", "\n\n\n\n").replace("Model: Make", "\n\nModel: Make")
    reordered = SIMPLE.replace(
        "Model: Make-It-4D: Synthesizing a Consistent Long-Term Dynamic Scene Video from a "
        "Single Image\nPaper: http://arxiv.org/pdf/2308.10257v1.pdf\nSummary: It lifts one "
        "image into a moving point cloud.",
        "Summary: It lifts one image into a moving point cloud.\nModel: Make-It-4D: "
        "Synthesizing a Consistent Long-Term Dynamic Scene Video from a Single Image\n"
        "Paper: http://arxiv.org/pdf/2308.10257v1.pdf",
    )
    assert reordered != SIMPLE
    no_answer = SIMPLE.replace("Answer:\n", "")
    for variant in (crlf, spaced, reordered, no_answer):
        assert _without_provenance(parse_prompt(variant)) == _without_provenance(expected)


def _without_provenance(request):
    return [s.model_copy(update={"provenance": None}) for s in request.sources], request.question


def test_wrapped_summary_lines_are_joined():
    wrapped = SIMPLE.replace("Summary: It lifts one image", "Summary: It lifts\none image")
    assert (
        parse_prompt(wrapped).related[0].summary == "It lifts one image into a moving point cloud."
    )


def test_none_and_missing_fields_mean_absent():
    request = parse_prompt(SIMPLE.replace("Paper: https://arxiv.org/pdf/2409.02095", "Paper: none"))
    assert request.recommended[0].paper_url is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SIMPLE.replace('"My clip became a depth video. How?"', ""), "no question"),
        (SIMPLE.split("A user")[0], "no question"),
        (SIMPLE.split("### Recommended")[0], "no recommended model"),
        (SIMPLE.replace("Model: DepthCrafter", "Paper: x\nGitHub: y\n#"), "entry has no 'Model:'"),
        (
            SIMPLE.replace("Models:\nModel:", "Models:\n\n### Related Papers:\nModel:"),
            "has no 'Model:' entry",
        ),
        (SIMPLE.replace("Model: Some Paper Without Links", "Title: None"), "entry has no 'Model:'"),
        (SIMPLE.replace("Models:\n", "Models:\nsome stray words\n"), "expected an entry line"),
    ],
)
def test_unreadable_prompts_name_what_is_missing_and_where(text: str, message: str):
    with pytest.raises(PromptFormatError) as caught:
        parse_prompt(text, where="p.txt")
    assert message in str(caught.value)
    assert str(caught.value).startswith("p.txt")
    assert "\n" not in str(caught.value)


def test_rendered_prompt_parses_back_to_the_same_request(seeds: dict[str, Path]):
    for path in seeds.values():
        request = parse_prompt(path.read_text(encoding="utf-8"), where="x")
        again = parse_prompt(render_prompt(request), where="x")
        assert _without_provenance(again) == _without_provenance(request)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("SV4D 2.0: Enhancing Spatio-Temporal Consistency", "SV4D 2.0"),
        (
            "Cinematic Behavior Transfer via NeRF-based Differentiable Filming",
            "Cinematic Behavior Transfer",
        ),
        (
            "3D reconstruction using Structure for Motion",
            "3D reconstruction using Structure for Motion",
        ),
        (
            "Txt2Img-StableDiffusionV1-QGO-PromptingReal",
            "Txt2Img-StableDiffusionV1-QGO-PromptingReal",
        ),
    ],
)
def test_short_names(title: str, name: str):
    assert short_name(title) == name


def test_tex_accents_in_a_summary_are_read_as_the_letters_they_stand_for():
    from scholarflow.prompt_format import parse_prompt

    text = (
        'A user has asked the following question:\n"How does it control the camera?"\n\n'
        "### Recommended AI Models:\nModel: CamCo: Camera Control\n"
        "Summary: Poses enter as Pl\\\"ucker coordinates; caf{\\'e} stays {braced} as written.\n"
    )
    summary = parse_prompt(text).recommended[0].summary
    assert summary == "Poses enter as Plücker coordinates; café stays {braced} as written."
