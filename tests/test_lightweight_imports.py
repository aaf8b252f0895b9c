"""Speed is a feature: answering never imports torch.

Answering a prompt runs the NumPy embedding model (understanding compares the question's
meaning with the tasks' example requests), so numpy is imported; torch and its kin never are.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import PROMPTS_DIR


def test_answering_imports_no_heavy_modules():
    prompt = PROMPTS_DIR / "phone_depth.txt"
    script = (
        "import os, sys\n"
        "from scholarflow.cli import main\n"
        f"code = main(['answer', {str(prompt)!r}, '--format', 'json', '-o', os.devnull])\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'scipy',"
        " 'sklearn') if m in sys.modules)\n"
        "print(code, ','.join(heavy) or 'none')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["0", "none"], result.stderr


def test_asking_runs_the_model_without_torch(tmp_path):
    # `ask` embeds the question with the NumPy route: numpy yes, torch and friends never.
    script = (
        "import os, sys\n"
        f"os.environ['SCHOLARFLOW_HOME'] = {str(tmp_path)!r}\n"
        "from scholarflow.cli import main\n"
        "code = main(['ask', 'How does a video become a depth video?', '-o', os.devnull])\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers')"
        " if m in sys.modules)\n"
        "print(code, ','.join(heavy) or 'none', 'numpy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split() == ["0", "none", "True"], result.stderr


def test_a_summary_with_tex_accents_is_decoded_without_the_bibtex_parser(tmp_path):
    # Accents are composed from a small table: answering never pays for pyparsing.
    prompt = tmp_path / "tex.txt"
    text = (PROMPTS_DIR / "phone_depth.txt").read_text(encoding="utf-8")
    marker = "### Related Papers:\n"
    tex = (
        'Model: Pl\\"ucker Rays: Camera Control for Video Generation\n'
        "Paper: https://arxiv.org/abs/2401.00001\n"
        "Summary: Encodes each frame's camera as Pl\\\"ucker coordinates (after M\\'{e}rigot).\n\n"
    )
    prompt.write_text(text.replace(marker, marker + tex, 1), encoding="utf-8")
    script = (
        "import os, sys\n"
        "from scholarflow.cli import main\n"
        f"code = main(['answer', {str(prompt)!r}, '--format', 'json', '-o', os.devnull])\n"
        "print(code, 'bibtexparser' in sys.modules, 'pyparsing' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["0", "False", "False"], result.stderr


def test_tex_accents_become_the_letters_they_write():
    from scholarflow.text import decode_tex_accents

    assert decode_tex_accents('Pl\\"ucker') == "Plücker"
    assert decode_tex_accents("{\\'e}t\\'{e}, \\c{c}a, Erd\\H{o}s, \\v{S}koda") == (
        "été, ça, Erdős, Škoda"
    )
    assert decode_tex_accents("costs \\$5 {and} braces") == "costs \\$5 {and} braces"
