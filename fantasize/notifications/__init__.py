"""Notifications: e-mail (and later the in-app inbox and push), sent by background jobs."""
