"""reportlab documents (PDF bytes from plain data) and the shipped fonts; Qt-free and DB-free."""
