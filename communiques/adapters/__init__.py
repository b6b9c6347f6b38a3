"""Adapters: the only modules that use another library's internals (its private classes and
hooks), one per library, each use tested (tests/test_adapters.py, tests/test_yamlfile.py) so
that a new version that moves one is named at once."""
