"""Shared dashboard UI: theme, id-ID formatting, cached data access, global state, widgets, charts."""
