"""Ingestion program for CodaLab v1.5 phases that take code (``is_scoring_only: False``).

Never imported by the platform: the importer copies this file into the task's ingestion
folder, and it runs in the sandbox with Codabench's mounts. As CodaLab v1.5 did, a
submission holding a ``metadata`` file with a ``command:`` is a program: the command runs
with ``$program`` at the submission, ``$input`` at the phase's input data and ``$output``
where the scoring program reads the results. A submission without one is a result
submission: its files are the results.

It runs on the phase's runtime, which for a v1.5 bundle may be a Python 2.7 image
(``codalab/codalab-legacy:py2``), so it is written for Python 2.7 and 3 alike: no
annotations, ``io.open``, no ``exist_ok`` and no ``print(..., flush=...)``.
"""

import io
import os
import re
import shutil
import subprocess
import sys

SUBMISSION = "/app/ingested_program"
INPUT = "/app/input_data"
OUTPUT = "/app/output"
PLACES = {"program": SUBMISSION, "input": INPUT, "output": OUTPUT, "tmp": "/tmp"}  # noqa: S108


def submission_command():
    """The ``command:`` of the submission's metadata file, or None."""
    for name in ("metadata", "metadata.yaml", "metadata.yml"):
        path = os.path.join(SUBMISSION, name)
        if not os.path.isfile(path):
            continue
        with io.open(path, encoding="utf-8", errors="replace") as handle:  # noqa: UP020
            for line in handle:
                key, _, value = line.partition(":")
                if key.strip() == "command" and value.strip():
                    return value.strip().strip("'\"")
    return None


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main():
    command = submission_command()
    if not os.path.isdir(OUTPUT):
        os.makedirs(OUTPUT)
    if command is None:
        for entry in os.listdir(SUBMISSION):
            source = os.path.join(SUBMISSION, entry)
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(OUTPUT, entry), symlinks=True)
            else:
                shutil.copy2(source, OUTPUT)
        say("result submission: its files are the results")
        return 0
    command = re.sub(r"\$(program|input|output|tmp)\b", lambda m: PLACES[m.group(1)], command)
    say("running the submission's command: " + command)
    return subprocess.call(["/bin/sh", "-c", command], cwd=SUBMISSION)


if __name__ == "__main__":
    sys.exit(main())
