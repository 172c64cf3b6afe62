"""The packet window: choose what goes into the insurer packet, preview its contents, export it
as a PDF or print it (issue #7).

``dialog`` holds the window; ``choices`` its scope, dates, sections and paper; ``documents_model``
and ``documents_box`` the documents to attach and their order; ``contents_preview`` the table of
contents worked out in the background; ``print_job`` prints a finished PDF; ``finished`` says
where the PDF went.
"""
