"""`scholarflow serve --port 0` in a child process, for tests that need the real server.

Its stderr is read in a thread: the URL line is found however the child's output is buffered
(a `select` on the pipe misses lines Python has already read into its buffer, which made a
fixture wait out its whole timeout under load), and the pipe never fills up.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

SERVING = re.compile(r"^scholarflow: serving on (http://127\.0\.0\.1:\d+) \(Ctrl\+C to stop\)$")
ROOT = Path(__file__).resolve().parents[1]


class ServeProcess:
    """`scholarflow serve --port 0 [args]` with SCHOLARFLOW_HOME at `home` and `env` added;
    `new_session`: in a process group of its own, as a terminal starts it (Ctrl+C tests)."""

    def __init__(
        self,
        home: Path,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        *,
        new_session: bool = False,
    ) -> None:
        environment = {**os.environ, "SCHOLARFLOW_HOME": str(home), **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scholarflow.cli", "serve", "--port", "0", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=environment,
            start_new_session=new_session,
        )
        self.lines: list[str] = []
        self.url: str | None = None
        self._found = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            match = SERVING.match(line.rstrip("\n"))
            if match and self.url is None:
                self.url = match.group(1)
                self._found.set()
        self._found.set()  # the child ended: whoever waits learns it now, not at the timeout

    def wait_for_url(self, timeout: float) -> str:
        self._found.wait(timeout)
        assert self.url, "serve printed no URL:\n" + "\n".join(self.lines)
        return self.url

    def wait_for_line(self, text: str, timeout: float) -> bool:
        """Whether a line containing `text` is printed within `timeout` seconds. The server
        may log an event just after the client sees its effect (a closed connection), and
        the lines are read by a thread: a check made at once can race that thread."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in list(self.lines)):
                return True
            time.sleep(0.05)
        return any(text in line for line in list(self.lines))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
