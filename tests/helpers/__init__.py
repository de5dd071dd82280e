"""Helpers shared by the tests: child processes for the crash-safety tests and a per-test time limit."""
