"""One check every API request passes before its handler: input the databases cannot store.

Two kinds of values reach the databases and fail there rather than in validation:

- a NUL character in text: PostgreSQL refuses it in ``text``/``varchar`` (SQLite keeps it);
- a whole number outside 64 bits: SQLite's driver cannot bind it, PostgreSQL overflows.

Rather than a constraint on every field of every model, this dependency (mounted on every
router in ``api.py``) looks at what the request carries, in the path, the query, a form and a
JSON body, and answers 422 naming the field, in the same shape as pydantic's errors. A JSON
body is parsed again only when its bytes hint at either problem, so ordinary requests pay a
byte scan.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

NUL_TYPE = "string_nul_character"
RANGE_TYPE = "int_out_of_range"
_NUL_MSG = "Text must not contain a NUL (0x00) character"
_RANGE_MSG = f"Whole numbers must lie between {INT64_MIN} and {INT64_MAX}"

_JSON_NUL = re.compile(rb"\\u0000")
_LONG_DIGITS = re.compile(rb"\d{19,}")  # 2**63 has 19 digits: anything shorter fits

_int_params: dict[int, frozenset[tuple[str, str]]] = {}


def _is_int_annotation(annotation: Any) -> bool:
    if annotation is int:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(arg is int for arg in typing.get_args(annotation))
    if typing.get_origin(annotation) is typing.Annotated:
        return _is_int_annotation(typing.get_args(annotation)[0])
    return False


def _int_params_of(route: APIRoute) -> frozenset[tuple[str, str]]:
    """(source, name) of the route's path and query parameters declared as integers."""
    key = id(route)
    if key not in _int_params:
        found = set()
        for field in get_flat_params(route.dependant):
            source = type(field.field_info).__name__.lower()  # Path, Query, Header, Cookie
            if source in ("path", "query") and _is_int_annotation(field.field_info.annotation):
                found.add((source, field.alias))
        _int_params[key] = frozenset(found)
    return _int_params[key]


def _out_of_range(text: str) -> bool:
    try:
        number = int(text.strip())
    except ValueError:
        return False  # not a whole number: pydantic will say so
    return not INT64_MIN <= number <= INT64_MAX


def _walk(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(location, error type) of every unstorable value inside a parsed JSON document."""
    if isinstance(value, str):
        if "\x00" in value:
            yield loc, NUL_TYPE
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            yield loc, RANGE_TYPE
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield (*loc, key), NUL_TYPE
            yield from _walk(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*loc, index))


def _error(loc: tuple[str | int, ...], kind: str) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": _NUL_MSG if kind == NUL_TYPE else _RANGE_MSG}


async def _body_errors(request: Request) -> list[dict[str, Any]]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    errors: list[dict[str, Any]] = []
    if content_type == "application/json" or content_type.endswith("+json"):
        raw = await request.body()  # already read and cached by FastAPI for this route
        if not (_JSON_NUL.search(raw) or _LONG_DIGITS.search(raw)):
            return errors
        try:
            document = json.loads(raw)
        except ValueError:
            return errors  # FastAPI answers malformed JSON itself
        errors.extend(_error(("body", *loc), kind) for loc, kind in _walk(document, ()))
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, str) and "\x00" in value:
                errors.append(_error(("body", name), NUL_TYPE))
    return errors


async def refuse_unstorable_input(request: Request) -> None:
    """422, naming each field, for NUL characters in text and integers beyond 64 bits."""
    route = request.scope.get("route")
    ints = _int_params_of(route) if isinstance(route, APIRoute) else frozenset()
    errors: list[dict[str, Any]] = []
    for name, value in request.path_params.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors.append(_error(("path", name), NUL_TYPE))
        elif ("path", name) in ints and _out_of_range(value):
            errors.append(_error(("path", name), RANGE_TYPE))
    for name, value in request.query_params.multi_items():
        if "\x00" in value:
            errors.append(_error(("query", name), NUL_TYPE))
        elif ("query", name) in ints and _out_of_range(value):
            errors.append(_error(("query", name), RANGE_TYPE))
    if isinstance(route, APIRoute) and route.body_field is not None:
        errors.extend(await _body_errors(request))
    if errors:
        raise RequestValidationError(errors)
