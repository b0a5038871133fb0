"""What makes two addresses the same person and a display name safe to show.

- Emails are compared after NFKC and case folding (full-width ``ＡＮＮ`` is ``ann``).
- An address whose *skeleton* (non-ASCII letters that look like ASCII ones folded to those,
  from Unicode's confusables data via ``confusable_homoglyphs``) equals an existing
  account's is a look-alike: ``ıan@`` (dotless ı) or ``ann@exаmple.org`` (Cyrillic а).
- A part of an address (local part or domain label) that mixes scripts with confusable
  letters is refused outright, as browsers refuse such domain names.
- Display names refuse control, format (bidirectional overrides, zero-width) and
  line/paragraph separator characters, which reorder or hide what others read.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Annotated

from confusable_homoglyphs import categories, confusables
from pydantic import AfterValidator, BeforeValidator, EmailStr
from pydantic_core import PydanticCustomError

# Cc control, Cf format (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069, U+FEFF ...),
# Cs surrogates, Co private use, Zl/Zp line and paragraph separators
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def normalise_email(email: str) -> str:
    """The form emails are stored and compared in: NFKC, then case folding."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


@lru_cache(maxsize=4096)
def _ascii_lookalike(char: str) -> str:
    for glyph in confusables.confusables_data.get(char, ()):
        if glyph["c"].isascii():
            return str(glyph["c"]).casefold()
    return char


def email_skeleton(email: str) -> str:
    """The normalised address with every non-ASCII letter that looks like ASCII folded to it."""
    return "".join(c if c.isascii() else _ascii_lookalike(c) for c in normalise_email(email))


def _mixes_latin_with_lookalikes(part: str) -> bool:
    """Latin letters beside letters of another script that pass for Latin ones (``pаypal``).

    Latin beside Han (``张三abc``) or a whole label in one script (``пример``) is fine.
    """
    scripts = categories.unique_aliases(part) - {"COMMON"}
    if "LATIN" not in scripts or len(scripts) < 2:
        return False
    return bool(confusables.is_confusable(part, preferred_aliases=["latin", "common"]))


def mixed_script_part(email: str) -> str | None:
    """The first part of the address that mixes scripts with confusable letters, or None."""
    local, _, domain = email.rpartition("@")
    for part in (local, *domain.split(".")):
        if part and not part.isascii() and _mixes_latin_with_lookalikes(part):
            return part
    return None


def _normalised(value: object) -> object:
    return normalise_email(value) if isinstance(value, str) else value


def _refuse_mixed_scripts(email: str) -> str:
    part = mixed_script_part(email)
    if part is not None:
        raise PydanticCustomError(
            "email_mixed_scripts",
            "The part “{part}” mixes letters of different scripts that look alike; "
            "use the address exactly as your provider spells it",
            {"part": part},
        )
    return email


def _refuse_hidden_characters(name: str) -> str:
    for char in name:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise PydanticCustomError(
                "display_name_characters",
                "Names cannot contain control, direction-changing or invisible characters "
                "(found U+{code})",
                {"code": f"{ord(char):04X}"},
            )
    if not name.strip():
        raise PydanticCustomError("display_name_blank", "Names cannot be blank", {})
    return name.strip()


LoginEmail = Annotated[EmailStr, BeforeValidator(_normalised)]
"""An email as typed at login: normalised, then validated."""

NewEmail = Annotated[EmailStr, BeforeValidator(_normalised), AfterValidator(_refuse_mixed_scripts)]
"""An email for a new account: normalised, validated, and single-script per part."""

SafeName = Annotated[str, AfterValidator(_refuse_hidden_characters)]
"""A name other people read (a person's display name, a team's name)."""
