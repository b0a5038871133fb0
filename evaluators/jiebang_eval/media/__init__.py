"""Readers for the media files that submissions and references contain."""
