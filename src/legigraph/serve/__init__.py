"""``legigraph serve``: the graph on the web, beside the command line.

One process (Starlette on uvicorn) serves the SPARQL 1.1 Protocol at ``/sparql``, a
linked-data page for every IRI legigraph mints, the saved queries and the dumps, over one
store: the embedded Oxigraph store queried by worker processes that are killed at the
time limit (:mod:`legigraph.query.limits`), or a remote SPARQL endpoint. This package imports the
query layer; nothing below imports it.
"""

from legigraph.serve.app import create_app, serve
from legigraph.serve.backend import Backend, open_backend
from legigraph.serve.site import Site
from legigraph.serve.sparql import Limits

__all__ = ["Backend", "Limits", "Site", "create_app", "open_backend", "serve"]
