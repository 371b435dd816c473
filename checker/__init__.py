"""Juesuan's checker package. Plugin authors: ``from checker import hookimpl`` (see docs/plugins.md)."""

from checker.hookspecs import hookimpl

__all__ = ["hookimpl"]
