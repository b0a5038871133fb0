"""Notifications: an in-app inbox per user and email through SMTP, reacting to domain events."""
