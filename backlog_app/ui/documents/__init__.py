"""The Documents page's parts: preview, thumbnail grid, details editor, import flow and helpers."""
