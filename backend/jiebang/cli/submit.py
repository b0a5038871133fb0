"""`jiebang submit`: upload a result file with a progress bar, resume if interrupted, wait for the score."""

from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

console = Console(stderr=True)
TERMINAL = {"scored", "failed", "cancelled"}


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with _progress() as bar, path.open("rb") as fh:
        task = bar.add_task("sha256", total=path.stat().st_size)
        while chunk := fh.read(8 * 1024 * 1024):
            digest.update(chunk)
            bar.advance(task, len(chunk))
    return digest.hexdigest()


def _check(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail")
        except ValueError:
            detail = response.text
        if isinstance(detail, list):
            detail = "; ".join(
                f"{'.'.join(map(str, d.get('loc', [])))}: {d.get('msg')}" for d in detail
            )
        console.print(f"[red]error {response.status_code}:[/] {detail}")
        raise typer.Exit(1)
    return response.json() if response.content else None


def _open_phase(http: httpx.Client, track: int) -> int:
    now = datetime.now(UTC)
    for phase in _check(http.get(f"/api/v1/tracks/{track}/phases")):
        if (
            datetime.fromisoformat(phase["starts_at"])
            <= now
            < datetime.fromisoformat(phase["ends_at"])
        ):
            return int(phase["id"])
    console.print(f"[red]track {track} has no open phase[/]")
    raise typer.Exit(1)


def _state_file(phase: int, sha: str) -> Path:
    folder = Path.home() / ".cache" / "jiebang" / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{phase}-{sha}.json"


IN_FLIGHT = 4  # parts uploading at once: keeps the link busy while a part is read or acked


def _send_part(
    http: httpx.Client,
    direct: httpx.Client,
    fd: int,
    part: dict[str, Any],
    part_size: int,
    size: int,
    headers: dict[str, str],
    presigned: bool,
) -> tuple[int, str, int] | None:
    """Upload one part with retries; (number, etag, bytes) or None after the last attempt."""
    offset = (part["number"] - 1) * part_size
    chunk = os.pread(fd, min(part_size, size - offset), offset)
    for attempt in range(5):
        try:
            if presigned:  # straight to object storage; its etag comes back as a header
                response = direct.put(part["url"], content=chunk, timeout=300)
                etag = response.headers.get("etag", "").strip('"')
            else:
                response = http.put(part["url"], content=chunk, headers=headers, timeout=300)
                etag = response.json().get("etag", "") if response.status_code == 200 else ""
            if response.status_code == 200:
                return part["number"], etag, len(chunk)
        except httpx.HTTPError:
            pass
        time.sleep(2**attempt)
    return None


def upload_parts(
    http: httpx.Client,
    path: Path,
    plan: dict[str, Any],
    headers: dict[str, str],
    in_flight: int = IN_FLIGHT,
) -> list[dict[str, Any]]:
    """Upload the parts the plan still lacks, `in_flight` at a time, with a progress bar.

    Memory stays at `in_flight` parts whatever the file size. A part that fails five times
    stops the upload; the parts that arrived stay on the server, so running the same
    command again resumes."""
    done = {p["number"]: p["etag"] for p in plan.get("parts_received", [])}
    size, part_size = path.stat().st_size, plan["part_size"]
    todo = [p for p in plan["parts"] if p["number"] not in done]
    failed = []
    with (
        _progress() as bar,
        path.open("rb") as fh,
        httpx.Client() as direct,
        ThreadPoolExecutor(max_workers=in_flight) as pool,
    ):
        task = bar.add_task("upload", total=size, completed=size - sum(
            min(part_size, size - (p["number"] - 1) * part_size) for p in todo
        ))  # fmt: skip
        pending = {
            pool.submit(
                _send_part, http, direct, fh.fileno(), p, part_size, size, headers, plan["direct"]
            ): p
            for p in todo
        }
        for future in as_completed(pending):
            sent = future.result()
            if sent is None:
                failed.append(pending[future]["number"])
                for other in pending:
                    other.cancel()
                continue
            number, etag, length = sent
            done[number] = etag
            bar.advance(task, length)
    if failed:
        console.print(
            f"[red]part {min(failed)} failed 5 times; run the same command again to resume[/]"
        )
        raise typer.Exit(2)
    return [{"number": n, "etag": e} for n, e in sorted(done.items())]


def submit(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    track: int = typer.Option(..., help="Track id; the submission goes to its open phase."),
    api: str = typer.Option("http://127.0.0.1:8000", envvar="JIEBANG_API_URL"),
    token: str = typer.Option(
        ..., envvar="JIEBANG_TOKEN", prompt=True, hide_input=True, help="Your access token."
    ),
    description: str = typer.Option("", help="A note for yourself."),
    wait: bool = typer.Option(True, help="Wait for the evaluation and print the scores."),
    parallel: int = typer.Option(
        IN_FLIGHT, min=1, max=16, help="Parts uploading at once (memory: this many parts)."
    ),
) -> None:
    """Submit FILE to a track. Interrupted? Run the same command again: it resumes."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=api.rstrip("/"), headers=headers, timeout=60) as http:
        phase = _open_phase(http, track)
        sha = _sha256(file)
        state = _state_file(phase, sha)
        plan = None
        if state.exists():
            sub_id = json.loads(state.read_text())["submission"]
            response = http.get(f"/api/v1/submissions/{sub_id}/upload")
            if response.status_code == 200:
                plan = response.json()
                console.print(
                    f"resuming submission {sub_id}: {len(plan['parts_received'])} part(s) already uploaded"
                )
        if plan is None:
            created = _check(
                http.post(
                    f"/api/v1/phases/{phase}/submissions",
                    json={
                        "filename": file.name,
                        "size": file.stat().st_size,
                        "sha256": sha,
                        "description": description,
                    },
                )
            )
            sub_id, plan = created["submission"]["id"], created["upload"]
            state.write_text(json.dumps({"submission": sub_id}))
        parts = upload_parts(http, file, plan, headers, in_flight=parallel)
        sub = _check(
            http.post(f"/api/v1/submissions/{sub_id}/complete", json={"parts": parts}, timeout=3600)
        )
        state.unlink(missing_ok=True)
        console.print(f"submission {sub_id} is {sub['status']}")
        quota = _check(http.get(f"/api/v1/phases/{phase}/quota"))
        console.print(
            f"left today: {quota['remaining_today']}, in total: {quota['remaining_total']} (resets {quota['resets_at']})"
        )
        while wait and sub["status"] not in TERMINAL:
            time.sleep(2)
            sub = _check(http.get(f"/api/v1/submissions/{sub_id}"))
        if wait:
            console.print(f"status: {sub['status']}")
            if sub.get("failure_message"):
                console.print(f"[yellow]{sub['failure_category']}: {sub['failure_message']}[/]")
            typer.echo(json.dumps(sub.get("scores", {}), indent=2))
