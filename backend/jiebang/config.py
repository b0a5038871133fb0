"""Platform-wide settings, read once from the environment (prefix ``JIEBANG_``)."""

from __future__ import annotations

import hashlib
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-development-only"  # noqa: S105 - the sentinel we refuse in production
REPO_ROOT = Path(__file__).resolve().parents[2]


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    """Every knob of the platform. ``jiebang config-reference`` prints this table."""

    model_config = SettingsConfigDict(env_prefix="JIEBANG_", env_file=".env", extra="ignore")

    environment: Environment = Field(
        Environment.development, description="development, test or production."
    )
    secret_key: str = Field(
        DEFAULT_SECRET, description="Signs access tokens. Required outside development."
    )
    var_dir: Path = Field(REPO_ROOT / "var", description="Where embedded-mode files live.")
    database_url: str = Field(
        "",
        description="SQLAlchemy URL; empty means SQLite at var/jiebang.db. Use postgresql+psycopg://… in production.",
    )
    storage_url: str = Field(
        "",
        description="Empty means a local directory under var/objects; s3://KEY:SECRET@host:port/bucket selects MinIO/S3.",
    )
    storage_secure: bool = Field(False, description="Use HTTPS to reach the S3 endpoint.")
    access_token_minutes: int = Field(60 * 12, description="Lifetime of an access token.", gt=0)
    argon2_time_cost: int = Field(
        3, ge=1, description="argon2id passes (RFC 9106 low-memory profile: 3)."
    )
    argon2_memory_kib: int = Field(
        65536, ge=1024, description="argon2id memory per hash in KiB (64 MiB)."
    )
    login_rate_limit: str = Field(
        "10/minute", description="Login attempts allowed per email and per client address."
    )
    join_rate_limit: str = Field(
        "10/minute",
        description="Attempts to join a team by invite code, per user and per client address.",
    )
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="Base URL the API is reached at, for links."
    )
    evaluators_dirs: list[Path] = Field(
        [REPO_ROOT / "evaluators"],
        description="Directories holding evaluator plugins (<dir>/<key>/evaluator.py); organisers may add their own.",
    )
    queue: str = Field(
        "embedded",
        description="embedded: an in-process worker pool, no broker. celery: dispatch to `jiebang worker` processes through the broker.",
        pattern="^(embedded|celery)$",
    )
    broker_url: str = Field(
        "amqp://guest:guest@127.0.0.1:5672//",
        description="Celery broker (RabbitMQ) when queue=celery.",
    )
    celery_queue: str = Field(
        "jiebang-evaluations", description="Broker queue the evaluation messages travel on."
    )
    reannounce_seconds: float = Field(
        600, gt=0, description="A queued job whose broker message is this old is announced again."
    )
    embedded_workers: int = Field(
        1, ge=0, le=64, description="Worker threads `jiebang serve` runs in embedded mode."
    )
    worker_token: str = Field(
        "",
        description="Shared secret remote workers present to the API; empty derives one from the secret key.",
    )
    lease_seconds: int = Field(
        60, ge=5, description="How long a worker's claim on a job lasts without a heartbeat."
    )
    max_attempts: int = Field(
        3,
        ge=1,
        le=20,
        description="Deliveries of a job before it fails as an infrastructure fault.",
    )
    housekeeping_seconds: float = Field(
        5,
        ge=0,
        description="Interval of the watchdog / re-announce / janitor loop; 0 turns it off.",
    )
    upload_expiry_hours: float = Field(
        24, gt=0, description="Unfinished uploads are aborted and removed after this long."
    )
    internal_api_url: str = Field(
        "http://127.0.0.1:8000",
        description="Where the embedded workers reach the API (set by `jiebang serve`).",
    )
    work_dir: Path | None = Field(None, description="Scratch space for workers; default var/work.")
    frontend_dist: Path = Field(
        REPO_ROOT / "frontend" / "dist", description="Built SPA served by `jiebang serve`."
    )
    redis_url: str = Field(
        "",
        description="Redis (redis://host:6379/0) for shared rate limits and the change feed when several API processes run; empty keeps both in process.",
    )
    trusted_proxies: list[str] = Field(
        [],
        description="Addresses (or CIDR networks) of reverse proxies whose X-Forwarded-For is believed; empty trusts none.",
    )
    bundle_max_bytes: int = Field(
        4 * 1024**3, ge=1, description="Largest bundle archive POST /admin/bundles accepts."
    )
    bundle_max_unpacked_bytes: int = Field(
        16 * 1024**3, ge=1, description="Largest total a bundle archive may unpack to."
    )
    bundle_max_files: int = Field(
        100_000, ge=1, description="Most files (entries) a bundle archive may hold."
    )
    codabench_image_runtimes: dict[str, dict[str, Any]] = Field(
        {
            # Codabench's image carries the scientific stack; so does this runtime (on the
            # workers' Python 3.11: map other images and versions for your workers)
            "codalab/codalab-legacy:py312": {
                "kind": "python",
                "version": "3.11",
                "requirements": [
                    "numpy==2.2.6",
                    "pandas==2.2.3",
                    "scikit-learn==1.6.1",
                    "scipy==1.15.3",
                    "pillow==11.2.1",
                    "pyyaml==6.0.2",
                    "matplotlib==3.10.3",
                ],
            },
            "": {"kind": "platform"},  # no docker_image: the platform's Python
        },
        description="Codabench docker_image name -> runtime of imported scoring programs "
        '(JSON, e.g. {"org/img:tag": {"kind": "python", "version": "3.11", '
        '"requirements": ["numpy==2.1.0"]}}); an unknown image imports with a warning '
        "and an editable python runtime.",
    )
    fault_budget_per_day: int = Field(
        3,
        ge=0,
        description="Refunded platform or evaluator faults a team may cause in 24 hours; after "
        "that its new submissions wait for an organiser to release them; 0 turns the hold off.",
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'jiebang.db'}"

    @property
    def effective_worker_token(self) -> str:
        if self.worker_token:
            return self.worker_token
        return hashlib.sha256(f"worker:{self.secret_key}".encode()).hexdigest()

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment != Environment.development and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "JIEBANG_SECRET_KEY is still the development default; set a long random value "
                f"before running in {self.environment} mode"
            )
        if self.environment == Environment.production and len(self.secret_key) < 32:
            raise ValueError("JIEBANG_SECRET_KEY must be at least 32 characters in production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
