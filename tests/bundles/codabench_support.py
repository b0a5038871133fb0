"""Codabench bundles written by the tests themselves (v2 and v1.5), and their programs.

The programs use only the standard library (the platform runtime) and take their folders
from argv, so the same files run directly outside the platform for the expected score.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

# Result-only task: answers.txt holds one label per line; truth.txt the same.
SCORE_RESULTS = """\
import json, os, sys
inp, out = sys.argv[1], sys.argv[2]
truth = open(os.path.join(inp, "ref", "truth.txt")).read().split()
guess = open(os.path.join(inp, "res", "answers.txt")).read().split()
right = sum(t == g for t, g in zip(truth, guess))
acc = right / len(truth)
os.makedirs(out, exist_ok=True)
json.dump({"accuracy": acc, "error": 1 - acc, "secret": right, "unused": 7},
          open(os.path.join(out, "scores.json"), "w"))
open(os.path.join(out, "detailed_results.html"), "w").write(
    "<html><body><h1>Per item</h1><script>parent.document.title='x'</script>"
    + "".join(f"<p>{t} {g}</p>" for t, g in zip(truth, guess)) + "</body></html>")
"""

# Ingestion task: the ingestion program imports the team's model.py and writes predictions.
INGEST = """\
import os, sys
sys.path.insert(0, sys.argv[3])
import model
inp, out = sys.argv[1], sys.argv[2]
xs = open(os.path.join(inp, "x.txt")).read().split()
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "pred.txt"), "w").write("\\n".join(model.predict(x) for x in xs))
"""
SCORE_TXT = """\
import os, sys
inp, out = sys.argv[1], sys.argv[2]
truth = open(os.path.join(inp, "ref", "y.txt")).read().split()
pred = open(os.path.join(inp, "res", "pred.txt")).read().split()
acc = sum(t == p for t, p in zip(truth, pred)) / len(truth)
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "scores.txt"), "w").write(f"accuracy: {acc}\\nerror: {1 - acc}\\nsecret: 3\\n")
"""
MODEL = "def predict(x):\n    return 'even' if int(x) % 2 == 0 else 'odd'\n"
TRUTH = "cat dog cat bird dog cat fish dog\n"
ANSWERS = "cat dog dog bird dog cat cat dog\n"  # 6 of 8 right
XS = "1 2 3 4 5 6 7 8 9 10\n"
YS = "odd even odd even odd even even even odd odd\n"  # 8 of 10 right

COMPETITION_V2 = """\
version: 2
title: Tiny Codabench Quiz
description: A quiz bundle written by the tests.
docker_image: example/unknown-image:1
registration_auto_approve: true
enable_detailed_results: true
terms: pages/terms.md
pages:
  - title: Overview
    file: pages/overview.md
tasks:
  - index: 0
    name: Labels
    description: Result-only task.
    scoring_program: scoring_results.zip
    reference_data: reference_labels/
  - index: 1
    name: Parity
    description: Code task with an ingestion program.
    scoring_program: scoring_txt/
    ingestion_program: ingestion/
    input_data: input_parity/
    reference_data: reference_parity/
solutions:
  - index: 0
    tasks: [0]
    path: solution_results/
  - index: 1
    tasks: [1]
    path: solution_code/
phases:
  - index: 0
    name: Development
    start: 1-1-2024
    end: 9-04-2030
    max_submissions: 50
    max_submissions_per_day: 3
    execution_time_limit: 120
    tasks: [0, 1]
  - index: 1
    name: Final
    start: 2030-09-05T00:00:00
    auto_migrate_to_this_phase: true
    max_submissions: 5
    max_submissions_per_day: 1
    tasks: [0, 1]
fact_sheet:
  method:
    key: method
    type: text
    title: Method name
    is_on_leaderboard: "true"
leaderboards:
  - index: 0
    title: Results
    key: main
    submission_rule: Force_Best
    columns:
      - {index: 0, title: Accuracy, key: accuracy, sorting: desc, precision: 4}
      - {index: 1, title: Error, key: error, sorting: asc, precision: 3}
      - {index: 2, title: Secret, key: secret, hidden: true}
"""

COMPETITION_V15 = """\
title: Tiny CodaLab Quiz
description: A v1.5 bundle written by the tests.
has_registration: False
html:
    overview: overview.html
    terms: terms.html
phases:
    1:
        phasenumber: 1
        label: "Development"
        start_date: 2024-06-30
        max_submissions: 100
        scoring_program: program.zip
        reference_data: reference.zip
    2:
        phasenumber: 2
        label: "Final"
        start_date: 2024-09-30
        max_submissions: 3
        scoring_program: program.zip
        reference_data: reference.zip
leaderboard:
    leaderboards:
        Results: &RESULTS
            label: Results
            rank: 1
    columns:
        accuracy:
            leaderboard: *RESULTS
            label: Accuracy
            numeric_format: 4
            rank: 1
        error:
            leaderboard: *RESULTS
            label: Error
            numeric_format: 3
            rank: 2
            sort: asc
"""


def _zip_folder(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def v2_bundle(root: Path, competition: str = COMPETITION_V2) -> Path:
    results_program = {
        "metadata.yaml": "command: python3 score.py /app/input /app/output\n",
        "score.py": SCORE_RESULTS,
    }
    return write(
        root,
        {
            "competition.yaml": competition,
            "pages/overview.md": "# Overview\n\nGuess the labels.\n",
            "pages/terms.md": "Be nice.\n",
            "scoring_results.zip": _zip_folder(results_program),
            "reference_labels/truth.txt": TRUTH,
            "solution_results/answers.txt": ANSWERS,
            "scoring_txt/metadata.yaml": "command: python3 $program/score.py $input $output\n",
            "scoring_txt/score.py": SCORE_TXT,
            "ingestion/metadata.yaml": (
                "command: python3 ingest.py /app/input_data /app/output /app/ingested_program\n"
            ),
            "ingestion/ingest.py": INGEST,
            "input_parity/x.txt": XS,
            "reference_parity/y.txt": YS,
            "solution_code/model.py": MODEL,
        },
    )


def v15_bundle(root: Path) -> Path:
    program = {
        "metadata": "command: python $program/score.py $input $output\n",
        "score.py": SCORE_TXT.replace('"y.txt"', '"truth.txt"').replace(
            '"pred.txt"', '"answers.txt"'
        ),
    }
    return write(
        root,
        {
            "competition.yaml": COMPETITION_V15,
            "overview.html": "<h1>Hello</h1><script>alert(1)</script><p>Compute it.</p>",
            "terms.html": "<p>Terms</p>",
            "program.zip": _zip_folder(program),
            "reference.zip": _zip_folder({"truth.txt": TRUTH}),
        },
    )


def zipped(folder: Path) -> bytes:
    """The bundle as its organiser would upload it: one zip of the folder's contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), (1980, 1, 1, 0, 0, 0))
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def run_directly(program: Path, *, ref: Path, res: Path, work: Path) -> str:
    """The scoring program run outside the platform (plain folders, no sandbox): its
    scores file's text."""
    (work / "input").mkdir(parents=True)
    (work / "input" / "ref").symlink_to(ref)
    (work / "input" / "res").symlink_to(res)
    subprocess.run(
        [sys.executable, "score.py", str(work / "input"), str(work / "output")],
        cwd=program,
        check=True,
    )
    for name in ("scores.json", "scores.txt"):
        if (work / "output" / name).is_file():
            return (work / "output" / name).read_text()
    raise AssertionError("the program wrote no scores")


def ingest_directly(program: Path, *, inputs: Path, code: Path, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "ingest.py", str(inputs), str(out), str(code)], cwd=program, check=True
    )
    return out
