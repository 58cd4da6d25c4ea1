#!/usr/bin/env bash
# Throughput and latency of `hallu serve` under wrk, on loopback.
#
# Builds hallu, trains a trigram on the built-in Moby-Dick, starts
# `hallu serve` on 127.0.0.1, and runs wrk for a bounded time against:
#   health    GET /health: the HTTP floor of the same server (no model work)
#   score     POST /v1/completions, echo + logprobs, max_tokens 0 (ln p̂(r|c))
#   generate  POST /v1/completions, 16 tokens at temperature 1 with logprobs 1
#   chat      POST /v1/chat/completions, 16 tokens with top_logprobs 5
# then stops the server with SIGTERM and checks that it exits cleanly.
# Installs wrk (Debian package) if missing. wrk and the server share the
# machine's cores; the figures are for that setup.
#
# Environment: DURATION (default 10s), CONNS (default 8), THREADS (default 2),
# PORT (default 18080).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${CONNS:-8}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
OUT=bench/out
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
	echo "== installing wrk"
	apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if ! command -v curl >/dev/null; then
	apt-get update -qq && apt-get install -y -qq curl >/dev/null
fi

echo "== build and train"
go build -o "$OUT/hallu" ./cmd/hallu
"$OUT/hallu" ngram train --order 3 --out "$OUT/moby3.bin" | head -1

"$OUT/hallu" serve --model "$OUT/moby3.bin" --addr "127.0.0.1:$PORT" 2>"$OUT/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break
	sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "server did not start"; cat "$OUT/serve.log"; exit 1; }

echo "== wrk -t$THREADS -c$CONNS -d$DURATION, $(nproc) cores"
printf '%-9s %10s %10s %10s %10s %10s %8s\n' scenario req/s p50 p90 p99 max errors
for scenario in health score generate chat; do
	if [ "$scenario" = health ]; then
		wrk --latency -t"$THREADS" -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$PORT/health" >"$OUT/wrk-$scenario.txt"
	else
		wrk --latency -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "bench/serve_$scenario.lua" \
			"http://127.0.0.1:$PORT/v1/$([ "$scenario" = chat ] && echo chat/completions || echo completions)" >"$OUT/wrk-$scenario.txt"
	fi
	awk -v s="$scenario" '
		/Requests\/sec/ {rps=$2}
		/^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
		/^ +Latency +[0-9]/ {mx=$4}
		/Non-2xx/ {err+=$NF} /Socket errors/ {err+=1}
		END {printf "%-9s %10s %10s %10s %10s %10s %8d\n", s, rps, p50, p90, p99, mx, err}' "$OUT/wrk-$scenario.txt"
done

echo "== stop (SIGTERM)"
kill -TERM $pid
if wait $pid; then echo "hallu serve exited cleanly"; else echo "hallu serve exited with $?"; exit 1; fi
trap - EXIT
