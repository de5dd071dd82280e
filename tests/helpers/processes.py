"""Running child processes in tests without fixed sleeps: read their lines as they come, with deadlines."""

from __future__ import annotations

import functools
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_child.py")


def time_limit(seconds: float) -> Callable:
    """Fail the decorated test with TimeoutError if it runs longer than `seconds` (POSIX, main thread)."""

    def decorate(test: Callable) -> Callable:
        @functools.wraps(test)
        def wrapper(*args, **kwargs):
            def expire(signum, frame):
                raise TimeoutError(f"{test.__name__} ran longer than its {seconds} s limit")

            previous = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                return test(*args, **kwargs)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)

        return wrapper

    return decorate


class Child:
    """A child process whose complete stdout lines are collected by a thread, to be polled with deadlines."""

    def __init__(self, *args: str, script: Path = CHILD):
        self.process = subprocess.Popen(
            [sys.executable, str(script), *args], cwd=REPO_ROOT, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            if raw.endswith(b"\n"):  # a line cut short by a kill was never fully reported
                self._queue.put(raw[:-1].decode("utf-8"))
        self._queue.put(None)

    def _drain(self, timeout: float) -> bool:
        """Move lines from the reader to self.lines; False once the output has ended."""
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return True
        while True:
            if item is None:
                self._queue.put(None)
                return False
            self.lines.append(item)
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return True

    def wait_for_lines(self, count: int, timeout: float) -> list[str]:
        """Block until at least `count` lines arrived (AssertionError on timeout or early exit)."""
        deadline = time.monotonic() + timeout
        while len(self.lines) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"only {len(self.lines)} of {count} lines after {timeout} s; stderr: {self.stderr_so_far()}"
            if not self._drain(min(remaining, 0.2)) and len(self.lines) < count:
                raise AssertionError(f"the child ended after {len(self.lines)} lines: {self.finish(5)[1]}")
        return self.lines

    def kill(self) -> None:
        """SIGKILL: no cleanup, no commit, no flush in the child."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)

    def finish(self, timeout: float) -> tuple[int, str]:
        """Wait for the process to end and its output to be read; returns (exit code, stderr)."""
        code = self.process.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while self._drain(0.05):
            assert time.monotonic() < deadline, "the child's output did not end"
        self._reader.join(timeout)
        return code, self.stderr_so_far()

    def stderr_so_far(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        return self.process.stderr.read().decode("utf-8", "replace") if self.process.stderr else ""

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc) -> None:
        self.kill()
        try:
            self.process.wait(timeout=10)
        finally:
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until it is true; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)
