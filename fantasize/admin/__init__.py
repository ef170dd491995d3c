"""Staff dashboard: users and roles, and later reports, exports and the audit log."""
