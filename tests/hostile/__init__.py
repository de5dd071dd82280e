"""Hostile inputs: one test file per class of attack (issue #19)."""
