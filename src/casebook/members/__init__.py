"""Members (chapter 9): member feature pivots over time windows and per-product purchase models."""
