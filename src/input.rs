//! Loading a runbook file with clear errors.
