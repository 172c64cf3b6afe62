"""The Cases page's parts: the case view, its timeline, deadlines, documents and dialogs."""
