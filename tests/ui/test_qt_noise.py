"""Qt's and Chromium's start-up noise is dropped unless asked for (`--verbose`, KAKIKOMI_VERBOSE);
real warnings still reach standard error (#18 item 5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QtMsgType

from app.ui import qt_noise

REPO_ROOT = Path(__file__).resolve().parents[2]

# What runs on machines without a GPU, Vulkan or a session bus printed before (offscreen, and a
# window on Xvfb).
SEEN = """QRhiGles2: Failed to create temporary context
QRhiGles2: Failed to create context
Failed to create RHI for backend: OpenGL
This plugin does not support createPlatformVulkanInstance
QVulkanInstance: Failed to initialize Vulkan
GBM is not supported with the current configuration and Vulkan is not available. Fallback to software rendering.
[2088:2096:1207/192643.509671:ERROR:../../../qtwebengine/src/3rdparty/chromium/dbus/bus.cc:408] Failed to connect to the bus: Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory
This plugin does not support propagateSizeHints()
GPUInfo not initialized on GpuInfoUpdate
Failed to load vulkan: Cannot load library vulkan: vulkan: cannot open shared object file: No such file or directory
initInstance: No Vulkan library available
Failed to create platform Vulkan instance
Unable to detect GPU vendor for device: Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) 4.5 (Compatibility Profile) Mesa 22.3.6
This plugin does not support raise()""".splitlines()


def test_the_known_noise_is_recognised_and_real_warnings_are_not():
    assert all(qt_noise.is_noise(line) for line in SEEN)
    for real in ("QSqlDatabase: QSQLITE driver not loaded", "js: Uncaught TypeError: x is undefined",
                 "QObject::connect: No such signal Foo::bar()"):
        assert not qt_noise.is_noise(real)


def test_the_handler_drops_noise_and_passes_warnings_on(capsys):
    context = SimpleNamespace(category="qt.qpa.gl")
    qt_noise._handler(QtMsgType.QtWarningMsg, context, SEEN[0])
    qt_noise._handler(QtMsgType.QtDebugMsg, context, "a debug line")
    qt_noise._handler(QtMsgType.QtCriticalMsg, context, "The page crashed")
    qt_noise._handler(QtMsgType.QtWarningMsg, SimpleNamespace(category="default"), "plain warning")
    assert capsys.readouterr().err.splitlines() == ["qt.qpa.gl: The page crashed", "plain warning"]


def test_chromium_logs_fatal_errors_only_unless_verbose(monkeypatch):
    monkeypatch.delenv(qt_noise.VERBOSE_ENV, raising=False)
    environ = {"QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}
    qt_noise.quiet_chromium(environ)
    qt_noise.quiet_chromium(environ)  # once is enough
    assert environ["QTWEBENGINE_CHROMIUM_FLAGS"] == "--no-sandbox --log-level=3"
    monkeypatch.setenv(qt_noise.VERBOSE_ENV, "1")
    environ = {}
    qt_noise.quiet_chromium(environ)
    assert environ == {}


def test_a_screenshot_run_prints_nothing_but_its_result(tmp_path):
    env = dict(os.environ, KAKIKOMI_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    env.pop(qt_noise.VERBOSE_ENV, None)
    out = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "app", "screenshot", "-o", str(out), "--size", "700x500"],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    noise = [line for line in result.stderr.splitlines() if qt_noise.is_noise(line)]
    assert noise == [] and result.stderr.strip() == "", result.stderr
