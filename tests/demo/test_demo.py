"""`jiebang demo` end to end: data, import, baselines scored on all four tracks, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from jiebang.demo import seed
from jiebang.evaluation.models import Score
from jiebang.submissions.models import Submission


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_demo_seeds_scored_baselines(platform_env: None, db: Session, tmp_path: Path) -> None:
    lines = list(seed.run(var_dir=tmp_path / "var"))
    assert any("scored 12 evaluation job(s)" in line for line in lines), lines
    subs = list(db.exec(select(Submission)))
    assert len(subs) == 12 and {s.status for s in subs} == {"scored"}, [
        (s.status, s.failure_message) for s in subs
    ]
    assert len(list(db.exec(select(Score)))) == 12
    table = [line for line in lines if "达标" in line]
    assert any("not met" in line for line in table) and any(" met /" in line for line in table)
    assert any("organiser@demo.jiebang.org" in line for line in lines)
    again = list(seed.run(var_dir=tmp_path / "var"))
    assert "demo bundle already imported" in again and "baselines already submitted" in again
