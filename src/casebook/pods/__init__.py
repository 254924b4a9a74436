"""Pods (chapter 8): pod-trip time, distance and speed statistics on the pandas API on Spark."""
