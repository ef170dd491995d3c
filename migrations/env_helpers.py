"""Helpers shared by migrations/env.py and the schema test."""

from fantasize.catalog.models import POSTGRES_ONLY_INDEXES


def include_object(obj, name, type_, reflected, compare_to):
    """Leave alone the PostgreSQL-only search indexes, which the models cannot describe portably."""
    return not (type_ == "index" and name in POSTGRES_ONLY_INDEXES)
