"""Operations: readiness, Prometheus metrics, JSON logs, backups and the configuration reference."""
