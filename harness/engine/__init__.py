"""Sync engines: the protocol any engine offers, and the reference engine."""
