"""Text work with no web and no database: cleaning, extraction, anchoring, diffing, highlights, sanitizing."""
