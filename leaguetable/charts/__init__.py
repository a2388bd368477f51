"""Plotly figures for the trend pages, one module a page, built as plain dicts from ranked rows."""
