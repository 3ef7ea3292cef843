"""The JSON API: articles, annotations (W3C Web Annotation protocol) and exports."""
