"""SQLite whose writers queue in the kernel for the one write lock (base.py)."""
