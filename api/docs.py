"""/api/: the API's documentation as a plain page of the site, generated from the same
OpenAPI description clients read (no script, nothing loaded from elsewhere)."""

from django.shortcuts import render
from django.urls import reverse

from api.endpoints import api
from api.http import open_data


def _type(schema: dict) -> str:
    """A parameter's type in words: "date", "one of x, y", "whole number (1–100)"."""
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return "one of " + ", ".join(schema["enum"])
    kind = {"integer": "whole number", "string": "text"}.get(schema.get("type"), "text")
    if schema.get("format") == "date":
        kind = "date"
    if "minimum" in schema and "maximum" in schema:
        kind += f" ({schema['minimum']}–{schema['maximum']})"
    return kind


def operations(schema: dict) -> list[dict]:
    rows = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "type": _type(p.get("schema", {})),
                    "description": p.get("description")
                    or p.get("schema", {}).get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            rows.append(
                {
                    "id": operation["operationId"].rsplit("_", 1)[-1].replace("_", "-"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "example": operation.get("x-example", path),
                }
            )
    return rows


@open_data
def documentation(request):
    """The API's routes, parameters and an example request for each; links to the OpenAPI
    description."""
    prefix = reverse("api:api-root")
    schema = api.get_openapi_schema(path_prefix=prefix)
    return render(
        request,
        "api/docs.html",
        {
            "nav": "api",
            "operations": operations(schema),
            "openapi_url": reverse("api:openapi-json"),
            "info": schema["info"],
        },
    )
