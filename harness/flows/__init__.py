"""Reusable states: the named preconditions of certification test cases, as async functions."""
