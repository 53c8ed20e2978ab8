"""Audit log: who did what, when, from where, for business data and logins."""
