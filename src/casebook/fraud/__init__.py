"""Fraud detection (chapter 7): an explainable decision tree learnt from the experts' rule labels."""
