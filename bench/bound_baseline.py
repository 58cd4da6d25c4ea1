"""What a researcher would write without hallu: read a hallu bound instance
(JSONL) with the standard json module and compute err, err_iiv and delta at
the paper's threshold 1/min|E_c| (uniform mu, p given on valid rows).
Used by bench/bound.sh to time the baseline and cross-check hallu's numbers."""
import json
import sys
from collections import defaultdict

rows = []
n_err = defaultdict(int)
with open(sys.argv[1]) as f:
    for line in f:
        r = json.loads(line)
        rows.append((r["context"], r["label"], r.get("p", 0.0), r["phat"]))
        if r["label"] == "error":
            n_err[r["context"]] += 1
contexts = {c for c, *_ in rows}
mu = 1.0 / len(contexts)
K = min(n_err[c] for c in contexts)
tau = 1.0 / K
err = err_iiv = pA = phatA = 0.0
phat_sum = defaultdict(float)
for c, label, p, q in rows:
    phat_sum[c] += q
    valid = label in ("valid", "idk")
    if not valid:
        err += mu * q
    if q > tau:
        phatA += mu * q
        if valid:
            pA += mu * p
        else:
            err_iiv += mu / (2 * n_err[c]) if label == "error" else 0.0
    elif valid:
        err_iiv += mu * p / 2
err += sum(mu * max(0.0, 1 - s) for s in phat_sum.values())
print(json.dumps({"err": err, "err_iiv": err_iiv, "delta": abs(phatA - pA)}))
