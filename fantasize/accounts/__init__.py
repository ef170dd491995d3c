"""Accounts: users, roles, sessions, tokens, MFA, OAuth and addresses."""
