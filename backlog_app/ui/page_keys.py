"""The names of the main window's pages; kept apart so the window can use them without loading them."""

from __future__ import annotations

PAGE_HOME = "home"
PAGE_LOG = "log"
PAGE_DOCUMENTS = "documents"
PAGE_CASES = "cases"
PAGE_PROFILE = "profile"
PAGE_PROVIDERS = "providers"
PAGE_COSTS = "costs"
