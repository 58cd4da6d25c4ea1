#!/usr/bin/env bash
# Benchmark `hallu score` against a pandas script computing the same table
# (per model and confidence target: counts, score, rates, accuracy given
# attempted, F1) on the same 10^6-sample run file, in the same run, and
# check that the two tables agree.
#
# Usage: bench/score.sh [N]   (default N = 1000000 samples)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
# Debian's python3-pandas lives with Debian's interpreter, which another
# python3 on PATH (pyenv, venv) may shadow.
PY=/usr/bin/python3
if ! "$PY" -c 'import pandas' 2>/dev/null || ! command -v bc >/dev/null; then
	echo "== installing python3-pandas and bc (Debian)"
	apt-get update -qq && apt-get install -y -qq python3-pandas bc >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== building hallu"
go build -o "$work/hallu" ./cmd/hallu
echo "== writing $N samples"
"$PY" bench/score_gen.py "$N" >"$work/run.jsonl"
ls -l "$work/run.jsonl" | awk '{print "   " $5 " bytes"}'
cat "$work/run.jsonl" >/dev/null # warm the page cache for both tools

# wall seconds of a command, best of 3
best() {
	local b=999999
	for _ in 1 2 3; do
		local s e
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		b=$(echo "$e - $s" | bc -l | awk -v b="$b" '{print ($1 < b) ? $1 : b}')
	done
	echo "$b"
}

echo "== hallu score (full report: table, calibration, policy curve, risk-coverage, 1000-replicate paired bootstrap)"
h_full=$(best "$work/hallu" score --json "$work/run.jsonl")
echo "== hallu score --bootstrap 0 (the table the pandas script computes, plus calibration and curves)"
h_table=$(best "$work/hallu" score --json --bootstrap 0 "$work/run.jsonl")
echo "== pandas ($("$PY" -c 'import pandas; print("pandas", pandas.__version__)'))"
p=$(best "$PY" bench/score_pandas.py "$work/run.jsonl")

echo "== checking that the tables agree"
"$work/hallu" score --json --bootstrap 0 "$work/run.jsonl" >"$work/hallu.json"
"$PY" bench/score_pandas.py "$work/run.jsonl" >"$work/pandas.jsonl"
"$PY" - "$work/hallu.json" "$work/pandas.jsonl" <<'PY'
import json, sys
h = {(r["model"], r["t"]): r for r in json.load(open(sys.argv[1]))["result"]["results"]}
p = [json.loads(l) for l in open(sys.argv[2])]
keys = ["penalty", "n", "score", "accuracy", "error_rate", "abstention_rate", "invalid_rate", "accuracy_given_attempted", "f1"]
bad = [(r["model"], r["t"], k) for r in p for k in keys if abs(h[(r["model"], r["t"])][k] - r[k]) > 1e-9]
if bad or len(h) != len(p):
    sys.exit(f"tables differ: {bad[:5]}")
print(f"   {len(p)} rows agree to 1e-9")
PY
printf '%-52s %8.3f s\n' "hallu score (full report)" "$h_full" "hallu score --bootstrap 0" "$h_table" "pandas read_json + groupby" "$p"
printf 'pandas / hallu (full report): %.1fx\n' "$(echo "$p / $h_full" | bc -l)"
printf 'pandas / hallu (--bootstrap 0): %.1fx\n' "$(echo "$p / $h_table" | bc -l)"
