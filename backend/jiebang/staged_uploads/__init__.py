"""Resumable organiser uploads: a track's data and programs sent in parts, resumed after a break."""
