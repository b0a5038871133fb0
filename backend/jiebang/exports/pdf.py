"""One PDF per item for the file (fpdf2), Chinese text in a CJK font shipped by a package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from jiebang.challenge_lists.models import ChallengeItem
from jiebang.core.errors import DomainError
from jiebang.exports.config import get_export_settings
from jiebang.exports.tables import Table

# Debian packages fonts-wqy-microhei and fonts-noto-cjk (the set-up installs the first)
PACKAGED_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)


def cjk_font() -> Path:
    configured = get_export_settings().pdf_font
    for path in ([Path(configured)] if configured else []) + list(PACKAGED_FONTS):
        if path.is_file():
            return path
    raise DomainError("pdf_font_missing")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def item_dossier(item: ChallengeItem, tables: list[Table], locale: str) -> bytes:
    """The item's heading and each table, landscape A4."""
    doc = FPDF(orientation="L", format="A4")
    doc.set_auto_page_break(auto=True, margin=12)
    doc.add_font("cjk", fname=str(cjk_font()))
    doc.add_page()
    doc.set_font("cjk", size=16)
    title = item.title_zh if locale == "zh-CN" else (item.title_en or item.title_zh)
    doc.multi_cell(0, 9, f"{item.code}  {title or ''}", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("cjk", size=9)
    reward = item.reward_zh if locale == "zh-CN" else (item.reward_en or item.reward_zh)
    if reward:
        doc.multi_cell(0, 6, reward, new_x="LMARGIN", new_y="NEXT")
    for table in tables:
        doc.ln(4)
        doc.set_font("cjk", size=12)
        doc.cell(0, 8, table.title.get(locale) or table.title["en"], new_x="LMARGIN", new_y="NEXT")
        doc.set_font("cjk", size=7)
        with doc.table(
            headings_style=FontFace(emphasis=None, fill_color=(230, 230, 230)), line_height=4
        ) as pdf_table:
            pdf_table.row(table.header)
            for row in table.rows:
                pdf_table.row([_cell(v) for v in row])
        if not table.rows:
            doc.cell(
                0, 6, "（无）" if locale == "zh-CN" else "(none)", new_x="LMARGIN", new_y="NEXT"
            )
    return bytes(doc.output())
