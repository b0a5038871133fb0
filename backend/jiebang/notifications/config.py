"""Settings of the notifications domain (prefix ``JIEBANG_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotificationSettings(BaseSettings):
    """Email through SMTP: where to send, how to authenticate, how to retry."""

    model_config = SettingsConfigDict(env_prefix="JIEBANG_", env_file=".env", extra="ignore")

    smtp_host: str = Field("", description="SMTP server; empty keeps notifications in-app only.")
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP port (465 TLS, 587 STARTTLS).")
    smtp_security: str = Field(
        "none",
        pattern="^(none|starttls|tls)$",
        description="none, starttls (upgrade a plain connection) or tls (TLS from the start).",
    )
    smtp_user: str = Field("", description="SMTP login; empty sends without authenticating.")
    smtp_password: str = Field("", description="SMTP password for smtp_user.")
    smtp_sender: str = Field(
        "Jiebang <no-reply@jiebang.local>", description="The From address of every email."
    )
    smtp_timeout_seconds: float = Field(10, gt=0, description="Connect and send timeout.")
    email_max_attempts: int = Field(
        8, ge=1, description="Deliveries tried before an email is marked failed."
    )
    email_backoff_seconds: float = Field(
        30, gt=0, description="First retry delay; each later retry waits twice as long."
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="The platform's address, for links in emails."
    )


@lru_cache
def get_notification_settings() -> NotificationSettings:
    return NotificationSettings()
