"""ETL for the SPBE warehouse: readers, validation, publishing, demo data, CLI (`python -m etl`)."""
