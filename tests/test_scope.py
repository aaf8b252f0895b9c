"""Who a model is made for: a title that says faces, portraits or people rules the model out
for a request about someone else (a mare, a whole dancing body), whatever its ports say.

The words are read from lexicon/subjects.toml; these tests pin how they are read (whole words,
the question's own language only, comparisons and judging words left out) and what the
planner does with a model out of its scope (flagged, and no step of the path)."""

from __future__ import annotations

import pytest

from scholarflow.models import Source
from scholarflow.planning import plan
from scholarflow.prompt_format import parse_prompt
from scholarflow.scope import named_scope, outside_scope, question_subjects, title_scope
from scholarflow.signatures import enrich
from scholarflow.understanding import understand

from conftest import PROMPTS_DIR


def _titled(title: str) -> Source:
    return Source(id="s1", name=title.split(":")[0], title=title, role="recommended")


@pytest.mark.parametrize(
    ("title", "scope"),
    [
        ("CodeFormer: Towards Robust Blind Face Restoration with Codebook Lookup", "face"),
        ("A Lip Sync Expert Is All You Need for Speech to Lip Generation", "face"),
        ("LivePortrait: Efficient Portrait Animation with Retargeting Control", "portrait"),
        ("WHAM: Reconstructing World-grounded Humans with Accurate 3D Motion", "person"),
        # two scopes named: the widest holds ("human portrait" is about people)
        ("SwitchLight: Physics-driven Architecture for Human Portrait Relighting", "person"),
        # a judging word after it: the people judge, the model works on anything
        ("Learning and Evaluating Human Preferences for Text-to-Image Generation", None),
        ("Segment Anything", None),
        # whole words only: "surface" has no face in it, "Anybody" no body
        ("Neural Surface Reconstruction for Anybody's Scenes", None),
    ],
)
def test_a_title_states_the_scope_of_its_subject(title: str, scope: str | None):
    found = title_scope(_titled(title))
    assert (found.id if found else None) == scope


def test_a_task_named_for_people_has_their_scope():
    assert named_scope("human motion capture").id == "person"
    assert named_scope("lip sync and dubbing").id == "face"
    assert named_scope("3D motion estimation") is None


@pytest.mark.parametrize(
    ("question", "language", "kinds"),
    [
        ("I filmed our mare trotting in the paddock.", "en", {"animal"}),
        ("Grabé a mi yegua galopando en la pista.", "es", {"animal"}),
        ("제 전신 사진 한 장이랑 안무 영상을 넣었더니", "ko", {"whole_body"}),
        ("うちの柴犬が走る動画を撮りました", "ja", {"animal"}),
        # each language its own words: German "man" is no man, Spanish "llama" is a verb
        ("Wie kann man aus dem Video meines Pferdes 3D machen?", "de", {"animal"}),
        ("Mi perra se llama Luna y la grabé saltando.", "es", {"animal"}),
        # no word hides inside another: カメラ (camera) holds no カメ (turtle)
        ("カメラで撮った動画の奥行きが知りたい", "ja", set()),
        # a thing named in a comparison is not what the footage shows
        ("The drone shot moves as if a bird had filmed it.", "en", set()),
        ("My son rode his pony across the field.", "en", {"person", "animal"}),
        # a room, a street, a landscape: a place
        ("J'ai photographié la cuisine au crépuscule.", "fr", {"place"}),
        ("I film my bedroom and every curl of my hair stays soft.", "en", {"place", "person"}),
        # a vehicle, a product, a sign: a thing no one is in
        ("Ich habe das Typenschild vom Traktor fotografiert.", "de", {"object"}),
        ("A shot of the teapot on our kitchen table.", "en", {"object", "place"}),
        # an owner named right before the thing is not shown; a performer is
        ("A blurry crop of my grandfather's tractor nameplate.", "en", {"object"}),
        ("Filmed my son's trampoline routine in the garden.", "en", {"person", "place"}),
        # a Korean word takes its particle ("아이의", the child's): the word alone hides in
        # others ("아이디어", an idea)
        ("학예회에서 주인공 아이의 움직임을 뽑았어요.", "ko", {"person"}),
        ("새 아이디어가 있어요.", "ko", set()),
        # a he or a she shown is a person, whatever word names them; not beside an animal,
        # which people call he and she too
        ("My cousin danced on the benches and I filmed him.", "en", {"person"}),
        ("She landed her first clean jump; I filmed it on a phone.", "en", {"person"}),
        ("I filmed our mare and her foal.", "en", {"animal"}),
        # an owner is not shown
        ("A 3D model of his tractor from photos.", "en", {"object"}),
        # "the" holds no "he"
        ("The kettle whistled on the stove.", "en", {"object"}),
        # an animal drawn or worn is a character, animated like a person; named again, it is
        # the same character
        ("Our mascot, a drawn otter, copied the captain's dance.", "en", {"whole_body"}),
        ("The otter mascot waved, keeping the otter's look.", "en", set()),
        ("牧場のマスコット（牛のキャラクター）のイラスト", "ja", set()),
        ("학교 마스코트인 호랑이 캐릭터 그림", "ko", set()),
        # not across a sentence, and not a filmed animal beside no such word
        ("I drew a sketch. Then my cat jumped.", "en", {"animal"}),
        ("A drawing of our cat, and a cartoon of a fox.", "en", set()),
        # words used of real animals too, words hiding inside longer ones, a word counting
        # only before its animal, and an animal said to be real
        ("My dog was drawn to the ball and jumped.", "en", {"animal"}),
        ("I filmed my dog in a costume at the parade.", "en", {"animal"}),
        ("My dog's comic timing is great in this clip.", "en", {"animal"}),
        ("My horse drawn carriage ride, the horse trotting.", "en", {"animal"}),
        ("고양이 그림자가 벽에 비쳤어요", "ko", {"animal"}),
        ("猫の写真をアニメーションにしたい", "ja", {"animal"}),
        ("犬が絵本を見ている動画", "ja", {"animal"}),
        ("There is a cartoon dog on TV and my real dog barks at it.", "en", {"animal"}),
    ],
)
def test_the_question_shows_its_subject_in_its_own_language(question, language, kinds):
    assert question_subjects(question, language) == frozenset(kinds)


@pytest.mark.parametrize(
    ("title", "kinds", "outside"),
    [
        ("Reconstructing World-grounded Humans with Accurate 3D Motion", {"animal"}, True),
        # a person named with the animal: the request is about them as well
        (
            "Reconstructing World-grounded Humans with Accurate 3D Motion",
            {"animal", "person"},
            False,
        ),
        ("Efficient Portrait Animation with Retargeting Control", {"whole_body"}, True),
        # a person's whole body is inside a model made for people
        ("Consistent Human Image Animation with 3D Guidance", {"whole_body"}, False),
        # "lip-sync my dance video": the face is there, so a face model fits
        ("Audio-Driven Lip Synchronization", {"whole_body", "face"}, False),
        ("Blind Face Restoration with a Codebook", {"animal"}, True),
        # a room with no one in it is no face, and no person
        ("Diffusion Face Relighting with Shadows", {"place"}, True),
        ("Relighting Humans in the Wild", {"place"}, True),
        ("Diffusion Face Relighting with Shadows", {"place", "face"}, False),
        ("Intrinsic Diffusion for Indoor Scene Relighting", {"place"}, False),
        # a tractor's nameplate is no face either
        ("Blind Face Restoration with a Codebook", {"object"}, True),
        ("Blind Face Restoration with a Codebook", {"object", "person"}, False),
        # a model for anything is never out of scope
        ("Tracking Any Pixel of a Video in 3D", {"animal", "whole_body"}, False),
    ],
)
def test_a_subject_outside_a_models_scope_rules_it_out_unless_one_inside_is_named(
    title, kinds, outside
):
    assert (outside_scope(_titled(title), frozenset(kinds)) is not None) == outside


def _plan_of(name: str):
    request = parse_prompt((PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8"))
    sources = tuple(enrich(s) for s in request.sources)
    request = request.model_copy(
        update={
            "recommended": tuple(s for s in sources if s.role == "recommended"),
            "related": tuple(s for s in sources if s.role == "related"),
        }
    )
    return plan(understand(request), sources, request.question), {s.id: s for s in sources}


@pytest.mark.parametrize(
    ("prompt", "misfit", "doer"),
    [
        ("mare_motion_human_only_mismatch", "BodyTrack3D", "AnyPoint3D"),
        ("portrait_animator_full_dance_mismatch", "FaceMotion", "PoseDance"),
    ],
)
def test_a_model_out_of_its_scope_is_flagged_and_does_no_step(prompt, misfit, doer):
    result, sources = _plan_of(prompt)
    flagged = [
        sources[w.source_id].name for w in result.warnings if w.code == "model_task_mismatch"
    ]
    assert flagged == [misfit]
    warning = next(w for w in result.warnings if w.code == "model_task_mismatch")
    assert "its title says it is made for" in warning.message
    on_path = [sources[n.source_id].name for n in result.workflow.nodes if n.source_id]
    assert on_path == [doer]


def test_the_same_model_in_its_scope_fits():
    # the human motion model of the mare prompt, asked about a boy on a skateboard
    result, _ = _plan_of("son_skating_human_motion")
    assert result.recommended_fits
    assert not [w for w in result.warnings if w.code == "model_task_mismatch"]
    # the street is a place, and the boy in it keeps the model in its scope
    assert result.understanding.subjects == ("person", "place", "whole_body")


def test_a_task_made_for_faces_shows_a_face_whatever_else_is_named():
    # lip-syncing the presenter of a product ad: the product does not rule the lip sync out
    from scholarflow import taxonomy
    from scholarflow.scope import implied_subjects

    assert implied_subjects(taxonomy.tasks()["lip_sync"]) == frozenset({"face"})
    assert implied_subjects(taxonomy.tasks()["image_super_resolution"]) == frozenset()
    understood = understand(
        parse_prompt(
            "You are an AI scientist.\nA user has asked the following question:\n"
            '"We changed the script of our product ad and re-recorded the voice, and the '
            'presenter now says the new lines with matching lips. How?"\n'
            "### Recommended AI Models:\nModel: A Lip Sync Expert Is All You Need\n"
            "Paper: None\n\nAnswer:\n"
        )
    )
    assert understood.task.id == "lip_sync"
    assert "face" in understood.subjects


@pytest.mark.parametrize(
    ("question", "language"),
    [
        (
            "I filmed a mahout climbing onto his elephant. The app gave me his 3D body "
            "movement for Blender. How?",
            "en",
        ),
        (
            "Grabé al cuidador subiendo a su elefante y la app sacó el movimiento 3D de su cuerpo.",
            "es",
        ),
    ],
)
def test_a_body_someone_owns_shows_a_person_beside_an_animal(question, language):
    # (a person the person words lack, "a mahout", is shown by the body that is theirs)
    assert {"person", "animal"} <= question_subjects(question, language)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("I filmed my dog running in the park.", "en"),
        # (from the round's code review: the user's own animal's body is the animal's)
        ("I filmed my mare rolling in the sand and got the 3D movement of her body.", "en"),
        ("Filmé a mi perro y la app sacó el movimiento 3D de todo su cuerpo.", "es"),
    ],
)
def test_an_animal_of_the_user_shows_no_person(question, language):
    assert "person" not in question_subjects(question, language)


@pytest.mark.parametrize(
    "question",
    [
        "The app turned the clip of my duck dive into a 3D body that copies my movement.",
        "Mi perro salta conmigo y la app copió mi cuerpo entero en 3D.",
    ],
)
def test_the_users_own_body_or_movement_shows_a_person_whatever_animal_is_named(question):
    language = "es" if "perro" in question else "en"
    assert "person" in question_subjects(question, language)


def test_an_animals_movement_owned_by_the_user_shows_no_person():
    # (guard) "my dog's movement": the owner of the movement is the dog
    assert "person" not in question_subjects("I filmed my dog's movement in the park.", "en")


def test_the_users_pose_model_shows_no_person():
    # (guard from the round's review) "my pose model" names a tool, not a body
    assert "person" not in question_subjects("I ran my pose model on a video of my cat.", "en")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Mi hermana se lanzó por el tobogán y la grabé con el móvil.", "es"),
        ("Mon frère a sauté du plongeoir et je l'ai filmé.", "fr"),
        ("Meine Oma hat im Garten getanzt und ich habe sie gefilmt.", "de"),
        ("弟がトランポリンで跳ねる動画を撮りました。", "ja"),
        ("동생이 트램펄린에서 뛰는 영상을 찍었어요.", "ko"),
    ],
)
def test_kin_named_in_any_language_are_people_shown(question, language):
    # the English list's brothers, sisters and grandmothers, in each language
    assert "person" in question_subjects(question, language)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("写真を撮ったら大丈夫でした。", "ja"),
        ("背景の細かいところまできれいに動画になりました。", "ja"),
        ("稲妻の写真が動き出しました。", "ja"),
        ("사진의 형태가 바뀌었어요.", "ko"),
        ("지형의 3D 모델이 나왔어요.", "ko"),
        ("이모지를 넣은 영상이에요.", "ko"),
        ("Ich habe meine junge Katze beim Spielen gefilmt.", "de"),
        ("El corredor del hotel salió en 3D.", "es"),
    ],
)
def test_kin_words_are_not_read_inside_other_words(question, language):
    # (guard) 夫 in 大丈夫, 형 in 형태
    assert "person" not in question_subjects(question, language)


@pytest.mark.parametrize(
    ("subjects", "kept"),
    [
        (frozenset(), True),  # nothing said of what is shown: every drawing may do the job
        (frozenset({"object"}), True),
        (frozenset({"place"}), False),  # one object's mesh holds no room
        (frozenset({"place", "person"}), True),  # someone shown in the place is drawn round
    ],
)
def test_a_task_is_done_only_by_drawings_that_can_show_the_subject(subjects, kept):
    from scholarflow import taxonomy
    from scholarflow.scope import drawings_shown

    task = taxonomy.tasks()["novel_view_video_from_image"]
    shown = drawings_shown(task, subjects)
    assert ("render_mesh" in shown.done_by) is kept
    assert "render_point_cloud" in shown.done_by  # (points can be of anything)
