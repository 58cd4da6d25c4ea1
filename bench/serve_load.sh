#!/usr/bin/env bash
# hallu serve under the load of issue 14, on loopback, bounded and self-stopping.
#
# Builds hallu and bench/serveload, trains the Moby-Dick trigram, starts
# `hallu serve` on 127.0.0.1 with its default limits (or SERVE_FLAGS), and
# runs serveload: CONCURRENT requests at once (default 100), each taking one
# limit to its maximum with 20 top log-probabilities, while a small scoring
# request is sent again and again. serveload reads the server's resident
# memory from /proc and reports the scoring request's p50/p99 latency. Then
# the script sends SIGINT and checks that the server exits 0, and how long
# it took.
#
# Environment: CONCURRENT (default 100), PORT (default 18090), SERVE_FLAGS
# (extra flags for hallu serve and serveload, e.g. "--queue 8"; limit flags
# are passed to both so that serveload builds its requests to the same limits).
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENT=${CONCURRENT:-100}
PORT=${PORT:-18090}
SERVE_FLAGS=${SERVE_FLAGS:-}
OUT=bench/out
mkdir -p "$OUT"

echo "== build and train"
go build -o "$OUT/hallu" ./cmd/hallu
go build -o "$OUT/serveload" ./bench/serveload
[ -f "$OUT/moby3.bin" ] || "$OUT/hallu" ngram train --order 3 --out "$OUT/moby3.bin" | head -1

# shellcheck disable=SC2086
"$OUT/hallu" serve --model "$OUT/moby3.bin" --addr "127.0.0.1:$PORT" $SERVE_FLAGS 2>"$OUT/serve-load.log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break
	sleep 0.1
done

# Only the limit flags concern serveload.
load_flags=$(echo "$SERVE_FLAGS" | grep -oE -- '--max-[a-z-]+[ =][0-9]+' | tr '\n' ' ' || true)
echo "== $CONCURRENT worst-case requests at once, $(nproc) cores; hallu serve ${SERVE_FLAGS:-(default limits)}"
# shellcheck disable=SC2086
"$OUT/serveload" -url "http://127.0.0.1:$PORT/v1" -pid "$pid" -concurrent "$CONCURRENT" $load_flags
status=0

echo "== stop (SIGINT)"
start=$(date +%s.%N)
kill -INT $pid
wait $pid || status=$?
end=$(date +%s.%N)
printf 'hallu serve exited with status %d after %.2f s\n' "$status" "$(echo "$end - $start" | bc)"
trap - EXIT
echo "ERROR lines in the server log: $(grep -c 'level=ERROR' "$OUT/serve-load.log" || true)"
[ "$status" -eq 0 ]
