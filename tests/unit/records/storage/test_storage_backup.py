"""The backup reader refuses anything that is not an intact Medirete backup, cleanly."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import BackupInvalid
from app.records.storage.backup import MAGIC, extract_database


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.builds(lambda b: MAGIC + b, st.binary(max_size=300)),
        st.builds(
            lambda size, tail: MAGIC
            + json.dumps({"format": 1, "db_size": size, "db_sha256": "0" * 64}).encode()
            + b"\n"
            + tail,
            st.integers(min_value=-5, max_value=400),
            st.binary(max_size=300),
        ),
        st.builds(
            lambda header: MAGIC + json.dumps(header).encode() + b"\n",
            st.dictionaries(
                st.sampled_from(["format", "db_size", "db_sha256", "keys"]),
                st.one_of(st.integers(), st.text(max_size=5), st.none()),
            ),
        ),
    )
)
def test_reader_raises_only_backup_invalid(tmp_path_factory, body):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "x.mrb"
    path.write_bytes(body)
    try:
        extract_database(path, folder / "out.db")
    except BackupInvalid:
        pass
    else:
        raise AssertionError("garbage accepted as a backup")


def test_header_without_fields_is_invalid(tmp_path):
    for header in ({"format": 1}, {"format": 1, "db_size": "x"}, {"format": 1, "db_size": 3}):
        path = tmp_path / "h.mrb"
        path.write_bytes(MAGIC + json.dumps(header).encode() + b"\nabc")
        try:
            extract_database(path, tmp_path / "o.db")
        except BackupInvalid:
            continue
        raise AssertionError(f"accepted {header}")
