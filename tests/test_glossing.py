"""The English gloss of a question in another language (glossing), and what the meaning signal
makes of it (understanding reads the gloss where the embedding model cannot read the question)."""

from __future__ import annotations

import tomllib
import unicodedata
from importlib import resources

import pytest

from scholarflow import understanding
from scholarflow.glossing import GLOSSED, english_gloss
from scholarflow.models import Request


def test_a_german_compound_is_glossed_by_its_start_and_its_longer_parts():
    gloss = english_gloss("Die Tiefenkarten der Werkstatt passen nicht.", "de").split()
    assert "depth" in gloss and "map" in gloss


@pytest.mark.parametrize(
    ("question", "language", "words"),
    [
        ("祖母の写真を動画にしたい", "ja", ["photo", "video"]),
        ("사진마다 깊이 지도를 만들었어요", "ko", ["photo", "depth", "map"]),
        ("Grabé un vídeo de mi perro en la playa", "es", ["video", "dog", "beach"]),
    ],
)
def test_the_content_words_of_a_question_are_glossed_in_order_of_appearance(
    question, language, words
):
    gloss = english_gloss(question, language).split()
    assert set(words) <= set(gloss)
    assert [gloss.index(word) for word in words] == sorted(gloss.index(word) for word in words)


def test_a_short_format_word_is_glossed_only_as_a_whole_word():
    # "vr" is a whole word in the glossary: it is no start of "vrai"
    assert "vr" not in english_gloss("C'est vrai, c'est joli.", "fr").split()
    assert "vr" in english_gloss("Je veux le voir en VR.", "fr").split()


def test_a_hyphenated_word_is_glossed_whole_or_part_by_part():
    assert "background" in english_gloss("Changer l'arrière-plan de la vidéo", "fr")
    assert {"3d", "model"} <= set(english_gloss("Ein 3D-Modell der Burg", "de").split())


@pytest.mark.parametrize("language", ["en", "it", "zh", ""])
def test_english_and_languages_the_glossary_does_not_keep_get_no_gloss(language):
    assert english_gloss("a photo became a video", language) == ""


def test_the_glossary_keeps_the_rules_its_scan_relies_on():
    with resources.files("scholarflow.lexicon").joinpath("glosses.toml").open("rb") as handle:
        glossary = tomllib.load(handle)
    assert set(glossary) == GLOSSED
    for language, table in glossary.items():
        assert len(table) >= 400, language
        for key, gloss in table.items():
            assert key == unicodedata.normalize("NFKC", key).lower(), (language, key)
            assert gloss and gloss == gloss.strip() and "  " not in gloss, (language, key)
            if language in {"de", "es", "fr"}:
                # a stem of three letters at least, or a short whole word of a format
                assert len(key) >= 3 or key in {"3d", "4k", "8k", "hd", "vr", "ar"}, key
            else:
                # one kana or hangul would match inside unrelated words
                assert len(key) >= 2 or unicodedata.name(key).startswith("CJK"), key


@pytest.mark.parametrize(
    ("question", "task"),
    [
        (
            "Tengo un vídeo del cumpleaños de mi hijo y quiero quitar a un señor que cruza por "
            "detrás, rellenando el fondo en cada fotograma. ¿Cómo se hace?",
            "video_inpainting",
        ),
        (
            "夜の花火をスマホで撮った動画がカクカクなので、コマの間を埋めてなめらかなスローにしたい。"
            "どういう仕組み？",
            "frame_interpolation",
        ),
    ],
)
def test_a_free_question_in_another_language_is_read_by_the_meaning_of_its_gloss(
    question, task, monkeypatch
):
    asked = understanding.understand(Request(question=question, recommended=(), origin="free"))
    assert asked.task.id == task
    # without the gloss, the question's own words do not reach that task
    monkeypatch.setattr(understanding, "_GLOSSED_SHARE", {})
    understanding._SIMILARITY_CACHE.clear()
    unglossed = understanding.understand(Request(question=question, recommended=(), origin="free"))
    assert unglossed.task.id != task


@pytest.mark.parametrize(
    ("text", "language", "wrong"),
    [
        ("el martes", "es", "sea"),
        ("la planète", "fr", "shot"),
        ("die Seele", "de", "lake"),
        ("冒頭で", "ja", "head"),
        ("아이폰으로", "ko", "child"),
    ],
)
def test_a_longer_word_is_not_read_as_the_shorter_key_it_starts_with(text, language, wrong):
    assert wrong not in english_gloss(text, language).split()


def test_a_hyphenated_word_keeps_its_stem_before_it_is_split():
    # "arrière-plans" is the plural of the key "arrière-plan", not "arrière" and "plans"
    assert english_gloss("les arrière-plans", "fr") == "background"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("무릎에 점을 몇 개 찍었더니 끝까지 따라갔어요", "ko"),
        ("膝に点を打ったら最後までついてきた", "ja"),
    ],
)
def test_dots_put_on_a_subject_are_glossed_as_dots_not_as_a_shot(text, language):
    from scholarflow.glossing import english_gloss

    assert "dots" in english_gloss(text, language)


def test_stickers_followed_and_never_lost_are_glossed():
    gloss = english_gloss(
        "丸いシールを貼って回しました。アプリは点を見失わず、同じ点にくっついていました。", "ja"
    )
    assert "sticker" in gloss and "lose track" in gloss and "stuck to" in gloss
    # a shield is no sticker for starting with the same letters
    assert "sticker" not in english_gloss("盾（シールド）を持った騎士の写真", "ja")
