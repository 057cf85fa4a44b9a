"""GET /api/docs: the OpenAPI description as a plain page, rendered on the server.

FastAPI's own docs page loads Swagger UI from a CDN, which the CSP forbids and an offline
deployment cannot reach; this page shows /openapi.json's routes as tables with no script at all.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from demozone.web.templating import render

router = APIRouter(prefix="/api", tags=["docs"])

METHODS = ("get", "post", "put", "patch", "delete")


def operations(openapi: dict) -> list[dict]:
    """One row per route and method: path, method, summary, description, parameters, body."""
    rows = []
    for path, item in sorted(openapi.get("paths", {}).items()):
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            rows.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        f"{p['name']} ({p['in']})" for p in operation.get("parameters", [])
                    ],
                    "body": sorted(body),
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return rows


@router.get("/docs", include_in_schema=False)
def docs(request: Request):
    """The API's routes as readable tables (the full description: /openapi.json)."""
    rows = [r for r in operations(request.app.openapi()) if r["path"].startswith("/api/")]
    return render(request, "docs.html", operations=rows)
