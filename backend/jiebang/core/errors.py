"""Domain errors and the handlers that turn them into localised JSON, never stack traces."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from jiebang.core.i18n import VALIDATION_ZH, current_locale, negotiate, translate

log = logging.getLogger(__name__)


class DomainError(Exception):
    """An expected failure with an HTTP status and a catalogue message."""

    status_code = 400

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        # more JSON fields beside detail and code (e.g. a current state); subclasses set it
        self.extra: dict[str, Any] = {}
        self.key = key
        self.params = params

    def message(self) -> str:
        return translate(self.key, **self.params)


class NotFound(DomainError):
    status_code = 404

    def __init__(self, thing: str) -> None:
        super().__init__("not_found", thing=thing)


class Conflict(DomainError):
    status_code = 409

    def __init__(self, thing: str, key: str = "conflict", **params: Any) -> None:
        super().__init__(key, thing=thing, **params)


class Forbidden(DomainError):
    status_code = 403

    def __init__(self, key: str = "forbidden", **params: Any) -> None:
        super().__init__(key, **params)


class Unauthorized(DomainError):
    status_code = 401

    def __init__(self, key: str = "not_authenticated") -> None:
        super().__init__(key)


class TooManyRequests(DomainError):
    status_code = 429


class ServiceUnavailable(DomainError):
    status_code = 503


class InvalidInput(DomainError):
    """A 422 about one field, for checks pydantic cannot express (e.g. cross-field rules)."""

    status_code = 422

    def __init__(self, field: str, key: str, **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))


def _use_request_locale(request: Request) -> None:
    """The authenticated user's saved locale (set by the auth dependency) wins over the header."""
    current_locale.set(
        negotiate(request.headers.get("accept-language"), getattr(request.state, "locale", None))
    )


def _unstorable(*, key: str, kind: str) -> JSONResponse:
    """A 422 for a value the database refused when no field could be named before."""
    return JSONResponse(
        {"detail": [{"loc": ["request"], "msg": translate(key), "type": kind}]}, status_code=422
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        _use_request_locale(request)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        if isinstance(exc, InvalidInput):
            body: dict[str, Any] = {
                "detail": [{"loc": ["body", exc.field], "msg": exc.message(), "type": exc.key}]
            }
        else:
            body = {"detail": exc.message(), "code": exc.key} | exc.extra
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        _use_request_locale(request)
        zh = current_locale.get() == "zh-CN"
        errors = []
        for err in exc.errors():
            msg = VALIDATION_ZH.get(err["type"], err["msg"]) if zh else err["msg"]
            errors.append({"loc": list(err["loc"]), "msg": msg, "type": err["type"]})
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> JSONResponse:
        # e.g. an id beyond PostgreSQL's 32-bit integer range: bad input, not a server fault.
        # NUL characters and 64-bit overflows are refused, naming the field, before this.
        _use_request_locale(request)
        if "NUL" in str(exc.orig):
            return _unstorable(key="text_has_nul", kind="string_nul_character")
        return _unstorable(key="value_out_of_range", kind="out_of_range")

    @app.exception_handler(OverflowError)
    async def overflow_error(request: Request, exc: OverflowError) -> JSONResponse:
        # SQLite's driver cannot bind an integer beyond 64 bits (e.g. one coerced from a float)
        if "too large to convert" not in str(exc):
            return await unexpected(request, exc)
        _use_request_locale(request)
        return _unstorable(key="value_out_of_range", kind="out_of_range")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        _use_request_locale(request)
        log.exception("unhandled error", extra={"request_id": _request_id(request)})
        return JSONResponse(
            {"detail": translate("internal_error", request_id=_request_id(request))},
            status_code=500,
        )
