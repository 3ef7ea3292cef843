"""What users can do, each in its own unit of work: articles, claims, review, revisions, exports."""
