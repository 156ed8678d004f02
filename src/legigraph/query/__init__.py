"""Saved queries.

The engines that run them (saved), their limits, results and golden files.
"""
