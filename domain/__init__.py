"""Pure SPBE domain logic: instruments as data, scoring, predikat, planner.

Imports nothing else of this project (see STYLE: imports run one way)."""
