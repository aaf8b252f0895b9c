"""Property: any question built from the words the reader of roles keys on, in any order and
in several languages, is read without an error, and the engine answers it.

The reader looks back and forward from each thing it finds (markers, steps, participles,
verbs of coming out, particles): every rule that indexes the words around a thing is a place
an odd order can break. These questions are built to put those words next to each other in
orders no one writes on purpose.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarflow.engine import answer
from scholarflow.models import Request
from scholarflow.text import normalize
from scholarflow.understanding import _modality_mentions

# Per language (the reader's rules depend on the language it detects: German closes clauses
# with participles; Japanese and Korean put the verb last): words that say who acted, the
# things, the verbs after them, and the words that open the next step.
_LANGUAGES = {
    "en": (("I", "I got", "I typed", "it", "from", "into", "my", "and", "then I", ""),
           ("a photo", "the video", "a clip", "a 3D model", "a depth map", "photos",
            "the camera path", "'a red fox'"),
           ("", "came out", "was generated", "turned into", "came back", "of it"),
           (", and then", ", then", ". Then", " and", ";")),
    "de": (("Ich habe", "ich habe", "aus", "von", "mit meinem", "und", ""),
           ("ein Foto", "ein Video", "eine Tiefenkarte", "Fotos", "den Clip",
            "'ein roter Fuchs'", "die Kamerafahrt"),
           ("", "bekommen", "hochgeladen", "eingetippt", "erhalten", "kam heraus", "wurde zu"),
           (", dann", " und dann", ". Danach", " und")),
    "es": (("subí", "me devolvió", "con mi", "de", "y", ""),
           ("una foto", "el vídeo", "un clip", "fotos", "'un zorro rojo'",
            "el recorrido de la cámara"),
           ("", "salió", "se convirtió en"),
           (", y luego", ", luego", ". Después", " y")),
    "fr": (("j'ai", "avec ma", "à partir d'", "et", ""),
           ("une photo", "la vidéo", "un clip", "des photos", "'un renard roux'"),
           ("", "a créé", "est sortie"),
           (", puis", " et puis", ". Ensuite", " et")),
    "ja": (("", "犬の"),
           ("写真", "動画", "カメラの軌道"),
           ("を", "が", "が一枚だけあります", "にしたい", "を入れたら", "から", "ができました"),
           ("、それから", "。次に", "、")),
    "ko": (("", "강아지"),
           ("사진", "영상"),
           ("을", "이", "이 한 장밖에 있어요", "을 넣었더니", "이 나왔어요", "으로 만들었어요"),
           (", 그다음", ". 그리고 나서", ", ")),
}  # fmt: skip


def _clause(language: str) -> st.SearchStrategy[str]:
    acts, things, verbs, _ = _LANGUAGES[language]
    return st.tuples(st.sampled_from(acts), st.sampled_from(things), st.sampled_from(verbs)).map(
        lambda parts: " ".join(p for p in parts if p)
    )


def _question(language: str) -> st.SearchStrategy[str]:
    clauses = st.lists(_clause(language), min_size=1, max_size=5)
    openers = st.lists(st.sampled_from(_LANGUAGES[language][3]), min_size=4, max_size=4)
    return st.tuples(clauses, openers).map(
        lambda pair: "".join(
            clause + (pair[1][i] + " " if i < len(pair[0]) - 1 else ".")
            for i, clause in enumerate(pair[0])
        )
    )


_QUESTIONS = st.sampled_from(sorted(_LANGUAGES)).flatmap(_question)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_QUESTIONS)
def test_any_order_of_the_words_roles_are_read_from_is_read_without_an_error(question):
    mentions = _modality_mentions(normalize(question))
    assert all(m.role in {"have", "want", None} for m in mentions)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_QUESTIONS)
def test_any_such_question_gets_an_answer(question):
    result = answer(Request(question=f"{question} How does it work?", recommended=()))
    assert result.markdown.strip()
