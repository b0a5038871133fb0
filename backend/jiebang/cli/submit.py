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

from jiebang.cli import session

console = Console(stderr=True, soft_wrap=True)  # one message, one line
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


def _resolve(http: httpx.Client, target: str) -> tuple[dict[str, Any], dict[str, Any], int]:
    """(contest, track, open phase id) of a track id or a ``contest-slug/track-slug``."""
    if target.isdigit():
        track = _check(http.get(f"/api/v1/tracks/{target}"))
        contest = _check(http.get(f"/api/v1/contests/{track['contest_id']}"))
        phases = _check(http.get(f"/api/v1/tracks/{target}/phases"))
        phase = session._open_phase(phases, datetime.now(UTC))
    else:
        found = [
            row
            for row in session.catalogue(http)
            if f"{row['contest']['slug']}/{row['track']['slug']}" == target.strip("/")
        ]
        if not found:
            console.print(f"[red]no track {target}; `jiebang tracks` lists them[/]")
            raise typer.Exit(1)
        contest, track, phase = found[0]["contest"], found[0]["track"], found[0]["phase"]
    if phase is None:
        console.print(f"[red]track {contest['slug']}/{track['slug']} has no open phase[/]")
        raise typer.Exit(1)
    return contest, track, int(phase["id"])


def _state_file(phase: int, sha: str) -> Path:
    folder = Path.home() / ".cache" / "jiebang" / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{phase}-{sha}.json"


IN_FLIGHT = 4  # parts uploading at once: keeps the link busy while a part is read or acked
progress: dict[str, int] = {"parts": 0, "total": 0}  # what the server holds, for the last word


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
    progress["parts"], progress["total"] = len(done), len(plan["parts"])
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
            if future.cancelled():
                continue  # another part failed first; this one never started
            sent = future.result()
            if sent is None:
                failed.append(pending[future]["number"])
                for other in pending:
                    other.cancel()
                continue
            number, etag, length = sent
            done[number] = etag
            progress["parts"] = len(done)
            bar.advance(task, length)
    if failed:
        raise httpx.TransportError(f"part {min(failed)} failed 5 times")
    return [{"number": n, "etag": e} for n, e in sorted(done.items())]


def submit(
    first: str = typer.Argument(..., help="contest-slug/track-slug or a track id (or FILE)."),
    second: Path | None = typer.Argument(None, help="FILE, after the track."),
    track: str | None = typer.Option(None, help="Track id or contest-slug/track-slug."),
    api: str | None = typer.Option(None, envvar="JIEBANG_API_URL", help="The platform's address."),
    token: str | None = typer.Option(
        None, envvar="JIEBANG_TOKEN", help="An access token (default: the `jiebang login` one)."
    ),
    description: str = typer.Option("", help="A note for yourself."),
    wait: bool = typer.Option(True, help="Wait for the evaluation and print the scores."),
    parallel: int = typer.Option(
        IN_FLIGHT, min=1, max=16, help="Parts uploading at once (memory: this many parts)."
    ),
) -> None:
    """Submit FILE to a track's open phase: `jiebang submit contest/track FILE`.
    Interrupted? Run the same command again: it resumes."""
    target, file = (track, Path(first)) if second is None else (first, second)
    if target is None:
        console.print("[red]which track? `jiebang submit contest-slug/track-slug FILE`[/]")
        raise typer.Exit(2)
    if not file.is_file():
        console.print(f"[red]{file} is not a file[/]")
        raise typer.Exit(2)
    base = session.api_url(api)
    headers = {
        "Authorization": f"Bearer {session.token_for(token, base)}",
        "Accept-Language": session.cli_locale(),
    }
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            code = _submit(http, target, file, description, wait, parallel, headers)
    except httpx.TransportError as exc:
        kept = (
            f"{progress['parts']} of {progress['total']} part(s) are kept on the server"
            if progress["total"]
            else "nothing was uploaded yet"
        )
        console.print(
            f"[red]connection to {base} lost ({type(exc).__name__}): {kept}; "
            "run the same command again to resume[/]"
        )
        raise typer.Exit(3) from None
    raise typer.Exit(code)


def _submit(
    http: httpx.Client,
    target: str,
    file: Path,
    description: str,
    wait: bool,
    parallel: int,
    headers: dict[str, str],
) -> int:
    """Upload, complete, report; 0 when scored (or not waited for), 1 when it failed."""
    contest, track, phase = _resolve(http, target)
    zone = contest.get("timezone", "UTC")
    console.print(f"track {contest['slug']}/{track['slug']} (id {track['id']}), phase {phase}")
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
    _print_quota(_check(http.get(f"/api/v1/phases/{phase}/quota")), zone)
    while wait and sub["status"] not in TERMINAL:
        time.sleep(2)
        sub = _check(http.get(f"/api/v1/submissions/{sub_id}"))
    if not wait and sub["status"] not in TERMINAL:
        return 0
    console.print(f"status: {sub['status']}")
    if sub["status"] != "scored":
        label = sub.get("failure_category_label") or sub.get("failure_category") or ""
        reason = sub.get("failure_reason") or sub.get("failure_message") or ""
        console.print(f"[red]{label}: {reason}[/]")
        return 1
    scores = sub.get("scores", {})
    for key, value in scores.items():
        console.print(f"  {key:<16} {value}")
    typer.echo(json.dumps(scores, indent=2))
    return 0


def _print_quota(quota: dict[str, Any], zone: str) -> None:
    resets = session.local_time(quota["resets_at"], quota.get("timezone") or zone)
    line = (
        f"left today: {quota['remaining_today']}, in total: {quota['remaining_total']}"
        f" (resets {resets})"
    )
    if "failed_remaining_today" in quota:
        line += f"; failed attempts left today: {quota['failed_remaining_today']}"
    console.print(line)
