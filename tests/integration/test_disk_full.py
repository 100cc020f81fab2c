"""A disk that fills up during a build is one clear line and no center that looks whole.

On main before the hardening issue an automatic WAL checkpoint could fail silently on a
full disk; the build went on and the failure surfaced later as "File error: No space left
on device: None" (or not at all). Now the checkpoint is checked where the work ends.
"""

from __future__ import annotations

from app.core.errors import DiskFull
from tests.integration.admin_cli import run_admin

SMALL = 4 * 1024 * 1024  # room for the WAL of a new center, not for the checkpoint too


def test_a_demo_build_on_a_full_disk_is_one_clear_line(small_disk, tmp_path):
    disk = small_disk(SMALL)
    done = run_admin("demo", str(disk / "c"), "--patients", "10",
                     stdin="pw-12345678\npw-12345678\n", data_dir=tmp_path / "data")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [f"medirete-admin: {DiskFull().user_message()}"]
    assert not (disk / "c" / "center.json").exists()  # not a center: nothing to trust
