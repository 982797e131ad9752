"""Reusable widgets: one module per kind of form field, plus small shared pieces."""
