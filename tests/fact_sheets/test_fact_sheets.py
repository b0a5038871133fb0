"""Fact sheets (Codabench ``fact_sheet``): imported with the bundle, asked with every
submission, checked (422 naming the question, in the user's locale), required before the
upload completes, and shown to the team and the contest's staff."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.bundles import codabench_support as cb
from tests.submissions.helpers import put_parts, start, tar_bytes, team_headers

FACT_SHEET = """\
fact_sheet:
  method:
    key: method
    type: text
    title: Method name
    is_required: "true"
    is_on_leaderboard: "true"
  gpu:
    key: gpu
    type: checkbox
    title: Trained on a GPU
    selection: [True, False]
  family:
    key: family
    type: select
    title: Model family
    selection: [tree, linear, neural]
"""
OLD = """\
fact_sheet:
  method:
    key: method
    type: text
    title: Method name
    is_on_leaderboard: "true"
"""


def _import(client: TestClient, organiser: dict[str, str], tmp_path: Path, text: str):
    bundle = cb.v2_bundle(tmp_path / "b", cb.COMPETITION_V2.replace(OLD, text))
    return client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("b.zip", cb.zipped(bundle), "application/zip")},
        headers=organiser,
    )


def test_fact_sheet_is_asked_checked_required_and_shown_to_judges(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    assert OLD in cb.COMPETITION_V2
    imported = _import(client, organiser, tmp_path, FACT_SHEET)
    assert imported.status_code == 200, imported.text
    [contest] = [
        c
        for c in client.get("/api/v1/contests", headers=organiser).json()
        if c["slug"] == "tiny-codabench-quiz"
    ]
    tracks = {
        t["slug"]: t
        for t in client.get(f"/api/v1/contests/{contest['id']}/tracks", headers=organiser).json()
    }
    phases = client.get(f"/api/v1/tracks/{tracks['labels']['id']}/phases", headers=organiser)
    dev = next(p for p in phases.json() if p["slug"] == "development")
    assert client.post(f"/api/v1/contests/{contest['id']}/publish", headers=organiser).is_success

    team = team_headers(client, make_user, contest["id"])
    sheet = client.get(f"/api/v1/phases/{dev['id']}/fact-sheet", headers=team)
    assert sheet.status_code == 200, sheet.text
    assert sheet.json()["questions"] == [
        {"key": "method", "title": "Method name", "type": "text", "options": [],
         "required": True, "on_leaderboard": True},
        {"key": "gpu", "title": "Trained on a GPU", "type": "checkbox", "options": [],
         "required": False, "on_leaderboard": False},
        {"key": "family", "title": "Model family", "type": "select",
         "options": ["tree", "linear", "neural"], "required": False, "on_leaderboard": False},
    ]  # fmt: skip

    data = tar_bytes({"answers.txt": cb.ANSWERS.encode()})
    started = start(client, team, dev["id"], data, "answers.tar")
    assert started.status_code == 201, started.text
    sub_id = started.json()["submission"]["id"]
    parts = put_parts(client, team, started.json()["upload"], data)

    # completing without the required answer: 422 in the user's locale, nothing charged
    zh, en = team | {"Accept-Language": "zh-CN"}, team | {"Accept-Language": "en"}
    refused = client.post(
        f"/api/v1/submissions/{sub_id}/complete", json={"parts": parts}, headers=zh
    )
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["detail"]
    assert problem["loc"] == ["body", "fact_sheet"] and "必答：Method name" in problem["msg"]

    url = f"/api/v1/submissions/{sub_id}/fact-sheet"
    # the team member's saved locale answers: English for these checks, then Chinese again
    assert client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=team).is_success
    for answers, field, english in [
        ({"method": "x", "bogus": 1}, "fact_sheet.bogus", "'bogus' is not a question"),
        ({"gpu": True}, "fact_sheet.method", "'Method name' needs an answer"),
        ({"method": "x", "family": "forest"}, "fact_sheet.family", "tree, linear, neural"),
        ({"method": "x", "gpu": "yes"}, "fact_sheet.gpu", "answered yes or no"),
    ]:
        bad = client.put(url, json={"answers": answers}, headers=en)
        assert bad.status_code == 422, bad.text
        assert bad.json()["detail"][0]["loc"] == ["body", field]
        assert english in bad.json()["detail"][0]["msg"]
    assert client.patch("/api/v1/auth/me", json={"locale": "zh-CN"}, headers=team).is_success
    bad_zh = client.put(url, json={"answers": {"method": "x", "family": "forest"}}, headers=zh)
    assert "须为以下之一：tree、linear、neural" in bad_zh.json()["detail"][0]["msg"]

    given = {"method": "  Gradient boosting ", "gpu": False, "family": "tree"}
    answered = client.put(url, json={"answers": given}, headers=team)
    assert answered.status_code == 200, answered.text
    assert answered.json()["answers"] == {
        "method": "Gradient boosting",
        "gpu": False,
        "family": "tree",
    }
    done = client.post(
        f"/api/v1/submissions/{sub_id}/complete", json={"parts": parts}, headers=team
    )
    assert done.status_code == 200, done.text
    late = client.put(url, json={"answers": given}, headers=zh)
    assert late.status_code == 409 and "事实表不能再修改" in late.json()["detail"]

    for who in (team, organiser):  # the team, and the contest's staff (judges)
        shown = client.get(url, headers=who)
        assert shown.status_code == 200, shown.text
        assert shown.json()["answers"]["method"] == "Gradient boosting"
        assert [q["key"] for q in shown.json()["questions"]] == ["method", "gpu", "family"]
    assert client.get(url, headers=make_user()).status_code == 404


def test_a_select_question_without_options_is_named_with_its_line(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    text = FACT_SHEET.replace("    selection: [tree, linear, neural]\n", "")
    refused = _import(client, organiser, tmp_path, text)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["detail"]
    assert (
        problem["loc"][2] == "competition.yaml"
        and problem["loc"][4] == "fact_sheet.family.selection"
    )
    assert problem["loc"][3] > 0 and "needs its options" in problem["msg"]


def test_tracks_without_a_fact_sheet_ask_nothing_and_complete_as_before(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    from tests.submissions.helpers import submit

    assert _import(client, organiser, tmp_path, "").status_code == 200
    [contest] = [
        c
        for c in client.get("/api/v1/contests", headers=organiser).json()
        if c["slug"] == "tiny-codabench-quiz"
    ]
    [track] = [
        t
        for t in client.get(f"/api/v1/contests/{contest['id']}/tracks", headers=organiser).json()
        if t["slug"] == "labels"
    ]
    phases = client.get(f"/api/v1/tracks/{track['id']}/phases", headers=organiser).json()
    dev = next(p for p in phases if p["slug"] == "development")
    assert client.post(f"/api/v1/contests/{contest['id']}/publish", headers=organiser).is_success
    team = team_headers(client, make_user, contest["id"])
    sheet = client.get(f"/api/v1/phases/{dev['id']}/fact-sheet", headers=team)
    assert sheet.json() == {"questions": []}
    data = tar_bytes({"answers.txt": cb.ANSWERS.encode()})
    done = submit(client, team, dev["id"], data, "answers.tar")
    assert done.status_code == 200, done.text
