"""Use cases: the only API the GUI and the CLI call. Transactions, permission checks and audit live here;
results are plain frozen DTOs, never ORM objects."""
