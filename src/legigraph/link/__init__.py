"""Linking to the national law.

Citations found in text, names resolved to records, the linker.
"""
