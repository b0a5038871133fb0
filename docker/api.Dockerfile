# The API: FastAPI + the built frontend. No evaluator runs here (queue=celery in production).
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    JIEBANG_FRONTEND_DIST=/app/frontend/dist JIEBANG_VAR_DIR=/var/lib/jiebang
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
RUN pip install --no-cache-dir uv && uv pip sync --system requirements.lock
COPY backend/ backend/
COPY evaluators/ evaluators/
COPY alembic.ini ./
RUN uv pip install --system --no-deps -e . && useradd --system --uid 10001 jiebang \
    && mkdir -p /var/lib/jiebang && chown jiebang /var/lib/jiebang
COPY --from=frontend /src/frontend/dist /app/frontend/dist
USER jiebang
EXPOSE 8000
# `jiebang serve` applies migrations first, then serves the API and the SPA
CMD ["jiebang", "serve", "--host", "0.0.0.0", "--port", "8000"]
