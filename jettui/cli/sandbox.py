"""`jettui sandbox`: serve the Jet sandbox over HTTP (for other tools, or a second jettui)."""

from __future__ import annotations

import argparse
from typing import Any

from jettui.errors import ExitCode

from .output import Output
from .parser import port
from .session import load


def register(commands: Any) -> None:
    sandbox = commands.add_parser("sandbox", help="serve the Jet sandbox over HTTP")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=port, default=8089, help="1-65535 (default 8089)")
    sandbox.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Output) -> int:
    from jettui.jet.sandbox import serve

    settings = load(args, out)
    out.say(
        f"Jet sandbox on http://{args.host}:{args.port}/api "
        f"(state {settings.sandbox.state_file}); ctrl+c stops"
    )
    serve(settings, host=args.host, port=args.port)
    return ExitCode.OK
