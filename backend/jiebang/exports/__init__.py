"""Exports organisers need for the file: CSV (formula-safe) and one PDF per item."""
