"""The insurer packet: one organized, paginated PDF of the whole record or one case.

``request`` says what goes in; ``content``, ``front_pages`` and ``sections`` (with their
helpers) draw our own pages with ReportLab; ``documents`` chooses the vault documents and
``attachments`` turns their files into pages; ``assemble`` lays the packet out and numbers it;
``writer`` merges, stamps, bookmarks and saves it with pikepdf.
"""
