"""File sizes in words, as a file manager shows them ("830 KB", "4.2 MB"): one wording for the
document details, the packet's finished message and the command line."""

from __future__ import annotations


def file_size_text(size: int) -> str:
    """ "830 KB", "4.2 MB", "512 bytes" — sizes as a file manager shows them."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB"
