"""The one error an archive check raises: which rule an entry broke, in English and Chinese."""

from __future__ import annotations

from jiebang.core.i18n import Locale
from jiebang.submissions.archive_messages import render


class ArchiveRejected(ValueError):
    """The archive is unsafe, damaged or too big; ``str()`` is English, ``text()`` localises."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(render(key, "en", params))

    def text(self, locale: Locale) -> str:
        return render(self.key, locale, self.params)

    @property
    def zh(self) -> str:
        return self.text("zh-CN")
