"""Audit log: who did what to which object, and when."""
