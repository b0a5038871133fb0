"""Leaderboards: the ranked table kept as scores land, rendered boards, freeze, publication."""

from jiebang.leaderboards import tracking as _tracking

_tracking.install()  # every session that can write a score keeps the boards' rows in step
