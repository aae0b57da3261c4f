"""Simulated time and network."""
