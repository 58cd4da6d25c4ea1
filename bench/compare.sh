#!/usr/bin/env bash
# Times `hallu compare` on a seeded letter-logit CSV of one model's full MMLU
# (14,042 questions, the layout of the llm-calibration files) beside a
# plain-Python baseline (csv module) on the same file, and checks that both
# agree within 1e-9 on accuracy, mean confidence, ECE, err, err_iiv and δ.
# hallu runs with the fewest bootstrap resamples (--reps 2): the bootstrap
# is extra work the baseline does not do.
#   bench/compare.sh [QUESTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-14042}
OUT=bench/out
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
go build -o "$OUT/hallu" ./cmd/hallu
F="$OUT/mmlu-$N.csv"
[ -s "$F" ] || python3 - "$N" > "$F" <<'PY'
import random, sys
rng = random.Random(1)
print("0,1,2,3,4,5,Logit_A,Logit_B,Logit_C,Logit_D,Predicted,Correct")
for i in range(int(sys.argv[1])):
    logits = ",".join("%.4f" % (14 + 2 * rng.random()) for _ in range(4))
    print('"Synthetic question %d, about subject %d?",a,b,c,d,%s,%s,A,' % (i, i % 57, "ABCD"[rng.randrange(4)], logits))
PY
cat "$F" > /dev/null
measure() { # name, command...; sets SEC and RSS_MB
	local name=$1; shift
	/usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > "$OUT/$name.out"
	read -r SEC RSS < "$OUT/time.txt"
	RSS_MB=$(( RSS / 1024 ))
}
printf "%-32s %8s %8s\n" tool seconds peak_MB
measure hallu "$OUT/hallu" compare --reps 2 --json --scores 'Logit_*' --gold 5 --question 0 "$F"; printf "%-32s %8.2f %8d\n" "hallu compare --reps 2" "$SEC" "$RSS_MB"
measure python python3 bench/compare_baseline.py "$F"; printf "%-32s %8.2f %8d\n" "python3 csv baseline" "$SEC" "$RSS_MB"
python3 - "$OUT/hallu.out" "$OUT/python.out" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["result"]["models"][0]
h = {"accuracy": m["accuracy"], "mean_confidence": m["mean_confidence"], "ece": m["ece"],
     "err": m["bound"]["err"], "err_iiv": m["bound"]["err_iiv"], "delta": m["bound"]["delta"]}
p = json.load(open(sys.argv[2]))
for k in h:
    assert abs(h[k] - p[k]) < 1e-9, (k, h[k], p[k])
print("hallu and the python baseline agree within 1e-9:", {k: round(v, 6) for k, v in h.items()})
PY
