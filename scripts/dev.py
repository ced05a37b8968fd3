#!/usr/bin/env python3
"""Serve or test tab-mcp from a fresh checkout, with nothing but Python >= 3.11.

    python3 scripts/dev.py serve [tab-mcp options]   # e.g. --sandbox --port 8082
    python3 scripts/dev.py test [pytest options]     # e.g. tests/tools -x
    python3 scripts/dev.py uv [uv arguments]         # the same uv, for anything else

Standard library only, so it runs on any Python that can make a virtual environment
(python.org, pyenv, Homebrew, Debian/Ubuntu with python3-venv), including those that refuse
`pip install` outside one (PEP 668). It makes `.venv-tools/` holding uv from PyPI, then hands
over to uv: `serve` installs only what serving needs (no dev tools) and runs `tab-mcp`; `test`
installs the locked dev tools too and runs pytest. Both replace this process, so signals
(Ctrl-C, SIGTERM) reach the server or pytest directly.
"""

# ruff: noqa: UP031, S603, S606
# %-formatting and no f-strings: the script must still run on an old Python to say it is too old.
# It starts only its own tools (venv, pip, uv) with argument lists, never a shell.
import os
import subprocess
import sys
from importlib.util import find_spec

MINIMUM = (3, 11)
UV_REQUIREMENT = "uv>=0.9,<1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, ".venv-tools")
COMMANDS = {
    "serve": ["run", "--frozen", "--no-dev", "tab-mcp"],
    "test": ["run", "--frozen", "pytest"],
    "uv": [],
}
USAGE = ("usage: python3 scripts/dev.py {serve|test|uv} "
         "[arguments passed on to tab-mcp, pytest or uv]")


class Missing(Exception):
    """Something the machine lacks; the message says in one line what to install."""


def preflight(version=None, has_ensurepip=None):
    """Raise `Missing` when this Python cannot run the project or make a virtual environment."""
    version = tuple(version or sys.version_info[:3])
    if has_ensurepip is None:
        has_ensurepip = find_spec("ensurepip") is not None
    if version[:2] < MINIMUM:
        raise Missing(
            "tab-mcp needs Python %d.%d or newer, but this is Python %s: install a newer Python "
            "(python.org, pyenv, Homebrew, or your system's python3.11+) and run this script "
            "with it." % (MINIMUM[0], MINIMUM[1], ".".join(map(str, version))))
    if not has_ensurepip:
        raise Missing(
            "this Python cannot create virtual environments: install its venv module "
            "(Debian/Ubuntu: sudo apt install python3-venv, or python3-full) and run this again.")


def tool_path(name):
    """An executable inside the tools environment."""
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return os.path.join(TOOLS, folder, name + suffix)


def ensure_uv():
    """uv inside `.venv-tools/`, created and installed from PyPI on first use."""
    uv = tool_path("uv")
    if os.path.exists(uv):
        return uv
    python = tool_path("python")
    if not os.path.exists(python):
        created = subprocess.run([sys.executable, "-m", "venv", TOOLS])
        if created.returncode != 0:
            raise Missing("could not create %s with %s: install python3-venv (Debian/Ubuntu: "
                          "sudo apt install python3-venv) and run this again."
                          % (TOOLS, sys.executable))
    print("dev.py: installing %s into %s" % (UV_REQUIREMENT, TOOLS), file=sys.stderr)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    UV_REQUIREMENT], check=True)
    return uv


def uv_command(uv, command, extra):
    """The uv command line for `command`, extra arguments passed through."""
    return [uv, *COMMANDS[command], *extra]


def uv_environment():
    """This process's environment; a first project environment is made with this Python."""
    env = dict(os.environ)
    if "UV_PYTHON" not in env and not os.path.isdir(os.path.join(ROOT, ".venv")):
        env["UV_PYTHON"] = sys.executable
    return env


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        preflight()
        uv = ensure_uv()
    except Missing as missing:
        print("dev.py: %s" % missing, file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as failed:
        print("dev.py: installing uv failed (exit %d); see pip's output above."
              % failed.returncode, file=sys.stderr)
        return 1
    os.chdir(ROOT)
    args = uv_command(uv, argv[0], argv[1:])
    os.execve(args[0], args, uv_environment())
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
