"""Storage: the profile folder, the SQLite database and its migrations."""
