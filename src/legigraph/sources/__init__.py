"""Readers of the sources.

Legalize-kr Markdown (ordinance), law.go.kr XML (lawgokr), the
curated CSV tables.
"""
