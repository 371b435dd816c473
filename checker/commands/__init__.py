"""One module per `juesuan` subcommand; each exposes ``add_parser(subparsers)`` and ``run(args) -> int``."""
