"""Running `kakikomi` as a child process under a time and memory budget, and judging its outcome.

The promise for hostile input: within TIME_LIMIT seconds and MEMORY_LIMIT bytes of address space,
`kakikomi info|render FILE` either exits 0 with safe output, or exits 2 with exactly one sentence
on stderr. Never a traceback, never exit 1 ("internal error") or a signal.

The 5 seconds are CPU seconds of the child (user + system, from os.wait4): this machine is shared,
and wall-clock time there measures the neighbours as much as Kakikomi. RLIMIT_CPU makes the kernel
kill a child that computes past the budget; a child that hangs without computing (a pipe that
never ends) is killed at HANG_LIMIT seconds of wall-clock time.

Why 1 GiB of address space: the CLI itself maps about 300 MB (the interpreter, markdown-it and
fugashi with unidic-lite's dictionary mapped in), and rendering costs about 110 MB of memory per
MB of post; in 5 s it gets through at most about 1 MB, so honest work stays under 500 MB, while a
blow-up (alias expansion, quadratic copies) hits the limit at once. RLIMIT_AS is set inside the
child before it imports anything. As a second check the child reports its own peak RSS (VmHWM)
when it exits; os.wait4's ru_maxrss cannot be used, as Linux counts the parent's RSS at fork in it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.fixtures.hostile.corpus import REFUSES, Kind
from tests.helpers.html_safety import check
from tests.helpers.processes import REPO_ROOT

TIME_LIMIT = 5.0  # CPU seconds
HANG_LIMIT = 30.0  # wall-clock seconds
MEMORY_LIMIT = 1 << 30  # RLIMIT_AS of the child, bytes
RSS_LIMIT_KB = 512 * 1024  # peak resident memory the child may reach
# `python -m app ARGS`, with the address-space limit set first (preexec_fn is not safe with threads).
_LAUNCH = (
    "import resource, runpy, sys; "
    "resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit})); "
    "resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu} + 1)); "
    "from tests.helpers.peak_memory import report_peak_memory_at_exit; report_peak_memory_at_exit({hwm!r}); "
    "runpy.run_module('app', run_name='__main__', alter_sys=True)"
)
ONE_SENTENCE = re.compile(r"kakikomi: [^\n]*[^\s.][.!?]")
# The CLI says its sentences in the reader's language (the settings', else the locale's): these
# runs read English whatever the machine's locale (LANGUAGE is the first variable it looks at).
ENGLISH_LOCALE = {"LANGUAGE": "en"}


@dataclass(frozen=True)
class CliResult:
    """How one run of the CLI ended."""

    args: tuple[str, ...]
    code: int  # exit code; -N for a signal
    stdout: bytes
    stderr: str
    seconds: float  # wall clock
    cpu_seconds: float  # user + system
    max_rss_kb: int  # the child's peak resident memory (VmHWM); 0 if it could not say (killed)
    timed_out: bool


def run_cli(
    *args: str, cpu_limit: float = TIME_LIMIT, timeout: float = HANG_LIMIT, memory_limit: int = MEMORY_LIMIT,
    env: dict | None = None,
) -> CliResult:
    """Run `kakikomi ARGS` in a child process; the kernel stops it one second after `cpu_limit`
    CPU seconds, and it is killed after `timeout` seconds of wall-clock time."""
    hwm = tempfile.NamedTemporaryFile(prefix="kakikomi-hwm-", delete=False)
    hwm.close()
    launch = _LAUNCH.format(limit=memory_limit, cpu=int(cpu_limit) + 1, hwm=hwm.name)
    command = [sys.executable, "-c", launch, *args]
    child_env = {**os.environ, **ENGLISH_LOCALE, **(env or {})}
    child_env.setdefault("PYTHONHASHSEED", "0")
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env
    )
    outputs: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda name, stream: outputs.__setitem__(name, stream.read()), args=(name, stream), daemon=True)
        for name, stream in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    deadline = started + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            timed_out = True
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.005)  # polling the child's exit against a deadline, not waiting a fixed time
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
    for reader in readers:
        reader.join(10)
    for stream in (process.stdout, process.stderr):
        stream.close()
    return CliResult(
        tuple(args), process.returncode, outputs.get("out", b""), outputs.get("err", b"").decode("utf-8", "replace"),
        seconds, usage.ru_utime + usage.ru_stime, _read_peak(hwm.name), timed_out,
    )


def _read_peak(path: str) -> int:
    try:
        return int(Path(path).read_text() or 0)
    except (OSError, ValueError):
        return 0
    finally:
        Path(path).unlink(missing_ok=True)


def outcome_problems(kind: Kind, result: CliResult) -> list[str]:
    """Everything wrong with how `kakikomi info|render` handled `kind` (empty when it kept its promise)."""
    command = result.args[0]
    problems = []
    if result.timed_out:
        problems.append(f"{command} hung for {HANG_LIMIT:g} s and was killed")
        return problems
    if result.cpu_seconds > TIME_LIMIT or result.code in (-9, -24):  # SIGKILL, SIGXCPU: the CPU limit
        problems.append(f"{command} used {result.cpu_seconds:.1f} s of CPU (limit {TIME_LIMIT:g} s), exit {result.code}")
        return problems
    if result.max_rss_kb > RSS_LIMIT_KB:
        problems.append(f"{command} peaked at {result.max_rss_kb // 1024} MB of memory")
    if "Traceback" in result.stderr:
        problems.append(f"{command} printed a traceback")
    if kind.expect == REFUSES:
        lines = result.stderr.splitlines()
        if result.code != 2:
            problems.append(f"{command} exited {result.code} instead of 2: {result.stderr.strip()[:300]}")
        if len(lines) != 1 or not ONE_SENTENCE.fullmatch(lines[0]):
            problems.append(f"{command} did not say exactly one sentence: {result.stderr!r:.300}")
        missing = [w for w in kind.words if w not in result.stderr]
        if missing:
            problems.append(f"{command}'s message lacks {missing}: {result.stderr.strip()[:300]}")
        if result.stdout:
            problems.append(f"{command} printed {len(result.stdout)} bytes on stdout while refusing")
        return problems
    if result.code != 0:
        problems.append(f"{command} exited {result.code} instead of 0: {result.stderr.strip()[:300]}")
        return problems
    if result.stderr:
        problems.append(f"{command} printed on stderr: {result.stderr.strip()[:300]}")
    text = result.stdout.decode("utf-8", "strict")
    if command == "info":
        info = json.loads(text)
        if not isinstance(info.get("title"), str) or not isinstance(info.get("characters"), int):
            problems.append("info printed JSON without a title or character count")
    else:
        checker = check(text, page=True)
        problems.extend(f"render output: {p}" for p in checker.problems)
        if "<script" in text.lower():
            problems.append("render output contains <script")
        if len(checker.csp) != 1 or "default-src 'none'" not in checker.csp[0]:
            problems.append("render output lacks its Content-Security-Policy")
    return problems


class ForkServer:
    """Runs `kakikomi ARGS` in children forked from a process that has imported Kakikomi once
    (tests/helpers/cli_zygote.py): the same code path as `python -m app`, without paying for the
    interpreter's start and the imports on every run. One command at a time; use two for two cores."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.cli_zygote"], cwd=REPO_ROOT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self._folder = tempfile.TemporaryDirectory(prefix="kakikomi-zygote-")
        self._lock = threading.Lock()

    def run(self, *args: str, cpu_limit: float = TIME_LIMIT, timeout: float = HANG_LIMIT,
            memory_limit: int = MEMORY_LIMIT, env: dict | None = None) -> CliResult:
        """Like run_cli, in a child forked from the server."""
        with self._lock:
            out, err = Path(self._folder.name) / "stdout", Path(self._folder.name) / "stderr"
            hwm = Path(self._folder.name) / "hwm"
            hwm.write_text("")
            request = {
                "args": list(args), "env": {"PYTHONHASHSEED": "0", **ENGLISH_LOCALE, **(env or {})}, "stdout": str(out), "stderr": str(err),
                "hwm": str(hwm),
                "cpu_limit": int(cpu_limit) + 1, "memory_limit": memory_limit, "timeout": timeout,
            }
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
            assert line, "the CLI fork server ended"
            reply = json.loads(line)
            return CliResult(
                tuple(args), reply["code"], out.read_bytes(), err.read_bytes().decode("utf-8", "replace"),
                reply["seconds"], reply["cpu_seconds"], _read_peak(str(hwm)), reply["timed_out"],
            )

    def close(self) -> None:
        self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)
        self._process.stdout.close()
        self._folder.cleanup()


def run_both(path: Path, servers: tuple[ForkServer, ForkServer] | None = None) -> list[CliResult]:
    """`kakikomi info PATH` and `kakikomi render PATH`, run at the same time (two cores): through
    two fork servers if given, else as two `python -m app` processes."""
    results: dict[str, CliResult] = {}

    def one(index: int, command: str) -> None:
        runner = servers[index].run if servers else run_cli
        results[command] = runner(command, str(path))

    threads = [threading.Thread(target=one, args=(i, c)) for i, c in enumerate(("info", "render"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [results["info"], results["render"]]
