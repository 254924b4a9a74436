"""Tick-data producers: a deterministic synthetic generator and a loader for real LOBSTER files."""
