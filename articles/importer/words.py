"""Helpers for the word lists the importer's rules use."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """Return the set of whitespace-separated words in a text."""
    return frozenset(text.split())
