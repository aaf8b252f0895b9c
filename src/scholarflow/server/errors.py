"""Error bodies and exception handlers: one line a client can act on, in the caller's dialect.

Why two dialects: `/api/*` speaks FastAPI's `{"detail": "..."}`, while `/v1/*` is read by
OpenAI clients (the official SDK, Open WebUI, LangChain…), which only understand
`{"error": {"message", "type", "param", "code"}}` and would otherwise show a generic failure.
The path decides, so middleware that answers before routing (token, body size) uses the same
function and every error of one route looks the same.

Status codes follow the CLI's exit codes: bad input (exit 2) is 400, an answer that could not
be grounded (exit 3) is 500, a configuration or backend problem (exit 4) is 503.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from scholarflow.errors import ConfigurationError, GroundingError, InputError, ScholarflowError

OPENAI_PREFIX = "/v1"
_OPENAI_TYPES = {
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
}


class ApiError(HTTPException):
    """An HTTP error that also carries OpenAI's `code` and `param` for `/v1` callers."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=dict(headers or {}))
        self.code = code
        self.param = param


def is_openai_path(path: str) -> bool:
    return path == OPENAI_PREFIX or path.startswith(OPENAI_PREFIX + "/")


def one_line(text: str) -> str:
    """Messages travel in one JSON string and one log line: no newlines, no runs of spaces."""
    return " ".join(str(text).split())


def error_response(
    path: str,
    status: int,
    message: str,
    *,
    code: str | None = None,
    param: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """The error body for `path`: OpenAI's shape under /v1, `{"detail": ...}` elsewhere."""
    message = one_line(message)
    if is_openai_path(path):
        fallback = "server_error" if status >= 500 else "invalid_request_error"
        kind = _OPENAI_TYPES.get(status, fallback)
        body: dict[str, Any] = {
            "error": {"message": message, "type": kind, "param": param, "code": code}
        }
    else:
        body = {"detail": message, **(extra or {})}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}) or None)


# --------------------------------------------------------------------------- validation


def field_path(loc: Sequence[str | int]) -> str:
    """("body", "recommended", 0, "title") → "recommended[0].title"; the field as sent."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe_validation(errors: Sequence[Mapping[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """One readable line naming the fields, and the same per field for programs."""
    listed: list[dict[str, Any]] = []
    for error in errors:
        field = field_path(error.get("loc", ()))
        kind = str(error.get("type", ""))
        message = str(error.get("msg", "invalid value"))
        if kind == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "invalid JSON")
            message = f"the body is not valid JSON: {reason}"
            field = ""
        elif kind == "missing" and not field:
            message = "the request body is missing: expected a JSON object"
        elif kind == "model_attributes_type" and not field:
            message = "the request body must be a JSON object"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        else:
            message = message[:1].lower() + message[1:]
        listed.append({"field": field or None, "message": message, "type": kind})
    shown = [f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in listed[:3]]
    more = f" (and {len(listed) - 3} more)" if len(listed) > 3 else ""
    return "invalid request: " + "; ".join(shown) + more, listed


# --------------------------------------------------------------------------- handlers


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    return error_response(
        request.url.path,
        error.status_code,
        str(error.detail),
        code=getattr(error, "code", None),
        param=getattr(error, "param", None),
        headers=error.headers,
    )


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    message, listed = describe_validation(error.errors())
    first = next((e["field"] for e in listed if e["field"]), None)
    return error_response(
        request.url.path, 422, message, param=first, code="invalid_value", extra={"errors": listed}
    )


def status_for(error: ScholarflowError) -> int:
    """The HTTP status of a scholarflow error, from the exit code the CLI gives it."""
    if isinstance(error, InputError):
        return 400
    if isinstance(error, ConfigurationError):
        return 503
    return 500  # GroundingError and anything else: our fault, not the caller's


async def _scholarflow_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ScholarflowError)
    code = {400: "invalid_input", 503: "unavailable"}.get(status_for(error), "internal_error")
    if isinstance(error, GroundingError):
        code = "ungrounded_answer"
    return error_response(request.url.path, status_for(error), str(error), code=code)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    # Starlette still re-raises the exception after this response, so it reaches the log.
    message = f"internal error ({type(error).__name__}); please report it"
    return error_response(request.url.path, 500, message, code="internal_error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ScholarflowError, _scholarflow_error)
    app.add_exception_handler(Exception, _unexpected_error)
