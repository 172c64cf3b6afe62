"""The passphrase side of the GUI: unlock at open, protect a profile, change the passphrase, lock.

``app.py`` calls these; they never open a profile themselves. Slow key derivation (Argon2, about
a second) always runs off the GUI thread while the dialog shows that it is working.
"""
