"""What every handler of ``legigraph serve`` shares: the backend, limits, queries, templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from legigraph.model.namespaces import BASE
from legigraph.paths import Layout
from legigraph.query.saved import SavedQuery, load_queries
from legigraph.serve.backend import Backend
from legigraph.serve.sparql import Limits

HERE = Path(__file__).parent
BILL = "eli/dl/kr-11/bill/2024/1544"


@dataclass
class Site:
    """What every handler needs: the backend, the limits, the saved queries, the templates."""

    backend: Backend
    layout: Layout
    limits: Limits = field(default_factory=Limits)
    queries: dict[str, SavedQuery] = field(default_factory=dict)
    templates: jinja2.Environment = field(init=False)

    def __post_init__(self) -> None:
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,  # every value is escaped unless a template says otherwise
            undefined=jinja2.StrictUndefined,
        )
        self.templates.globals["BASE"] = BASE
        if not self.queries:
            self.queries = load_queries(self.layout.queries)

    def html(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        page = self.templates.get_template(template).render(
            root=str(request.base_url).rstrip("/"), backend=self.backend.description,
            limits=self.limits, **context,
        )  # fmt: skip
        return HTMLResponse(page, status, headers={"Vary": "Accept"})
