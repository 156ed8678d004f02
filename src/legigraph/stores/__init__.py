"""Where graphs live besides files.

The embedded Oxigraph store, Virtuoso, remote SPARQL
endpoints.
"""
