"""Database backends of our own (selected by ENGINE in settings)."""
