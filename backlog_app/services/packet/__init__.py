"""The insurer packet: one organized, paginated PDF of the whole record or one case.

``request`` says what goes in; ``sections`` and its helpers draw our own pages (ReportLab);
``documents`` turns the vault's files into packet pages; ``assemble`` numbers, stamps, bookmarks
and writes the whole (pikepdf).
"""
