"""`juesuan serve`: the upload page (`checker.web`) on this machine, for staff who do not use a terminal.

It listens on 127.0.0.1 (this machine only) unless ``--host`` says otherwise, and runs until stopped
(Ctrl+C). The rules, region and plugins are those of `juesuan check` with the same configuration.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

from checker.config import DEFAULT_MAX_UPLOAD_MB, config_for
from checker.errors import UsageError
from checker.reports.model import RunInfo
from checker.run import Checker

DEFAULT_PORT = 8765


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="a local web page where files are dropped and checked",
                              description="Serve a page on this machine where disclosure files are dropped and "
                                          "the HTML report is shown.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--max-upload", type=int, default=DEFAULT_MAX_UPLOAD_MB, metavar="MB",
                   help=f"largest upload accepted, all files together (default: {DEFAULT_MAX_UPLOAD_MB} MB)")
    p.add_argument("--keep", metavar="FOLDER",
                   help="save each check's files and report in this folder (by default nothing is stored)")
    p.add_argument("--open", action="store_true", help="open the page in the web browser")
    p.add_argument("--config", help="configuration file (default: nearest juesuan.toml or pyproject.toml)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from checker.web import create_app

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: expected a port number from 0 to 65535")
    if args.max_upload < 1:
        raise UsageError(f"--max-upload {args.max_upload}: expected a size in MB, 1 or more")
    keep = Path(args.keep) if args.keep else None
    if keep is not None and keep.exists() and not keep.is_dir():
        raise UsageError(f"--keep {args.keep}: is not a folder")
    checker = Checker.from_config(config_for(args.config))
    info = RunInfo(rules=checker.rule_infos, explain=True, show_not_evaluated=True)
    app = create_app(checker, info, args.max_upload, keep)
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None
    url = f"http://{_url_host(args.host)}:{server.server_port}/"
    print(f"juesuan: serving on {url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    if not _is_loopback(args.host):
        print(f"juesuan: warning: {args.host} is reachable from other machines; anyone who can reach it can "
              "upload files", file=sys.stderr)
    if args.open:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
