"""Pure domain rules: plain Python over plain data, no Qt and no database."""
