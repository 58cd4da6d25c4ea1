"""What a researcher would write without hallu: read a letter-logit CSV
(question, four options, gold letter, Logit_A..Logit_D) with the standard
csv module, take the softmax over the four logits, and compute accuracy,
mean confidence, ECE over 10 equal-width bins, err, err_iiv and delta at the
paper's threshold 1/min|E_c| = 1/3 (one valid answer per question, uniform
mu). Used by bench/compare.sh to time the baseline and cross-check hallu."""
import csv
import json
import math
import sys

n = acc = conf = err = err_iiv = pA = phatA = 0.0
bins = [[0, 0.0, 0.0] for _ in range(10)]
tau = 1.0 / 3
with open(sys.argv[1], newline="") as f:
    rows = csv.reader(f)
    header = next(rows)
    cols = [header.index("Logit_" + l) for l in "ABCD"]
    gold_col = header.index("5")
    for r in rows:
        z = [float(r[c]) for c in cols]
        m = max(z)
        e = [math.exp(v - m) for v in z]
        s = sum(e)
        p = [v / s for v in e]
        g = "ABCD".index(r[gold_col])
        pred = max(range(4), key=lambda i: (p[i], -i))
        n += 1
        right = 1.0 if pred == g else 0.0
        acc += right
        conf += p[pred]
        b = bins[min(int(p[pred] * 10), 9)]
        b[0] += 1
        b[1] += p[pred]
        b[2] += right
        err += 1 - p[g]
        for i, q in enumerate(p):
            if q > tau:
                phatA += q
                if i == g:
                    pA += 1
                else:
                    err_iiv += 1 / 6  # an error classified valid: D = 1/(2|E_c|)
            elif i == g:
                err_iiv += 0.5  # the valid answer classified error
ece = sum(k / n * abs(a / k - c / k) for k, c, a in bins if k)
print(json.dumps({"accuracy": acc / n, "mean_confidence": conf / n, "ece": ece,
                  "err": err / n, "err_iiv": err_iiv / n, "delta": abs(phatA - pA) / n}))
