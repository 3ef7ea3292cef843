"""Presenters that turn claims into the formats Workbench publishes."""
