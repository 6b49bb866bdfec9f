"""The sealed SQLite file, its audit chain and the in-memory working set built at unlock."""
