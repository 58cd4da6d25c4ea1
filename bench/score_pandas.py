#!/usr/bin/env python3
"""The table `hallu score` prints, computed the way a pandas user would:
for each (model, t): n, the four outcome counts, the score
(correct − wrong·t/(1−t))/n, the rates over n, accuracy given attempted and
SimpleQA's F1. Reads hallu's run format (JSONL). Prints one JSON object per
(model, t) so that bench/score.sh can check both tools agree."""
import json, sys
import pandas as pd

path = sys.argv[1]
targets = [float(t) for t in (sys.argv[2] if len(sys.argv) > 2 else "0,0.5,0.75,0.9").split(",")]
df = pd.read_json(path, lines=True)
counts = (df.groupby(["model", "outcome"]).size().unstack(fill_value=0)
          .reindex(columns=["correct", "wrong", "abstained", "invalid"], fill_value=0))
rows = []
for model, c in counts.iterrows():
    n = int(c.sum())
    att = int(c["correct"] + c["wrong"])
    acc = c["correct"] / n
    aga = c["correct"] / att if att else 0.0
    f1 = 2 * acc * aga / (acc + aga) if acc + aga else 0.0
    for t in targets:
        pen = t / (1 - t)
        rows.append({"model": model, "t": t, "penalty": pen, "n": n,
                     "score": (c["correct"] - pen * c["wrong"]) / n,
                     "accuracy": acc, "error_rate": c["wrong"] / n,
                     "abstention_rate": c["abstained"] / n, "invalid_rate": c["invalid"] / n,
                     "accuracy_given_attempted": aga, "f1": f1})
for r in rows:
    print(json.dumps({k: (float(v) if not isinstance(v, str) else v) for k, v in r.items()}))
