"""A fork server for the CLI tests: imports Kakikomi once, then runs each command in a fresh child.

Starting Python and importing Kakikomi costs about 0.4 CPU seconds, more than most hostile inputs
take to handle; over a corpus of 55 kinds run through two commands that is most of the test's
time. This process imports everything `python -m app` imports, then for each request (one JSON
line on stdin) forks a child that sets its limits, points fds 0-2 at /dev/null and the given
files, and runs `app` exactly as `python -m app ARGS` would (runpy, run_name "__main__"). The
child's exit status, CPU time and peak RSS go back as one JSON line on stdout.

Run as `python tests/helpers/cli_zygote.py` from the repository root.
"""

from __future__ import annotations

import json
import os
import resource
import runpy
import signal
import sys
import time
import traceback
from pathlib import Path

import app.__main__  # noqa: F401 - warm every module `python -m app` imports
import app.cli.library  # noqa: F401
from tests.helpers.peak_memory import peak_memory_kb


def _child(request: dict) -> None:
    """In the forked child: become `python -m app ARGS` and exit with its code."""
    code: int = 1
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for fd, target in ((null, 0), (out, 1), (err, 2)):
            os.dup2(fd, target)
        limit = request["memory_limit"]
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (request["cpu_limit"], request["cpu_limit"] + 1))
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.environ.update(request["env"])
        sys.argv = ["app", *request["args"]]
        sys.modules.pop("app.__main__", None)  # imported only to warm up: run it afresh as __main__
        runpy.run_module("app", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:  # what the interpreter would do: a traceback and exit 1
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            Path(request["hwm"]).write_text(str(peak_memory_kb()))
        finally:
            os._exit(code)


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(request)
        deadline = started + request["timeout"]
        timed_out = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                timed_out = True
                done, status, usage = os.wait4(pid, 0)
                break
            time.sleep(0.005)  # polling the child's exit against a deadline
        reply = {
            "code": os.waitstatus_to_exitcode(status), "seconds": time.monotonic() - started,
            "cpu_seconds": usage.ru_utime + usage.ru_stime, "timed_out": timed_out,
        }
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
