"""Tick data (chapter 2): trades, quotes and what happens between them."""
