"""Use-cases between the UI/CLI and storage: each opens a short session and returns plain data."""
