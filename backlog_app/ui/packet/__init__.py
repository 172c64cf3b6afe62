"""The packet window: choose what goes into the insurer packet, preview its contents, export it
as a PDF or print it (issue #7).

``opening`` opens it from the main window; ``dialog`` is the window (its widgets and layout in
``dialog_view``); ``loading`` reads the record's cases and documents for it in the background;
``choices`` holds its scope, dates, sections and paper; ``documents_model`` and
``documents_box`` the documents to attach and their order; ``preview_runner`` works the contents
out in the background and ``contents_preview`` shows them; ``output`` exports and prints;
``print_job`` prints a finished PDF; ``finished`` says where the PDF went; ``lingering`` lets
background work end after the window closed.
"""
