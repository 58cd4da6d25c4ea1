#!/usr/bin/env bash
# Measures hallu run's request rate beside wrk's, at the same concurrency,
# against a fast local endpoint on 127.0.0.1 (bench/fixedserver, which
# answers every POST with one fixed chat completion), and the llm client's
# own cost per request with go test -bench.
#   bench/harness.sh [REQUESTS] [CONCURRENCY]     (defaults 20000 and 16)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
C=${2:-16}
OUT=bench/out
ADDR=127.0.0.1:18181
mkdir -p "$OUT"
for tool in wrk bc curl python3; do command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk bc curl python3 >/dev/null; break; }; done
go build -o "$OUT/hallu" ./cmd/hallu
go build -o "$OUT/fixedserver" ./bench/fixedserver

# N distinct questions: hallu run sends one chat request per question (one target).
python3 - "$N" > "$OUT/bench-questions.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"id": f"q{i}", "question": f"What is the capital of country number {i}?", "answer": "Paris"}))
PY

# wrk posts a body like hallu's (system instruction + question).
cat > "$OUT/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"max_tokens":32,"messages":[{"content":"Scoring: a correct answer earns 1 point; a wrong answer and \\"I don\'t know\\" both earn 0 points, so guessing costs nothing. Give your best answer even if you are unsure.\\nReply with the answer alone, as briefly as possible.","role":"system"},{"content":"What is the capital of country number 12345?","role":"user"}],"model":"fixed","temperature":0}'
LUA

hallu_rate() { # extra flags...; prints requests per second of the run phase
	rm -f "$OUT"/bench-run.jsonl*
	"$OUT/hallu" run --base-url "http://$ADDR/v1" --model fixed --dataset "$OUT/bench-questions.jsonl" \
		--targets 0 --max-tokens 32 --concurrency "$C" -o "$OUT/bench-run.jsonl" --quiet --json "$@" > "$OUT/bench-run.json"
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; print("%.0f" % (r["requests"]["sent"]/r["seconds"]))' "$OUT/bench-run.json"
}

bench_endpoint() { # name, server command...
	local name=$1; shift
	"$@" 2>/dev/null & SERVER=$!
	for _ in $(seq 100); do curl -s -o /dev/null "http://$ADDR/v1/models" 2>/dev/null && break; sleep 0.1; done
	local wrk_rate nocache cache
	wrk_rate=$(wrk -t2 -c"$C" -d10s -s "$OUT/post.lua" "http://$ADDR/v1/chat/completions" | awk '/Requests\/sec/ {print $2}')
	nocache=$(hallu_rate --no-cache)
	cache=$(hallu_rate)
	kill $SERVER; wait $SERVER 2>/dev/null || true
	printf "\nendpoint: %s on %s; %d requests, concurrency %d\n" "$name" "$ADDR" "$N" "$C"
	printf "%-44s %10s %9s\n" client requests/s vs_wrk
	printf "%-44s %10.0f %9s\n" "wrk -t2 -c$C (10 s)" "$wrk_rate" "1.00"
	printf "%-44s %10.0f %9.2f\n" "hallu run --no-cache (run file fsynced)" "$nocache" "$(echo "$nocache / $wrk_rate" | bc -l)"
	printf "%-44s %10.0f %9.2f\n" "hallu run (SQLite cache + run file fsynced)" "$cache" "$(echo "$cache / $wrk_rate" | bc -l)"
}

"$OUT/hallu" ngram train -o "$OUT/moby.model" > /dev/null
bench_endpoint "bench/fixedserver (fixed reply)" "$OUT/fixedserver" -addr "$ADDR"
bench_endpoint "hallu serve (trigram on Moby-Dick)" "$OUT/hallu" serve --model "$OUT/moby.model" --model-id fixed --addr "$ADDR"

echo
echo "llm client cost per request (go test -bench):"
go test -run NONE -bench 'ClientOverhead|Loopback|Cache' -benchtime 2s ./llm | grep -E '^Benchmark'
