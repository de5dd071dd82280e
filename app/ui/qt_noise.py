"""Quiet Qt and Chromium: the lines every start prints on machines without a GPU, a Vulkan driver
or a session bus (QRhiGles2, QVulkanInstance, GBM, dbus, GPUInfo...) are dropped unless the user
asks for them (`kakikomi --verbose`, or KAKIKOMI_VERBOSE=1). Every other Qt warning, critical or
fatal message still reaches standard error, as Qt would have printed it.

Chromium's processes write their own log straight to standard error: outside verbose mode they
are started with `--log-level=3` (fatal only); a renderer that dies is still reported through
Qt (the reader shows it).
"""

from __future__ import annotations

import os
import re
import sys

VERBOSE_ENV = "KAKIKOMI_VERBOSE"

# Messages that say the machine lacks something Qt then works around (software rendering, no
# session bus), never that the user's action failed.
NOISE = re.compile(
    r"QRhiGles2|Failed to create RHI|createPlatformVulkanInstance|QVulkanInstance|Failed to load vulkan|"
    r"No Vulkan library available|Failed to create platform Vulkan instance|Unable to detect GPU vendor|"
    r"GBM is not supported|This plugin does not support (?:propagateSizeHints|raise|grabbing the keyboard)|"
    r"GPUInfo not initialized|Failed to connect to the bus|"
    r"Could not find the Qt platform plugin \"wayland\"|qt\.qpa\.(?:xcb|wayland): .*(?:sessions|XDG_RUNTIME_DIR)|"
    r"QStandardPaths: XDG_RUNTIME_DIR|Release of profile requested but WebEnginePage still not deleted"
)


def verbose() -> bool:
    return os.environ.get(VERBOSE_ENV, "").lower() in ("1", "yes", "true")


def is_noise(message: str) -> bool:
    return bool(NOISE.search(message))


def quiet_chromium(environ=os.environ) -> None:
    """Before QtWebEngine starts: Chromium logs only fatal errors (unless verbose)."""
    if verbose():
        return
    flags = environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--log-level" not in flags:
        environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --log-level=3").strip()


def _handler(mode, context, message: str) -> None:
    if is_noise(message):
        return
    from PySide6.QtCore import QtMsgType

    if mode in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
        return  # Qt's release builds keep these to themselves too
    category = getattr(context, "category", None)
    prefix = f"{category}: " if category and category != "default" else ""
    print(f"{prefix}{message}", file=sys.stderr, flush=True)


def install() -> None:
    """Filter Qt's messages (unless verbose). Call before the QApplication is made."""
    quiet_chromium()
    if verbose():
        return
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_handler)
