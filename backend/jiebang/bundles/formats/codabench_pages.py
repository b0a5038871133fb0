"""A Codabench bundle's pages (Markdown, or HTML reduced to its text) as one description."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jiebang.bundles.formats.codabench_records import Competition


def _text_of_html(markup: str) -> str:
    """Plain text of a page (tags and scripts dropped): pages become Markdown, never HTML."""

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            self.skip += tag in ("script", "style")
            if tag in ("p", "br", "li", "h1", "h2", "h3", "h4", "div", "tr"):
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("script", "style") and self.skip > 0

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(markup)
    return re.sub(r"\n{3,}", "\n\n", html.unescape("".join(parser.parts))).strip()


def pages_text(root: Path, comp: Competition, warnings: list[str]) -> str:
    """The description and every page under its title; a missing page is a warning."""
    parts = [comp.description] if comp.description else []
    for title, file in [*comp.pages, *([("Terms", comp.terms)] if comp.terms else [])]:
        path = (root / file).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            warnings.append(f"warning: page {file!r} is not in the bundle / 页面缺失")
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix.lower() in (".html", ".htm"):
            text = _text_of_html(text)
        parts.append(f"## {title}\n\n{text.strip()}")
    return "\n\n".join(parts)[:20000]
