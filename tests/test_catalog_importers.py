"""Catalog importers: JSONL, BibTeX, awesome-list Markdown, seed prompts."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarflow.catalog.importers import (
    CatalogImportError,
    ImportProblem,
    UnknownFormatError,
    classify_link,
    detect_format,
    latex_to_text,
    merge_duplicates,
    read_catalog_file,
    read_entries,
    select_entries,
)
from scholarflow.catalog.store import CatalogStore, open_catalog
from scholarflow.errors import InputError
from scholarflow.models import CatalogEntry

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
AWESOME = FIXTURES / "awesome-video-depth.md"
BIBTEX = FIXTURES / "references.bib"
JSONL = FIXTURES / "entries.jsonl"
BROKEN_JSONL = FIXTURES / "entries-broken.jsonl"
PROMPT = FIXTURES / "seed-prompt.txt"


@pytest.fixture
def store(catalog_location: Path | str):
    """A fresh catalog in each store (conftest.CATALOG_BACKENDS)."""
    with open_catalog(catalog_location) as opened:
        yield opened


def entries_of(path: Path) -> list[CatalogEntry]:
    entries, _ = select_entries(read_entries(path), skip_bad=True)
    return entries


def imported(store: CatalogStore, path: Path) -> dict[str, CatalogEntry]:
    """Import `path`, then read back (export) what came from it, keyed by title."""
    entries, _ = select_entries(read_entries(path), skip_bad=True)
    store.upsert_many(entries)
    return {entry.title: entry for entry in store.entries() if entry.provenance.origin == str(path)}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("list.jsonl", "jsonl"),
        ("LIST.NDJSON", "jsonl"),
        ("refs.bib", "bibtex"),
        ("README.md", "awesome-md"),
        ("notes.markdown", "awesome-md"),
        ("prompt.txt", "prompt"),
    ],
)
def test_detect_format_by_extension(name, fmt):
    assert detect_format(Path(name)) == fmt


def test_unknown_extension_names_the_formats():
    with pytest.raises(UnknownFormatError) as caught:
        detect_format(Path("papers.csv"))
    message = str(caught.value)
    assert "papers.csv" in message and "'.csv'" in message
    for fmt in ("jsonl", "bibtex", "awesome-md", "prompt"):
        assert fmt in message
    assert isinstance(caught.value, InputError) and caught.value.exit_code == 2


def test_unknown_explicit_format_is_an_input_error(tmp_path):
    path = write(tmp_path, "x.jsonl", "")
    with pytest.raises(UnknownFormatError, match="unknown import format 'csv'"):
        read_entries(path, "csv")


def test_missing_and_non_utf8_files_are_input_errors(tmp_path):
    with pytest.raises(CatalogImportError, match="no such file"):
        read_entries(tmp_path / "absent.jsonl")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"title": "ok"}\n{"title": "Caf\xe9"}\n')
    with pytest.raises(CatalogImportError, match=r"latin.jsonl: line 2: not UTF-8"):
        read_entries(latin)


# --------------------------------------------------------------------------- JSONL


def test_jsonl_round_trip(store):
    by_title = imported(store, JSONL)
    phone = by_title["Phone Depth Filter"]
    assert phone.name == "PhoneDepth" and phone.kind == "model"
    assert phone.tags == ("depth", "mobile")
    assert phone.tasks[0] == "video_depth_estimation"  # inferred from its summary
    assert phone.signatures[0].outputs == ("depth_video",)
    assert phone.provenance.line == 2
    lighting = by_title["Lighting Transfer for Portraits"]
    assert lighting.arxiv_id == "2501.00001"
    assert lighting.tasks == ("image_to_image",)  # given tasks are kept
    assert lighting.provenance.line == 4  # the blank line 3 is skipped, numbering is not
    # DepthCrafter merged into the built-in row (same arXiv id) and now carries the user's tags.
    depthcrafter = store.get("depthcrafter")
    assert depthcrafter is not None and depthcrafter.tags == ("video depth",)
    assert depthcrafter.builtin is False


def test_bad_jsonl_line_aborts_the_import_and_leaves_the_store_unchanged(store):
    count_before = store.count()
    rows_before = [entry.model_dump() for entry in store.entries()]
    with pytest.raises(CatalogImportError) as caught:
        entries, _ = select_entries(read_entries(BROKEN_JSONL))
        store.upsert_many(entries)
    assert str(caught.value).startswith(f"{BROKEN_JSONL}: line 3: not valid JSON: Expecting ','")
    assert "\n" not in str(caught.value)
    assert caught.value.line == 3 and caught.value.exit_code == 2
    assert store.count() == count_before
    assert [entry.model_dump() for entry in store.entries()] == rows_before


def test_skip_bad_imports_the_good_lines_and_reports_each_skipped_line(store):
    entries, skipped = select_entries(read_entries(BROKEN_JSONL), skip_bad=True)
    assert [problem.line for problem in skipped] == [3, 5, 6, 7]
    assert all(isinstance(problem, ImportProblem) for problem in skipped)
    messages = [problem.message for problem in skipped]
    assert messages[0].startswith("not valid JSON")
    assert messages[1] == "expected a JSON object, found a list"
    assert messages[2].startswith("no title")
    assert messages[3] == '"tags" must be a list of strings, found a string'
    report = store.upsert_many(entries)
    assert report.added == 4
    assert [entry.provenance.line for entry in entries] == [1, 2, 4, 8]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"title": 42}', '"title" must be a string, found a number'),
        ('{"title": "x", "kind": "dataset"}', '"kind" must be "model" or "paper"'),
        ('{"title": "x", "tasks": ["dreaming"]}', "unknown task id 'dreaming'"),
        ('{"title": "x", "paper_url": "not a link"}', '"paper_url" is not a link'),
        ('{"title": "x", "summary": ["a"]}', '"summary" must be a string, found a list'),
        ('{"title": "   "}', "no title"),
        ("42", "expected a JSON object, found a number"),
    ],
)
def test_jsonl_problems_say_what_is_wrong(tmp_path, line, message):
    path = write(tmp_path, "one.jsonl", line + "\n")
    [(number, item)] = read_entries(path)
    assert number == 1
    assert isinstance(item, ImportProblem)
    assert message in item.message
    assert str(item).startswith(f"{path}: line 1: ")


def test_jsonl_accepts_an_id_and_ignores_unknown_fields(tmp_path):
    path = write(tmp_path, "ids.jsonl", '{"title": "Kept Id", "id": "my-id", "extra": 1}\n')
    [entry] = entries_of(path)
    assert entry.id == "my-id"


# --------------------------------------------------------------------------- BibTeX


def test_bibtex_round_trip(store):
    by_title = imported(store, BIBTEX)
    cafe = by_title["Café Scènes: Müller's Depth & Flow for Été Videos"]
    assert cafe.paper_url == "https://doi.org/10.1145/3658000.3658001"
    assert cafe.github_url == "https://github.com/example/cafe-scenes"  # \url{} in a note
    assert cafe.provenance.line == 21
    marigold = by_title[
        "Repurposing Diffusion-Based Image Generators for Monocular Depth Estimation"
    ]
    assert marigold.paper_url == "https://arxiv.org/abs/2312.02145"  # \url{} in howpublished
    assert marigold.arxiv_id == "2312.02145"
    toolkit = by_title["A Depth Toolkit"]
    assert toolkit.paper_url == "https://example.org/depth-toolkit/"  # @misc with only a url
    scholar = by_title["Consistent video depth estimation"]
    assert scholar.arxiv_id == "2004.15021"  # "arXiv preprint arXiv:…" in journal
    # eprint + archivePrefix, upper-case fields, a month macro: merged into the built-in row.
    depthcrafter = store.get("depthcrafter")
    assert depthcrafter is not None
    assert depthcrafter.tags == ("video depth", "diffusion", "temporal consistency")
    assert depthcrafter.summary.startswith("Estimating video depth in open-world scenarios")
    assert "DepthCrafter, which generates" in depthcrafter.summary  # \emph{} removed
    assert depthcrafter.provenance.line == 5


def test_bibtex_entry_without_title_is_a_problem_at_its_line():
    problems = [item for _, item in read_entries(BIBTEX) if isinstance(item, ImportProblem)]
    assert [(p.line, p.message) for p in problems] == [
        (50, "BibTeX entry 'no-title-here' has no title")
    ]


def test_bibtex_broken_entries_cost_only_themselves(tmp_path):
    path = write(
        tmp_path,
        "broken.bib",
        "@article{good1, title = {First Good}}\n"
        "@article{nocomma\n  title = {Missing the comma after the key},\n}\n"
        "@article{macro, title = {Undefined Macro}, month = sometime}\n"
        "@comment{ignored}\n"
        "@misc{good2, TITLE = {Second Good}, URL = {https://github.com/example/second}}\n",
    )
    parsed = read_entries(path)
    assert [line for line, _ in parsed] == [1, 2, 5, 7]
    assert isinstance(parsed[1].item, ImportProblem)
    assert "could not read this BibTeX entry" in parsed[1].item.message
    titles = [item.title for _, item in parsed if isinstance(item, CatalogEntry)]
    assert titles == ["First Good", "Undefined Macro", "Second Good"]
    assert parsed[3].item.github_url == "https://github.com/example/second"


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"M{\"u}ller", "Müller"),
        (r"Caf\'{e}", "Café"),
        (r"{\'{E}}t{\'e}", "Été"),
        (r"Depth \& Flow", "Depth & Flow"),
        (r"{{DepthCrafter}}: Long", "DepthCrafter: Long"),
        (r"\textbf{Bold} and {\em old} style", "Bold and old style"),
        (r"Garc{\'\i}a", "García"),
        (r"50\% of $x^2$", "50% of x^2"),
        (r"\href{https://x.org}{Link text}", "Link text"),
    ],
)
def test_latex_becomes_plain_text(latex, text):
    assert latex_to_text(latex) == text


# --------------------------------------------------------------------------- awesome lists


def test_awesome_md_round_trip(store):
    by_title = imported(store, AWESOME)
    video_depth_anything = by_title[
        "Video Depth Anything: Consistent Depth Estimation for Super-Long Videos"
    ]
    assert video_depth_anything.paper_url == "https://arxiv.org/pdf/2501.12375.pdf"  # as written
    assert video_depth_anything.arxiv_id == "2501.12375"
    assert (
        video_depth_anything.github_url == "https://github.com/DepthAnything/Video-Depth-Anything"
    )
    assert video_depth_anything.project_url == "https://videodepthanything.github.io/"
    assert video_depth_anything.tags == ("depth estimation", "video depth")
    marigold = by_title[
        "Marigold: Repurposing Diffusion-Based Image Generators for Monocular Depth Estimation"
    ]
    assert marigold.tags == ("depth estimation", "monocular depth")
    assert marigold.github_url == "https://github.com/prs-eth/Marigold"
    assert marigold.arxiv_id == "2312.02145"
    # The first item merged into the built-in DepthCrafter row: same arXiv id.
    depthcrafter = store.get("depthcrafter")
    assert depthcrafter is not None and depthcrafter.paper_url == "https://arxiv.org/abs/2409.02095"
    assert depthcrafter.summary.startswith("Long, temporally consistent depth")


def test_awesome_md_titles_come_from_links_bold_or_text_never_badges():
    titles = [entry.title for entry in entries_of(AWESOME)]
    assert titles == [
        "DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos",
        "Video Depth Anything: Consistent Depth Estimation for Super-Long Videos",
        "Consistent Video Depth Estimation",
        "ChronoDepth: Learning Temporally Consistent Video Depth from Video Diffusion Priors",
        "Robust Consistent Video Depth Estimation",
        "Refinement of Monocular Depth Maps via Multi-View Differentiable Rendering",
        "NoPaperRepo",
        "Marigold: Repurposing Diffusion-Based Image Generators for Monocular Depth Estimation",
        "Depth Anything V2",
        "Make-It-4D: Synthesizing a Consistent Long-Term Dynamic Scene Video from a Single Image",
        "SV4D 2.0",
        "4K4D: Real-Time 4D View Synthesis at 4K Resolution",
        "awesome-3d-generation",
    ]
    assert not any("star" in title.lower() or "shields" in title for title in titles)


def test_awesome_md_skips_items_without_paper_or_code_silently():
    parsed = read_entries(AWESOME)
    assert all(isinstance(item, CatalogEntry) for _, item in parsed)
    titles = " ".join(item.title for _, item in parsed)
    skipped_items = ("blog post", "Sintel", "talk we liked", "Not an item", "survey", "CONTRIB")
    for skipped in skipped_items:
        assert skipped not in titles


def test_awesome_md_headings_become_clean_tags():
    by_title = {entry.title: entry for entry in entries_of(AWESOME)}
    refine = by_title["Refinement of Monocular Depth Maps via Multi-View Differentiable Rendering"]
    assert refine.tags == ("depth estimation", "video depth", "depth refinement")  # 🧪 and ":"
    assert refine.paper_url == "https://arxiv.org/pdf/2410.03861v1"
    assert refine.arxiv_id == "2410.03861"
    assert by_title["SV4D 2.0"].tags == ("4d generation",)


def test_awesome_md_sub_items_of_links_belong_to_the_item_above():
    by_title = {entry.title: entry for entry in entries_of(AWESOME)}
    robust = by_title["Robust Consistent Video Depth Estimation"]
    assert robust.paper_url == "https://openreview.net/forum?id=robustcvd2021"
    assert robust.github_url == "https://github.com/facebookresearch/robust_cvd"
    chrono = by_title[
        "ChronoDepth: Learning Temporally Consistent Video Depth from Video Diffusion Priors"
    ]
    assert chrono.paper_url == "https://arxiv.org/abs/2406.01493"  # on a continuation line
    assert chrono.project_url == "https://xdimlab.github.io/ChronoDepth/"


def test_awesome_md_table_rows_become_entries():
    by_title = {entry.title: entry for entry in entries_of(AWESOME)}
    make_it = by_title[
        "Make-It-4D: Synthesizing a Consistent Long-Term Dynamic Scene Video from a Single Image"
    ]
    assert make_it.paper_url == "http://arxiv.org/pdf/2308.10257v1.pdf"
    assert make_it.arxiv_id == "2308.10257"
    assert make_it.provenance.line == 48
    sv4d = by_title["SV4D 2.0"]
    assert sv4d.github_url == "https://github.com/Stability-AI/generative-models"  # a badge link
    four_k = by_title["4K4D: Real-Time 4D View Synthesis at 4K Resolution"]
    assert four_k.paper_url.endswith("CVPR_2024_paper.pdf")
    assert four_k.tasks == ("dynamic_view_synthesis",)  # from the built-in entry it matches


def test_awesome_md_code_only_items_are_named_after_their_repository():
    by_title = {entry.title: entry for entry in entries_of(AWESOME)}
    assert by_title["NoPaperRepo"].github_url == "https://github.com/Tencent/NoPaperRepo"
    assert by_title["NoPaperRepo"].paper_url is None


def test_awesome_md_paper_link_without_any_title_is_a_problem(tmp_path):
    path = write(tmp_path, "bare.md", "## Papers\n\n- [paper](https://arxiv.org/abs/2401.01234)\n")
    [(line, item)] = read_entries(path)
    assert line == 3 and isinstance(item, ImportProblem)
    assert "no title" in item.message


def test_awesome_md_reference_links_and_html_anchors(tmp_path):
    path = write(
        tmp_path,
        "refs.md",
        "## Tools\n\n"
        "- [Reference Style Paper][rsp] with a [code][rsp-code] link\n"
        '- <a href="https://arxiv.org/abs/2402.05555">HTML Anchor Paper</a>\n\n'
        "[rsp]: https://arxiv.org/abs/2402.04444\n"
        "[rsp-code]: https://github.com/example/rsp\n",
    )
    by_title = {entry.title: entry for entry in entries_of(path)}
    assert by_title["Reference Style Paper"].github_url == "https://github.com/example/rsp"
    assert by_title["HTML Anchor Paper"].arxiv_id == "2402.05555"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://arxiv.org/abs/2409.02095", "paper"),
        ("http://arxiv.org/pdf/2308.10257v1.pdf", "paper"),
        ("https://openreview.net/pdf?id=abc", "paper"),
        ("https://aclanthology.org/2023.acl-long.1.pdf", "paper"),
        ("https://example.com/paper.PDF", "paper"),
        ("https://github.com/Tencent/DepthCrafter", "code"),
        ("https://github.com/topics/depth", "other"),
        ("https://github.com/Tencent", "other"),
        ("https://depthcrafter.github.io/", "project"),
        ("https://medium.com/@x/depth-maps-explained", "other"),
        ("https://arxiv.org/list/cs.CV/recent", "other"),
    ],
)
def test_classify_link(url, kind):
    assert classify_link(url) == kind


# --------------------------------------------------------------------------- prompts


def test_prompt_round_trip(store):
    by_title = imported(store, PROMPT)
    relight = by_title["Flicker-Free Video Relighting with Temporal Attention"]
    assert relight.kind == "paper" and relight.project_url == "https://relight.example.org"
    assert relight.provenance.line == 18
    depthcrafter = store.get("depthcrafter")  # the recommended model merged into the built-in
    assert depthcrafter is not None and depthcrafter.kind == "model"
    assert depthcrafter.paper_url == "https://arxiv.org/pdf/2409.02095"
    refine = store.get("refine-monodepth")
    assert refine is not None and refine.summary.startswith("Depth maps from one image")
    assert refine.tasks == ("depth_refinement",)


def test_prompt_entries_take_signatures_from_matching_builtins():
    entries = {entry.title: entry for entry in entries_of(PROMPT)}
    depthcrafter = entries[
        "DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos"
    ]
    assert depthcrafter.kind == "model"
    assert [signature.arrow() for signature in depthcrafter.signatures] == ["video → depth_video"]
    assert depthcrafter.provenance.origin == str(PROMPT)
    assert depthcrafter.provenance.line == 7


def test_unparseable_prompt_file_is_an_input_error(tmp_path):
    path = write(tmp_path, "nothing.txt", "Just some text without the seed format.\n")
    with pytest.raises(InputError, match=r"nothing\.txt"):
        read_entries(path)


# --------------------------------------------------------------------------- progress


def test_read_entries_reports_progress_to_the_end():
    calls: list[tuple[int, int]] = []
    parsed = read_entries(AWESOME, on_progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(parsed), len(parsed))


@pytest.mark.parametrize(
    ("item", "title"),
    [
        ("+ **[CVPR 2024]** Paper One [[paper](https://arxiv.org/abs/2401.11111)]", "Paper One"),
        ("- [2024/01] [Paper Two](https://arxiv.org/abs/2401.22222) - what it does", "Paper Two"),
        ("1. **Paper Three.** *A. Author.* CVPR 2024. [[PDF](https://x.org/3.pdf)]", "Paper Three"),
        ("* 【ICLR'24】Paper Five [paper](https://openreview.net/forum?id=five)", "Paper Five"),
        ("- [Paper Six (NeurIPS 2023)](https://arxiv.org/pdf/2310.66666.pdf)", "Paper Six"),
        (
            "- Paper Seven, Smith et al., arXiv 2023. [[Paper](https://arxiv.org/abs/2312.77777)]",
            "Paper Seven",
        ),
        ("- [arXiv:2401.88888](https://arxiv.org/abs/2401.88888) Paper Eight", "Paper Eight"),
        ("- Paper Nine https://github.com/a/nine", "Paper Nine"),
    ],
)
def test_awesome_md_title_patterns(tmp_path, item, title):
    path = write(tmp_path, "one.md", f"## Papers\n\n{item}\n")
    [entry] = entries_of(path)
    assert entry.title == title


# --------------------------------------------------------------------------- layouts of real lists


TITLE_THEN_LINKS = """\
# My Awesome List

[![Awesome](https://awesome.re/badge.svg)](https://awesome.re) [![PRs](https://img.shields.io/badge/PRs-welcome-green.svg)](https://github.com/me/my-list/pulls)

A list of papers. See also [another list](https://github.com/someone/other-list) for more.

## Video Depth

**DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos**
[📄 Paper](https://arxiv.org/abs/2409.02095) | [💻 Code](https://github.com/Tencent/DepthCrafter)

**Flicker-Free Depth for Phone Videos**
[📄 Paper](https://arxiv.org/abs/2501.00011) | [🌐 Project](https://flickerfree.example.org/)
Keeps the depth of every surface steady from one frame to the next, without camera poses.

Plain Line Title Without Emphasis
[Paper](https://openreview.net/forum?id=plainline) [Code](https://github.com/example/plainline)

A Lone Title Line With A Blank Line After It

[[Paper](https://arxiv.org/abs/2502.00022)] [[Code](https://github.com/example/lone)]

### Depth From Headings: One Paper Per Heading
[Paper](https://arxiv.org/abs/2503.00033) · [Code](https://github.com/example/headings)

Our code is here:
[code](https://github.com/example/not-an-entry)
"""


def test_title_then_links_layout_gives_one_entry_per_title(tmp_path):
    path = write(tmp_path, "layout.md", TITLE_THEN_LINKS)
    by_title = {entry.title: entry for entry in entries_of(path)}
    assert list(by_title) == [
        "DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos",
        "Flicker-Free Depth for Phone Videos",
        "Plain Line Title Without Emphasis",
        "A Lone Title Line With A Blank Line After It",
        "Depth From Headings: One Paper Per Heading",
    ]
    depthcrafter = by_title[
        "DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos"
    ]
    assert depthcrafter.paper_url == "https://arxiv.org/abs/2409.02095"
    assert depthcrafter.github_url == "https://github.com/Tencent/DepthCrafter"
    assert depthcrafter.tags == ("video depth",)
    assert depthcrafter.provenance.line == 9
    flicker = by_title["Flicker-Free Depth for Phone Videos"]
    assert flicker.project_url == "https://flickerfree.example.org/"
    assert flicker.summary is not None and flicker.summary.startswith("Keeps the depth")
    plain = by_title["Plain Line Title Without Emphasis"]
    assert plain.paper_url == "https://openreview.net/forum?id=plainline"
    assert plain.github_url == "https://github.com/example/plainline"
    lone = by_title["A Lone Title Line With A Blank Line After It"]
    assert lone.arxiv_id == "2502.00022" and lone.github_url == "https://github.com/example/lone"
    heading = by_title["Depth From Headings: One Paper Per Heading"]
    assert heading.github_url == "https://github.com/example/headings"
    assert heading.tags == ("video depth",)  # its own heading is its title, not a topic


def test_a_file_with_only_badges_prose_and_anchors_has_no_entries(tmp_path):
    path = write(
        tmp_path,
        "empty.md",
        "# Awesome Nothing [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
        "## Table of Contents\n\n- [Papers](#papers)\n- [Tools](#tools)\n\n"
        '<p align="center"><img src="https://example.org/teaser.gif" width="240px"/></p>\n\n'
        "## Papers\n\nComing soon, see [our site](https://example.org).\n",
    )
    assert entries_of(path) == []
    with pytest.raises(CatalogImportError) as caught:
        read_catalog_file(path)
    message = str(caught.value)
    assert "no entries" in message and "awesome-md" in message and "--format" in message
    assert "\n" not in message


def test_items_linking_only_to_their_project_page_are_papers_when_they_read_like_one(tmp_path):
    path = write(
        tmp_path,
        "pages.md",
        "## Papers\n\n"
        "<details open>\n<summary>Unconstrained Images</summary>\n\n"
        "- [NeRF in the Wild: Neural Radiance Fields for Unconstrained Photo Collections]"
        "(https://nerf-w.github.io/), Martin-Brualla et al., CVPR 2021 | "
        "[bibtex](./NeRF-and-Beyond.bib#L152-L158)\n"
        "- [NeRD: Neural Reflectance Decomposition from Image Collections]"
        "(https://markboss.me/publication/2021-nerd/), Boss et al., Arxiv 2020 | "
        "[github](https://github.com/cgtuebingen/NeRD) | "
        "[bibtex](https://github.com/yenchenlin/awesome-NeRF/blob/main/citations/nerd.txt)\n"
        "- [Sintel](http://sintel.is.tue.mpg.de/) - the classic optical flow benchmark.\n"
        "</details>\n\n"
        "## Talks\n"
        "- [NeRF: Representing Scenes](https://www.youtube.com/watch?v=LCTYRqW), Mildenhall 2020\n"
        "- [Notebook](https://www.kaggle.com/code/a/nerf), [@a](https://x.com/a), 2022\n",
    )
    by_title = {entry.title: entry for entry in entries_of(path)}
    assert list(by_title) == [
        "NeRF in the Wild: Neural Radiance Fields for Unconstrained Photo Collections",
        "NeRD: Neural Reflectance Decomposition from Image Collections",
    ]
    wild = by_title["NeRF in the Wild: Neural Radiance Fields for Unconstrained Photo Collections"]
    assert wild.project_url == "https://nerf-w.github.io/"
    assert wild.paper_url is None and wild.github_url is None
    assert wild.summary is None  # "Martin-Brualla et al., CVPR 2021" is a byline
    assert wild.tags == ("papers", "unconstrained images")  # <summary> groups like a heading
    nerd = by_title["NeRD: Neural Reflectance Decomposition from Image Collections"]
    assert nerd.project_url == "https://markboss.me/publication/2021-nerd/"
    assert nerd.github_url == "https://github.com/cgtuebingen/NeRD"  # not the list's bibtex


def test_badges_say_what_their_links_are(tmp_path):
    path = write(
        tmp_path,
        "badges.md",
        "### Video Generation\n"
        "+ [Motion Modes: What Could Happen Next?](https://motionmodes.github.io/x/Modes.pdf)"
        " (Dec., 2024)\n"
        "  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)]"
        "(https://motionmodes.github.io/x/Modes.pdf)\n"
        "  [![Website](https://img.shields.io/badge/Website-9cf)](http://lab.example.com/modes)\n"
        "  [![Star](https://img.shields.io/github/stars/ex/modes.svg?style=social&label=Star)]"
        "(https://github.com/ex/modes)\n",
    )
    [entry] = entries_of(path)
    assert entry.title == "Motion Modes: What Could Happen Next?"  # the date is not the title
    assert entry.paper_url == "https://motionmodes.github.io/x/Modes.pdf"  # a PDF is the paper
    assert entry.project_url == "http://lab.example.com/modes"  # a "Website" badge
    assert entry.github_url == "https://github.com/ex/modes"


def test_one_arxiv_id_given_to_two_different_papers_stays_with_the_first(tmp_path):
    path = write(
        tmp_path,
        "slip.md",
        "## Benchmarks\n"
        "+ [Impossible Videos](https://arxiv.org/abs/2503.14378) (Mar., 2025)\n"
        "+ [One-Shot Motion Customization](https://arxiv.org/abs/2402.14780) (Feb., 2024)\n"
        "## Applications\n"
        "+ [Paper2Video: Automatic Video Generation](https://arxiv.org/abs/2503.14378)\n"
        "  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)]"
        "(https://arxiv.org/abs/2510.05096)\n"
        "+ [Code2Video: Educational Videos](https://showlab.github.io/Code2Video/)\n"
        "  [![Star](https://img.shields.io/github/stars/showlab/Code2Video.svg)]"
        "(https://github.com/showlab/Code2Video)\n"
        "  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)]"
        "(https://arxiv.org/abs/2503.14378)\n"
        "+ [Customize-A-Video: One-Shot Motion Customization](https://arxiv.org/abs/2402.14780)\n",
    )
    entries = entries_of(path)
    by_title = {entry.title: entry for entry in entries}
    assert by_title["Impossible Videos"].arxiv_id == "2503.14378"
    paper2video = by_title["Paper2Video: Automatic Video Generation"]
    assert paper2video.arxiv_id == "2510.05096"  # its other arXiv link, nobody else's
    assert paper2video.paper_url == "https://arxiv.org/abs/2510.05096"
    code2video = by_title["Code2Video: Educational Videos"]
    assert code2video.arxiv_id is None and code2video.paper_url is None  # only a taken id
    assert code2video.github_url == "https://github.com/showlab/Code2Video"
    # The same paper under a longer title keeps its id: it is a repeat, not a slip.
    assert by_title["Customize-A-Video: One-Shot Motion Customization"].arxiv_id == "2402.14780"


def test_a_paper_repeated_in_one_file_counts_once_with_the_tags_of_both(tmp_path):
    path = write(
        tmp_path,
        "repeats.md",
        "## Video Generation\n"
        "- [RIFLEx: A Free Lunch for Length Extrapolation](https://arxiv.org/abs/2502.15894)\n"
        "- [Untitled Depth Paper](https://example.org/depth.pdf)\n"
        "## Long Video\n"
        "- [RIFLEx: A Free Lunch for Length Extrapolation](https://arxiv.org/pdf/2502.15894)"
        " [code](https://github.com/thu-ml/RIFLEx)\n"
        "- [Untitled depth paper](https://example.org/depth.pdf)\n",
    )
    found = read_catalog_file(path)
    assert found.duplicates == 2
    assert [entry.title for entry in found.entries] == [
        "RIFLEx: A Free Lunch for Length Extrapolation",
        "Untitled Depth Paper",
    ]
    riflex = found.entries[0]
    assert riflex.paper_url == "https://arxiv.org/abs/2502.15894"  # the first mention's
    assert riflex.github_url == "https://github.com/thu-ml/RIFLEx"  # filled by the second
    assert riflex.tags == ("video generation", "long video")


def test_merge_duplicates_keeps_papers_with_different_arxiv_ids_apart():
    def entry(title: str, paper: str | None) -> CatalogEntry:
        return CatalogEntry(id=title, name=title, title=title, paper_url=paper)

    merged, repeats = merge_duplicates(
        [
            entry("Video Depth", "https://arxiv.org/abs/2401.00001"),
            entry("Video Depth", "https://arxiv.org/abs/2401.00002"),
            entry("video depth", None),  # no id: the first paper of that title
            entry("Other", "https://arxiv.org/abs/2401.00001v2"),  # same id: the first paper
        ]
    )
    assert [(e.title, e.arxiv_id) for e in merged] == [
        ("Video Depth", "2401.00001"),
        ("Video Depth", "2401.00002"),
    ]
    assert repeats == 2
