"""Ingestion program for CodaLab v1.5 phases that take code (``is_scoring_only: False``).

Never imported by the platform: the importer copies this file into the task's ingestion
folder, and it runs in the sandbox with Codabench's mounts. As CodaLab v1.5 did, a
submission holding a ``metadata`` file with a ``command:`` is a program: the command runs
with ``$program`` at the submission, ``$input`` at the phase's input data and ``$output``
where the scoring program reads the results. A submission without one is a result
submission: its files are the results.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

SUBMISSION = "/app/ingested_program"
INPUT = "/app/input_data"
OUTPUT = "/app/output"
PLACES = {"program": SUBMISSION, "input": INPUT, "output": OUTPUT, "tmp": "/tmp"}  # noqa: S108


def submission_command() -> str | None:
    """The ``command:`` of the submission's metadata file, or None."""
    for name in ("metadata", "metadata.yaml", "metadata.yml"):
        path = os.path.join(SUBMISSION, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key.strip() == "command" and value.strip():
                    return value.strip().strip("'\"")
    return None


def main() -> int:
    command = submission_command()
    os.makedirs(OUTPUT, exist_ok=True)
    if command is None:
        for entry in os.listdir(SUBMISSION):
            source = os.path.join(SUBMISSION, entry)
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(OUTPUT, entry), symlinks=True)
            else:
                shutil.copy2(source, OUTPUT)
        print("result submission: its files are the results")
        return 0
    command = re.sub(r"\$(program|input|output|tmp)\b", lambda m: PLACES[m.group(1)], command)
    print("running the submission's command: " + command, flush=True)
    return subprocess.call(["/bin/sh", "-c", command], cwd=SUBMISSION)


if __name__ == "__main__":
    sys.exit(main())
