"""The API's documentation page at /api/: every operation as the schema describes it, and the
Python and R examples (templates/api/examples/, run by the tests). Our own page, served from our
own files under the site's CSP; no Swagger UI from a CDN."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from api.endpoints import api
from leaguetable.views.caching import cached_for_readers


def operations(schema: dict) -> list[dict]:
    """Each GET operation of the OpenAPI schema: path, summary, description, query parameters."""
    found = []
    for path, methods in schema["paths"].items():
        operation = methods["get"]
        found.append(
            {
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "required": parameter.get("required", False),
                        "description": parameter.get("description")
                        or parameter["schema"].get("description", ""),
                        "values": _values(parameter["schema"]),
                    }
                    for parameter in operation.get("parameters", [])
                ],
            }
        )
    return found


def _values(schema: dict) -> str:
    """What a parameter takes, in a few words: its choices, bounds or type."""
    options = schema.get("anyOf", [schema])
    for option in options:
        if "enum" in option:
            return ", ".join(option["enum"])
    for option in options:
        if option.get("type") == "integer":
            low, high = option.get("minimum"), option.get("maximum")
            bounds = f"{low}–{high}" if high is not None else f"from {low}" if low else ""
            return f"whole number {bounds}".strip()
    default = schema.get("default")
    return f"text (default {default})" if default else "text"


@require_GET
@cached_for_readers()
def documentation(request):
    schema = api.get_openapi_schema()
    return render(
        request,
        "api/documentation.html",
        {
            "schema_version": schema["openapi"],
            "operations": operations(schema),
            "schema_url": "/api/v1/openapi.json",
        },
    )
