"""Uploaded images: validation by content, re-encoding, and storage."""
