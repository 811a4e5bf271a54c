"""The declarations pages: `public` (reading, signing) and `manage` (the organisers' pages)."""
