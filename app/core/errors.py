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
