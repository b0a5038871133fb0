"""Who may read /metrics: a scraper presenting ``JIEBANG_METRICS_TOKEN`` as a Bearer token.

Without a configured token the metrics are refused to everyone: they describe the
deployment (routes, upload volumes, queue depths) and are nobody's business by default.
"""

from __future__ import annotations

import hmac

from fastapi import Request

from jiebang.core.errors import Forbidden, Unauthorized
from jiebang.ops.config import get_ops_settings


def require_metrics_token(request: Request) -> None:
    """403 while no token is configured; 401 for a missing or wrong one."""
    expected = get_ops_settings().metrics_token
    if not expected:
        raise Forbidden("metrics_token_unset")
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        presented.strip().encode(), expected.encode()
    ):
        raise Unauthorized("metrics_token_required")
