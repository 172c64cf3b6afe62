"""Forms and dialogs that edit one record."""
