"""Italian catalogue: English msgid -> Italian text. A test fails on a missing entry."""

ITALIAN: dict[str, str] = {
}
