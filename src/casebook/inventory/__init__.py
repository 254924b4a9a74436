"""Inventory (chapter 10): Monte Carlo reorder points and recommended stock per location and material."""
