#!/usr/bin/env bash
# Times `hallu bound` on a seeded instance of ROWS rows (default 10^7) beside
# `wc -l` (the I/O floor) and a plain-Python baseline, on the same file, from
# page cache. Prints rows/s, MB/s, peak memory and ratios, and checks that
# hallu and the baseline agree on err, err_iiv and delta. A second instance
# of as many rows in 100 times fewer contexts shows how memory depends on
# the number of contexts.
#   bench/bound.sh [ROWS]      (ROWS=1000000 for a quick run)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-10000000}
OUT=bench/out
mkdir -p "$OUT"
for tool in /usr/bin/time bc; do command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq time bc >/dev/null; }; done
go build -o "$OUT/hallu" ./cmd/hallu
go build -o "$OUT/geninstance" ./bench/geninstance
F="$OUT/instance-$ROWS.jsonl"
[ -s "$F" ] || "$OUT/geninstance" -rows "$ROWS" > "$F"
G="$OUT/instance-$ROWS-wide.jsonl" # 1,000 rows per context instead of 10
[ -s "$G" ] || "$OUT/geninstance" -rows "$ROWS" -errors 998 > "$G"
cat "$F" "$G" > /dev/null # warm the page cache
MB=$(( $(stat -c %s "$F") / 1000000 ))
NROWS=$(wc -l < "$F")

measure() { # name, command...; sets SEC and RSS_MB
	local name=$1; shift
	/usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > "$OUT/$name.out"
	read -r SEC RSS < "$OUT/time.txt"
	SEC=$(echo "if ($SEC < 0.01) 0.01 else $SEC" | bc -l) # time's resolution
	RSS_MB=$(( RSS / 1024 ))
}
printf "%-33s %9s %12s %9s %10s %8s\n" tool seconds rows/s MB/s peak_MB vs_hallu
row() { printf "%-33s %9.2f %12.0f %9.0f %10d %8s\n" "$1" "$2" "$(echo "$NROWS / $2" | bc -l)" "$(echo "$MB / $2" | bc -l)" "$3" "$4"; }

measure hallu "$OUT/hallu" bound --json "$F"; H=$SEC; row "hallu bound" "$SEC" "$RSS_MB" "1.00x"
measure hallu1 env GOMAXPROCS=1 "$OUT/hallu" bound --json "$F"; row "hallu bound (GOMAXPROCS=1)" "$SEC" "$RSS_MB" "$(printf %.2fx "$(echo "$SEC / $H" | bc -l)")"
measure wide "$OUT/hallu" bound --json "$G"; row "hallu bound, 100x fewer contexts" "$SEC" "$RSS_MB" "$(printf %.2fx "$(echo "$SEC / $H" | bc -l)")"
measure wc wc -l "$F"; row "wc -l" "$SEC" "$RSS_MB" "$(printf %.2fx "$(echo "$SEC / $H" | bc -l)")"
measure python python3 bench/bound_baseline.py "$F"; row "python3 json baseline" "$SEC" "$RSS_MB" "$(printf %.2fx "$(echo "$SEC / $H" | bc -l)")"

python3 - "$OUT/hallu.out" "$OUT/python.out" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["result"]
p = json.loads(open(sys.argv[2]).read())
for k in ("err", "err_iiv", "delta"):
    assert abs(h[k] - p[k]) < 1e-9, (k, h[k], p[k])
print("hallu and the python baseline agree on err, err_iiv, delta:", {k: round(h[k], 6) for k in ("err", "err_iiv", "delta")})
PY
