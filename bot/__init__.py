"""Oversight: answers about surveillance-technology policy, with sources."""

__version__ = "0.1.0"
