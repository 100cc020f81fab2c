"""Error hierarchy: expected failures carry a translatable message, anything else is a bug."""

from __future__ import annotations

from app.core.i18n import translate


class MedireteError(Exception):
    """Root of every expected failure; ``message`` is an English msgid with ``{}`` fields."""

    message = "Unexpected error"

    def __init__(self, message: str | None = None, **fields: object) -> None:
        self.msgid = message or self.message
        self.fields = fields
        super().__init__(self.user_message("en"))

    def user_message(self, lang: str | None = None) -> str:
        """The one-line message for a person, in ``lang`` or the current language."""
        text = translate(self.msgid, lang)
        if not self.fields:
            return text
        # Fixed details ("the password must have...") are msgids too: translate them.
        fields = {
            k: translate(v, lang) if isinstance(v, str) else v for k, v in self.fields.items()
        }
        return text.format(**fields)


class WrongPassword(MedireteError):
    message = "Wrong user name or password"


class AccessDenied(MedireteError):
    message = "Your role ({role}) does not allow this: {action}"


class InvalidInput(MedireteError):
    message = "Invalid input: {detail}"


class InvalidCodiceFiscale(InvalidInput):
    message = "Invalid codice fiscale: {value}"


class NotFound(MedireteError):
    message = "Not found: {what}"


class CenterMissing(MedireteError):
    message = "No Medirete center in {path}"


class CenterExists(MedireteError):
    message = "A Medirete center already exists in {path}"


class ImmutableEntry(MedireteError):
    message = "A signed entry cannot be changed; record a correction instead"


class IntegrityFailure(MedireteError):
    message = "Integrity check failed: {detail}"


class BackupInvalid(MedireteError):
    message = "The backup file is damaged or not a Medirete backup: {detail}"


class DatabaseLocked(MedireteError):
    message = "The record is busy (locked by another program); try again"


class KeyFileDamaged(MedireteError):
    message = "The key file {path} is damaged: restore it from a backup"


class DiskFull(MedireteError):
    message = "The disk holding the record is full: free some space, then try again"


class RecordReadOnly(MedireteError):
    message = "The record cannot be written (read-only file or folder): check its permissions"


class RecordCorrupt(MedireteError):
    message = "The record file is damaged: restore the latest backup ({detail})"


class NotADatabase(MedireteError):
    message = "The record file cannot be read with this key, or is not a Medirete record"


class SchemaTooNew(MedireteError):
    message = (
        "This center was upgraded by a newer Medirete (schema {found}; this program knows "
        "up to {known}): install version {version} or later"
    )


class MigrationFailed(MedireteError):
    message = (
        "The record could not be upgraded from schema {found} and was left exactly as it was; "
        "a backup is in {backup} ({detail})"
    )


class CenterFileDamaged(MedireteError):
    message = (
        "The center file {path} is damaged or belongs to another center: "
        "restore it from a backup"
    )


class SlotTaken(InvalidInput):
    """Another booking holds that time (e.g. made a moment ago at another workstation)."""

    message = (
        "That time is already booked for {clinician}, who already has an appointment "
        "from {starts} to {ends}"
    )
