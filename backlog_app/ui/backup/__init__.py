"""The backup and restore windows: Back Up Now, Restore from a Backup, Backup Settings, the
automatic backup when a profile closes, and the offer to restore when a database is damaged."""
