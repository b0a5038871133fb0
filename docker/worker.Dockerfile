# An evaluation worker: bubblewrap, the static ffmpeg from imageio-ffmpeg, and the evaluators.
# It talks to the broker and the API only; see docs/operations.md and docs/sandbox.md.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap libseccomp2 umoci skopeo \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
RUN pip install --no-cache-dir uv && uv pip sync --system requirements.lock
COPY backend/ backend/
COPY evaluators/ evaluators/
RUN uv pip install --system --no-deps -e . \
    && python -c "import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())" \
    && useradd --system --uid 10002 --create-home worker \
    && mkdir -p /var/lib/jiebang/work && chown worker /var/lib/jiebang/work
# compile the MS-SSIM loops into numba's cache beside the evaluators (read-only to the worker
# and the sandbox, which load it from there); for read-only 8-bit planes, as the evaluator reads
RUN python -c "import numpy as np; from jiebang_eval.metrics.ms_ssim import ms_ssim; \
    plane = np.frombuffer(bytes(176 * 176), np.uint8).reshape(176, 176); ms_ssim(plane, plane)"
USER worker
CMD ["jiebang", "worker"]
