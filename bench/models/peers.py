#!/usr/bin/python3
"""Peers for bench/models: scikit-learn logistic regression and HistGradientBoosting, and XGBoost, trained on
the exact folds our TypeScript side used (read from a JSON file). Prints one JSON object on stdout.
Usage: /usr/bin/python3 bench/models/peers.py folds.json"""
import csv, json, sys, time
import numpy as np

spec = json.load(open(sys.argv[1]))
with open(spec["path"], newline="", encoding="utf-8") as fh:
    rows = list(csv.reader(fh))
header, body = rows[0], rows[1:]
if spec.get("limit"):
    body = body[: spec["limit"]]
ti = header.index(spec["target"])
bad = set(v.lower() for v in spec["bad"])
y = np.array([1 if r[ti].strip().lower() in bad else 0 for r in body])
drop = set(spec.get("drop", [])) | {spec["target"]}
cols = []
for j, name in enumerate(header):
    if name in drop:
        continue
    vals = [r[j] for r in body]
    try:
        cols.append(np.array([float(v) if v != "" else np.nan for v in vals])[:, None])
    except ValueError:
        cats = sorted(set(vals))  # one-hot: LR and XGBoost need numbers
        cols.append(np.array([[1.0 if v == c else 0.0 for c in cats] for v in vals]))
X = np.hstack(cols)

from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score, roc_curve
import xgboost as xgb

def ks(yt, p):
    fpr, tpr, _ = roc_curve(yt, p)
    return float(np.max(tpr - fpr))

g = spec["gbdt"]
models = {
    "logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    "histgb": lambda: HistGradientBoostingClassifier(max_iter=g["nEstimators"], learning_rate=g["learningRate"], max_depth=g["maxDepth"], max_leaf_nodes=None, early_stopping=False, l2_regularization=g["lambda"], min_samples_leaf=20, max_bins=255),
    "xgboost": lambda: xgb.XGBClassifier(n_estimators=g["nEstimators"], learning_rate=g["learningRate"], max_depth=g["maxDepth"], reg_lambda=g["lambda"], min_child_weight=g["minChildWeight"], tree_method="hist", max_bin=256, n_jobs=spec.get("threads", 2)),
}
out = {}
for name, make in models.items():
    aucs, kss, secs, cpus = [], [], [], []
    for test in spec["folds"]:
        mask = np.zeros(len(y), dtype=bool)
        mask[test] = True
        m = make()
        t0, c0 = time.perf_counter(), time.process_time()
        m.fit(X[~mask], y[~mask])
        secs.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        p = m.predict_proba(X[mask])[:, 1]
        aucs.append(float(roc_auc_score(y[mask], p)))
        kss.append(ks(y[mask], p))
    out[name] = {"auc": float(np.mean(aucs)), "ks": float(np.mean(kss)), "secondsPerFold": float(np.mean(secs)), "cpuSecondsPerFold": float(np.mean(cpus)), "aucs": aucs}
print(json.dumps(out))
