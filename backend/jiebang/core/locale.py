"""The reader's language for a request: the signed-in user's choice, else Accept-Language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from jiebang.core.i18n import Locale, negotiate


def request_locale(request: Request) -> Locale:
    """Declare it after the user dependency: that one records the user's saved locale."""
    return negotiate(request.headers.get("accept-language"), getattr(request.state, "locale", None))


RequestLocale = Annotated[Locale, Depends(request_locale)]
