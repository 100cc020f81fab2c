"""Performance benchmarks: numbers for the record at center size, never a test that fails."""
