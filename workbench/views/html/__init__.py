"""HTML pages and the htmx fragments they update."""
