"""Scoring programs written by the tests: an AUC command scorer and small evaluators."""

from __future__ import annotations

import io
import json
import sys
import zipfile

VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
SKLEARN_REQUIREMENTS = ["scikit-learn==1.6.1", "numpy==2.2.6"]

AUC_SCORER = r"""
import csv, json, os, sys
from sklearn.metrics import roc_auc_score

def read(path, column):
    with open(path, newline="") as fh:
        return {row["id"]: float(row[column]) for row in csv.DictReader(fh)}

labels = read("/reference/labels.csv", "label")
files = [f for f in os.listdir("/submission") if f.endswith(".csv")]
if len(files) != 1:
    json.dump({"error": "submit one CSV file", "error_zh": "请提交一个 CSV 文件"},
              open("/out/scores.json", "w"))
    sys.exit(0)
scores = read(os.path.join("/submission", files[0]), "score")
config = json.load(open("/config.json"))
print("scoring", len(scores), "rows", file=sys.stderr)
ids = sorted(labels)
result = {"metrics": {"auc": roc_auc_score([labels[i] for i in ids], [scores[i] for i in ids])}}
splits = config.get("splits") or {}
result["splits"] = {
    name: {"auc": roc_auc_score([labels[i] for i in part], [scores[i] for i in part])}
    for name, part in splits.items()
}
json.dump(result, open("/out/scores.json", "w"))
"""


def scorer_manifest(**overrides: object) -> dict[str, object]:
    return {
        "key": "aigc_auc",
        "title_zh": "AIGC 图像检测 AUC",
        "title_en": "AIGC image detection AUC",
        "command": ["python", "score.py"],
        "metrics": [
            {
                "key": "auc",
                "direction": "higher",
                "label_zh": "AUC",
                "label_en": "ROC-AUC",
                "precision": 4,
            }
        ],
        "runtime": {"kind": "python", "version": VERSION, "requirements": SKLEARN_REQUIREMENTS},
    } | overrides


def zip_bytes(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def auc_scorer_zip(script: str = AUC_SCORER, **overrides: object) -> bytes:
    return zip_bytes({"scorer.json": json.dumps(scorer_manifest(**overrides)), "score.py": script})


def mann_whitney_auc(labels: list[int], scores: list[float]) -> float:
    """ROC-AUC as the probability a positive outranks a negative (ties count half)."""
    pos = [s for label, s in zip(labels, scores, strict=True) if label == 1]
    neg = [s for label, s in zip(labels, scores, strict=True) if label == 0]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))
