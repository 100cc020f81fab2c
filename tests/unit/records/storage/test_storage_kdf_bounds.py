"""KDF floor: the cost override stays within safe bounds; key-file parameters are checked."""

from __future__ import annotations

import copy
import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import KeyFileDamaged, WrongPassword
from app.records.storage.keys import (
    DEFAULT_SCRYPT_LOG_N,
    MAX_SCRYPT_LOG_N,
    MIN_SCRYPT_LOG_N,
    KeyFile,
    scrypt_log_n,
)

PASSWORD = "correct-horse-42"
DB_KEY = bytes(range(32))


@pytest.mark.parametrize("value", ["1", "13", "21", "40", "-3", "abc", "1e9", "0x11"])
def test_an_unsafe_override_is_ignored_with_a_warning(monkeypatch, caplog, value):
    """Failed on main before: MEDIRETE_SCRYPT_LOG_N=1 gave log_n 1 (and "abc" a crash)."""
    monkeypatch.setenv("MEDIRETE_SCRYPT_LOG_N", value)
    with caplog.at_level(logging.WARNING, "app.records.storage.keys"):
        assert scrypt_log_n() == DEFAULT_SCRYPT_LOG_N
    assert "MEDIRETE_SCRYPT_LOG_N" in caplog.text and "ignored" in caplog.text


@pytest.mark.parametrize("value", [str(MIN_SCRYPT_LOG_N), "17", str(MAX_SCRYPT_LOG_N)])
def test_a_safe_override_is_used(monkeypatch, value):
    monkeypatch.setenv("MEDIRETE_SCRYPT_LOG_N", value)
    assert scrypt_log_n() == int(value)


def test_without_override_the_default_cost(monkeypatch):
    monkeypatch.delenv("MEDIRETE_SCRYPT_LOG_N", raising=False)
    assert scrypt_log_n() == DEFAULT_SCRYPT_LOG_N == 17


@pytest.fixture(scope="module")
def key_file() -> KeyFile:
    keys = KeyFile("center", "k1")
    keys.add_user("medico", PASSWORD, DB_KEY)
    return keys


def damaged(keys: KeyFile, path: tuple[str, ...], value: object) -> KeyFile:
    """A copy of ``keys`` with the medico entry's field at ``path`` set to ``value``."""
    copied = copy.deepcopy(keys)
    node = copied.users["medico"]
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copied


B64_8 = "AAAAAAAAAAA="  # 8 bytes
B64_100 = "A" * 136  # 102 bytes


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("kdf", "log_n"), 40),
        (("kdf", "log_n"), 21),
        (("kdf", "log_n"), 0),
        (("kdf", "log_n"), -1),
        (("kdf", "log_n"), "17"),
        (("kdf", "log_n"), True),
        (("kdf", "log_n"), 17.0),
        (("kdf", "r"), 0),
        (("kdf", "r"), 1000),
        (("kdf", "p"), 0),
        (("kdf", "p"), 1_000_000),
        (("kdf", "alg"), "pbkdf2"),
        (("kdf", "salt"), B64_8),
        (("kdf", "salt"), B64_100),
        (("kdf", "salt"), "not base64!"),
        (("private", "nonce"), B64_8),
        (("private", "ct"), B64_8),
        (("db_key", "nonce"), B64_8),
        (("db_key", "ephemeral"), B64_8),
        (("db_key", "ct"), "AAAA"),
        (("kdf",), None),
        (("private",), []),
    ],
)
def test_out_of_range_key_file_parameters_are_refused_clearly(key_file, path, value):
    """Failed on main before: log_n 40 raised MemoryError, a short nonce ValueError."""
    with pytest.raises(KeyFileDamaged) as refused:
        damaged(key_file, path, value).unlock("medico", PASSWORD)
    assert "keys.json" in refused.value.user_message("en")


def test_r_and_p_from_the_file_within_bounds_are_honoured(key_file):
    # An entry made with r=8, p=1 fails to open with other (valid) parameters.
    with pytest.raises(WrongPassword):
        damaged(key_file, ("kdf", "r"), 4).unlock("medico", PASSWORD)
    assert key_file.unlock("medico", PASSWORD) == DB_KEY


def test_load_refuses_entries_that_are_not_objects(tmp_path, key_file):
    path = tmp_path / "keys.json"
    data = json.loads(key_file.to_json())
    data["users"]["medico"] = "oops"
    path.write_text(json.dumps(data))
    with pytest.raises(KeyFileDamaged) as refused:
        KeyFile.load(path)
    assert str(path) in refused.value.user_message("en")


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)
FIELDS = [
    ("kdf", "alg"), ("kdf", "log_n"), ("kdf", "r"), ("kdf", "p"), ("kdf", "salt"),
    ("private", "nonce"), ("private", "ct"), ("public",),
    ("db_key", "ephemeral"), ("db_key", "nonce"), ("db_key", "ct"), ("kdf",), ("db_key",),
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(FIELDS), value=JSON)
def test_a_damaged_entry_gives_only_our_errors(key_file, path, value):
    if path == ("kdf", "log_n") and type(value) is int and MIN_SCRYPT_LOG_N < value:
        value = MAX_SCRYPT_LOG_N + 1  # a slow but valid cost proves nothing here
    try:
        assert damaged(key_file, path, value).unlock("medico", PASSWORD) == DB_KEY
    except (KeyFileDamaged, WrongPassword):
        pass
