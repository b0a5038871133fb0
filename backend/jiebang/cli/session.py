"""`jiebang login` / `logout` / `tracks`, and the stored session the other commands read.

The token lives in the user's config folder (platformdirs: ``~/.config/jiebang`` on Linux),
in a file only its owner can read (mode 0600), beside the API address it belongs to."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import platformdirs
import typer
from rich.console import Console
from rich.table import Table

DEFAULT_API = "http://127.0.0.1:8000"
console = Console(stderr=True, soft_wrap=True)  # one message, one line


def credentials_path() -> Path:
    return Path(platformdirs.user_config_dir("jiebang")) / "credentials.json"


def stored() -> dict[str, Any]:
    path = credentials_path()
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _store(document: dict[str, Any]) -> Path:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle)
    os.chmod(path, 0o600)  # an older file may have been created with other bits
    return path


def api_url(given: str | None) -> str:
    """--api / JIEBANG_API_URL, else the address of the stored login, else the local default."""
    return (given or stored().get("api") or DEFAULT_API).rstrip("/")


def token_for(given: str | None, api: str) -> str:
    """--token / JIEBANG_TOKEN, else the stored login's token for this API."""
    if given:
        return given
    saved = stored()
    if saved.get("token") and saved.get("api", "").rstrip("/") == api:
        return str(saved["token"])
    console.print(f"[red]not logged in to {api}: run `jiebang login --api {api}` first[/]")
    raise typer.Exit(1)


def cli_locale() -> str:
    """zh-CN when the shell's language is Chinese, else en (sent as Accept-Language)."""
    lang = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG", "")
    return "zh-CN" if lang.lower().startswith("zh") else "en"


def local_time(moment: str | datetime, zone: str) -> str:
    """A moment as the contest reads it: ``2024-06-02 00:00 (Asia/Shanghai)``."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return f"{value.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} ({zone})"


def login(
    api: str | None = typer.Option(None, envvar="JIEBANG_API_URL", help="The platform's address."),
    email: str = typer.Option(..., prompt=True, help="Your account's e-mail."),
    password: str = typer.Option(..., prompt=True, hide_input=True),
) -> None:
    """Sign in and keep the token in your config folder (readable by you only)."""
    base = api_url(api)
    try:
        response = httpx.post(
            f"{base}/api/v1/auth/login",
            json={"email": email, "password": password},
            headers={"Accept-Language": cli_locale()},
            timeout=30,
        )
    except httpx.TransportError as exc:
        console.print(f"[red]cannot reach {base}: {exc}[/]")
        raise typer.Exit(1) from exc
    if response.status_code != 200:
        detail = response.json().get("detail") if response.content else response.reason_phrase
        console.print(f"[red]login failed: {detail}[/]")
        raise typer.Exit(1)
    body = response.json()
    path = _store({"api": base, "email": email, "token": body["access_token"]})
    hours = int(body.get("expires_in", 0)) // 3600
    console.print(f"logged in to {base} as {email}; token stored in {path} (valid {hours} h)")


def logout() -> None:
    """Forget the stored token."""
    path = credentials_path()
    if path.exists():
        path.unlink()
        console.print(f"logged out; removed {path}")
    else:
        console.print("not logged in")


def _open_phase(phases: list[dict[str, Any]], now: datetime) -> dict[str, Any] | None:
    for phase in phases:
        starts, ends = (datetime.fromisoformat(phase[k]) for k in ("starts_at", "ends_at"))
        if starts <= now < ends:
            return phase
    return None


def catalogue(http: httpx.Client) -> list[dict[str, Any]]:
    """Every visible track with its contest and open phase (None when closed)."""
    now = datetime.now(UTC)
    out = []
    for contest in _json(http.get("/api/v1/contests")):
        for track in _json(http.get(f"/api/v1/contests/{contest['id']}/tracks")):
            phases = _json(http.get(f"/api/v1/tracks/{track['id']}/phases"))
            out.append({"contest": contest, "track": track, "phase": _open_phase(phases, now)})
    return out


def _json(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        console.print(f"[red]error {response.status_code}: {response.text[:300]}[/]")
        raise typer.Exit(1)
    return response.json()


def tracks(
    api: str | None = typer.Option(None, envvar="JIEBANG_API_URL", help="The platform's address."),
) -> None:
    """List the tracks you can submit to: id, contest/track, title and the open phase."""
    base = api_url(api)
    saved = stored()
    headers = {"Accept-Language": cli_locale()}
    if saved.get("token") and saved.get("api", "").rstrip("/") == base:
        headers["Authorization"] = f"Bearer {saved['token']}"
    zh = cli_locale() == "zh-CN"
    table = Table("id", "contest/track", "title", "open phase")
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            rows = catalogue(http)
    except httpx.TransportError as exc:
        console.print(f"[red]cannot reach {base}: {exc}[/]")
        raise typer.Exit(1) from exc
    for row in rows:
        contest, track, phase = row["contest"], row["track"], row["phase"]
        title = track["title_zh"] if zh else track["title_en"]
        if phase is None:
            open_phase = "—"
        else:
            ends = local_time(phase["ends_at"], contest.get("timezone", "UTC"))
            open_phase = f"{phase['slug']} (until {ends})"
        table.add_row(str(track["id"]), f"{contest['slug']}/{track['slug']}", title, open_phase)
    Console().print(table)
