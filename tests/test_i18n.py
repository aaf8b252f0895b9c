"""The answer's own words in the question's language; the sources' words as written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from scholarflow.catalog import builtin_entries
from scholarflow.engine import answer
from scholarflow.i18n import LANGUAGES, Messages, message_ids, messages_for, problems
from scholarflow.models import Request, Source

from answer_checks import check_answer

DEPTH_QUESTIONS = {
    "ko": "내 영상을 프레임마다 깜빡이지 않는 깊이 영상으로 바꿨어요. 어떻게 한 건가요?",
    "ja": "動画を、ちらつかない深度動画に変換しました。どうやって？",
    "es": "Convertí mi video en un video de profundidad que no parpadea. ¿Cómo funciona?",
    "de": "Ich habe aus meinem Video ein Tiefenvideo gemacht, das nicht flackert. Wie geht das?",
    "fr": "J'ai transformé ma vidéo en vidéo de profondeur qui ne scintille pas. Comment ?",
}


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_language_translates_every_message_with_its_fields(language: str):
    assert problems(language) == []


def test_the_message_ids_cover_the_taxonomy_and_the_message_file():
    ids = message_ids()
    assert "### 1. The task" in ids
    assert "video depth estimation" in ids  # a task name
    assert "depth video" in ids  # a modality label
    assert len(ids) > 250


def test_an_unknown_language_and_a_missing_message_fall_back_to_english():
    assert Messages("pt")("heading_task") == "### 1. The task"
    assert messages_for("ko").t("a text no catalog has") == "a text no catalog has"


def _depthcrafter() -> Source:
    entry = next(e for e in builtin_entries() if e.id == "depthcrafter")
    return entry.model_copy(update={"id": "s1", "role": "recommended"})


@pytest.mark.parametrize("language", sorted(DEPTH_QUESTIONS))
def test_a_question_in_five_languages_is_answered_in_it_and_stays_grounded(language: str):
    request = Request(question=DEPTH_QUESTIONS[language], recommended=(_depthcrafter(),))
    result = answer(request)
    text = messages_for(language)
    assert result.understanding.language == language
    assert result.understanding.task.id == "video_depth_estimation"
    for key in ("heading_task", "heading_workflow", "heading_references"):
        assert text(key) in result.markdown, key
    assert "### 1. The task" not in result.markdown
    # The task's name is said in the question's language; the source's own sentences are not
    # translated (the summary of DepthCrafter is English and is quoted as written).
    assert text.task_name(result.understanding.task) in result.markdown
    assert "DepthCrafter" in result.markdown
    from scholarflow.render.json_format import answer_to_dict

    data = answer_to_dict(result)
    assert data["language"] == language
    check_answer(data, request)


@pytest.mark.parametrize("language", ["ko", "es"])
def test_a_free_question_in_another_language_finds_the_entry_for_its_task(tmp_path, language: str):
    """The embedding model reads English: a Korean or Spanish question is searched by the
    English words of the task it describes, and is served by the entry for that task."""
    result = subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", "ask", DEPTH_QUESTIONS[language], "-f", "json"],
        capture_output=True,
        timeout=120,
        env={**os.environ, "SCHOLARFLOW_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["served"] is True
    assert data["references"][0]["name"] == "DepthCrafter"
    assert data["language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_of_the_answer_names_a_model_it_was_not_given(language):
    # The template's own words pass the same screen as a writer's: no window of them may read
    # as a known model's name ("that part is" squashes to "Parti").
    from scholarflow.grounding import known_names_in

    text = Messages(language)
    for english_text, where in message_ids().items():  # the messages and the taxonomy's words
        sentence = re.sub(r"\{\w+\}", "◊", text.t(english_text))
        assert known_names_in(sentence) == [], (language, where, sentence)
