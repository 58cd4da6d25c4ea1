#!/usr/bin/env python3
"""Write a synthetic hallu run file for bench/score.sh: N samples, two models
answering the same N/2 questions, every outcome represented, confidences
loosely calibrated. Deterministic (seeded)."""
import json, random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = random.Random(20250904)
out = sys.stdout
models = [("guesser", 0.01), ("careful", 0.45)]  # (name, abstention rate)
for q in range(n // len(models)):
    for name, p_abst in models:
        conf = rng.random()
        u = rng.random()
        if u < 0.004:
            outcome, response = "invalid", ""
        elif u < 0.004 + p_abst:
            outcome, response = "abstained", "I don't know"
        elif rng.random() < conf:
            outcome, response = "correct", "Paris"
        else:
            outcome, response = "wrong", "Lyon"
        out.write(json.dumps({"id": f"q{q}", "model": name, "response": response,
                              "golds": ["Paris"], "outcome": outcome,
                              "confidence": round(conf, 4)}, separators=(",", ":")) + "\n")
