"""Adapters: the only modules that use another library's internals (its private classes and
hooks), one per library, each with a test that names what moved when a new version moves it."""
