"""Serving stored bytes to browsers and `curl -C -`: single byte ranges (RFC 9110 §14), so a
broken download resumes, and presigned redirects when the store can serve the object itself."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse

from jiebang.bundles import tarindex
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def byte_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """(start, end inclusive) of a satisfiable single range; None: whole body; False: 416."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None or (not match.group(1) and not match.group(2)):
        return None  # multiple or malformed ranges: ignore, send everything (allowed by §14.2)
    first, last = match.group(1), match.group(2)
    if not first:  # suffix: the last N bytes
        length = min(int(last), size)
        return (size - length, size - 1) if length > 0 else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def ranged(
    request: Request,
    *,
    store: ObjectStore,
    key: str,
    offset: int,
    size: int,
    sha256: str,
    filename: str,
    media_type: str = "application/octet-stream",
) -> Response:
    """``size`` bytes of the object ``key`` from ``offset``, honouring Range and If-Range."""
    etag = f'"{sha256}"'
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Content-Disposition": _disposition(filename),
        "X-Content-SHA256": sha256,
        "Cache-Control": "private, max-age=3600",
    }
    if_range = request.headers.get("if-range")
    wanted = byte_range(request.headers.get("range"), size)
    if if_range is not None and if_range.strip() != etag:
        wanted = None  # the file changed since the first part: start over
    if wanted is False:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    if wanted is None or wanted is True:
        start, end, status = 0, size - 1, 200
    else:
        (start, end), status = wanted, 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1)
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers, media_type=media_type)
    body = tarindex.iter_range(store, key, offset + start, end - start + 1)
    return StreamingResponse(body, status_code=status, headers=headers, media_type=media_type)


def whole_object(
    request: Request, *, store: ObjectStore, obj: StoredObject, filename: str, media_type: str
) -> Response:
    """The object: a presigned redirect where the store offers one (S3), else ranged bytes."""
    url = store.presign_get(obj.key)
    if url is not None:
        return RedirectResponse(url, status_code=307)
    return ranged(
        request,
        store=store,
        key=obj.key,
        offset=0,
        size=obj.size,
        sha256=obj.sha256,
        filename=filename,
        media_type=media_type,
    )
