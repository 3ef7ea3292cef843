"""The web layer: blueprints, API presenters, links, sessions, CSRF, error pages."""
