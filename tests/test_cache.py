"""The per-user cache of parsed vocabulary TOML: same data as tomllib, used when present, never trusted blindly."""

from __future__ import annotations

import pickle
import tomllib

import pytest

from checker import cache
from checker.vocabulary import builtin_vocabulary_files, vocabulary_from_files

TEXT = '[[topic]]\nname = "收入"\nheadings = ["收入决算"]\n'


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.DIR_VARIABLE, str(tmp_path))
    monkeypatch.delenv(cache.DISABLE_VARIABLE, raising=False)
    return tmp_path


def entries(folder):
    return sorted(folder.glob("toml-*.pickle"))


def test_first_parse_stores_an_entry_and_the_next_reads_it(folder):
    assert cache.cached_toml(TEXT) == tomllib.loads(TEXT)
    [entry] = entries(folder)
    # an entry that says something else proves the second call reads the cache rather than the text
    entry.write_bytes(cache.TOML_FORMAT + pickle.dumps({"from": "cache"}))
    assert cache.cached_toml(TEXT) == {"from": "cache"}
    assert cache.cached_toml(TEXT + "\n") == tomllib.loads(TEXT)  # other text, other entry
    assert len(entries(folder)) == 2


@pytest.mark.parametrize("content", [b"", b"garbage", cache.TOML_FORMAT + b"\x80\x04truncated",
                                     cache.TOML_FORMAT + pickle.dumps(["not", "a", "table"])])
def test_a_corrupt_or_foreign_entry_means_parsing_again(folder, content):
    cache.cached_toml(TEXT)
    [entry] = entries(folder)
    entry.write_bytes(content)
    assert cache.cached_toml(TEXT) == tomllib.loads(TEXT)


def test_syntax_errors_are_raised_and_not_cached(folder):
    with pytest.raises(tomllib.TOMLDecodeError):
        cache.cached_toml("[[topic]\nname = ")
    assert entries(folder) == []


def test_no_cache_switch_and_unwritable_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.DISABLE_VARIABLE, "1")
    assert cache.cached_toml(TEXT) == tomllib.loads(TEXT)
    monkeypatch.delenv(cache.DISABLE_VARIABLE)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.DIR_VARIABLE, str(blocker / "cache"))
    assert cache.cached_toml(TEXT) == tomllib.loads(TEXT)


def test_cached_vocabulary_equals_the_parsed_one(folder, monkeypatch):
    first = vocabulary_from_files(builtin_vocabulary_files())
    assert entries(folder)
    second = vocabulary_from_files(builtin_vocabulary_files())
    monkeypatch.setenv(cache.DISABLE_VARIABLE, "1")
    assert first == second == vocabulary_from_files(builtin_vocabulary_files())
