"""Value objects and rules of the reception desk. No Qt, no storage."""
