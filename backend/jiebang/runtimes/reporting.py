"""``prepare`` that also tells the platform what the build is doing: building (how long,
what the builder said so far), ready, or failed with the builder's words.

The runtimes domain knows nothing of HTTP: the caller hands a ``report`` function (the
worker sends it through the worker API, the API process writes it to its database). A
report never fails the preparation it describes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jiebang.runtimes.cache import read_building, read_record
from jiebang.runtimes.config import RuntimeSettings, get_runtime_settings
from jiebang.runtimes.prepared import PreparedRuntime, RuntimeFailed
from jiebang.runtimes.service import prepare
from jiebang.runtimes.spec import OciRuntime, PlatformRuntime, PythonRuntime

log = logging.getLogger(__name__)

Report = Callable[[dict[str, Any]], None]
PROGRESS_SECONDS = 5.0  # how often a running build says how far it got
FIRST_PROGRESS_SECONDS = 1.0  # a cache hit finishes before this and reports only "ready"

REPORT_LIMITS = {"log_tail": 8000, "message": 20000, "message_zh": 20000}  # RuntimeBuildReport

# (cache folder, kind, key) this process already reported ready: a cached runtime is not
# announced again on every job, only once per process (the row stays in the database).
_told_ready: set[tuple[str, str, str]] = set()
_told_lock = threading.Lock()


def building_report(spec: PythonRuntime | OciRuntime, cache: Path) -> dict[str, Any] | None:
    """The ``building`` report of ``spec`` while a build of it runs in ``cache``, else None."""
    building = read_building(cache, spec.kind, spec.content_key)
    if building is None:
        return None
    elapsed = max(0.0, time.time() - building["started_at"])
    return news_of(spec, "building", elapsed_seconds=elapsed, log_tail=building["log_tail"])


def prepare_reported(
    spec: PlatformRuntime | PythonRuntime | OciRuntime,
    *,
    report: Report | None,
    archive: Path | None = None,
    settings: RuntimeSettings | None = None,
    progress_seconds: float = PROGRESS_SECONDS,
) -> PreparedRuntime:
    """:func:`~jiebang.runtimes.service.prepare`, telling ``report`` how the build goes."""
    if report is None or isinstance(spec, PlatformRuntime):
        return prepare(spec, archive=archive, settings=settings)
    settings = settings or get_runtime_settings()
    cache = settings.resolved_cache_dir()
    told = (str(cache), spec.kind, spec.content_key)
    if told in _told_ready and read_record(cache / spec.kind / spec.content_key) is not None:
        return prepare(spec, archive=archive, settings=settings)
    watcher = _ProgressWatcher(spec, cache, report, progress_seconds)
    watcher.start()
    try:
        prepared = prepare(spec, archive=archive, settings=settings)
    except RuntimeFailed as failed:
        watcher.stop()  # before the outcome: a late "building" must not overwrite it
        _send(report, news_of(spec, "failed", message=failed.message, message_zh=failed.message_zh))
        with _told_lock:
            _told_ready.discard(told)
        raise
    except BaseException:
        watcher.stop()
        raise
    watcher.stop()
    _send(report, news_of(spec, "ready"))
    with _told_lock:
        _told_ready.add(told)
    return prepared


class _ProgressWatcher:
    """Reads the build's marker and log in the cache and reports them while it runs."""

    def __init__(
        self, spec: PythonRuntime | OciRuntime, cache: Path, report: Report, every: float
    ) -> None:
        self.spec, self.cache, self.report, self.every = spec, cache, report, every
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._watch, daemon=True, name=f"runtime-progress-{spec.content_key[:8]}"
        )

    def _watch(self) -> None:
        wait = min(FIRST_PROGRESS_SECONDS, self.every)
        while not self._stop.wait(wait):
            news = building_report(self.spec, self.cache)
            if news is not None:
                _send(self.report, news)
            wait = self.every

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def news_of(spec: PythonRuntime | OciRuntime, status: str, **fields: Any) -> dict[str, Any]:
    """One report, cut to what the platform accepts (a refused report would say nothing)."""
    for name, limit in REPORT_LIMITS.items():
        text = fields.get(name)
        if isinstance(text, str) and len(text) > limit:
            # the end of a log is the news; a message's summary comes first
            fields[name] = text[-limit:] if name == "log_tail" else text[: limit - 1] + "…"
    return {"kind": spec.kind, "content_key": spec.content_key, "status": status} | fields


def _send(report: Report, news: dict[str, Any]) -> None:
    try:
        report(news)
    except Exception:  # telling the platform is a courtesy; the job goes on regardless
        log.warning("could not report runtime %s %s", news["content_key"], news["status"])
