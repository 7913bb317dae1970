"""TEI in one place: parsing, the processing model (rules → model), loading, formatting, ids."""
