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
