"""Drafting a declaration together before it opens: comment periods, paragraphs per version,
comments, amendments with their supports and decisions, and co-sponsors' endorsements."""
