"""The unified social credit code (统一社会信用代码) of GB 32100-2015 and its check character."""

from __future__ import annotations

# the code's 31 characters: digits and capitals without I, O, S, V, Z
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(body: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015, clause 4.3: modulus 31)."""
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Whether ``code`` is 18 characters of the code's alphabet with the right check character."""
    if len(code) != 18 or any(ch not in ALPHABET for ch in code):
        return False
    return check_character(code[:17]) == code[17]
