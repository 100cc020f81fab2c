"""The record: domain model, encrypted storage, services, access rules and audit."""
