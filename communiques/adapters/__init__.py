"""Library internals, fenced: one module per library, each use tested in tests/test_adapters.py."""
