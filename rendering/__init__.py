"""Rendering without Streamlit: plotly chart factories, the theme (one template, one palette), id-ID
number formatting, text escaping for plotly/markdown, and figure/table export.

Used by ui/ (the dashboard) and briefs/ (the RPJMD brief); imports neither, nor streamlit."""
