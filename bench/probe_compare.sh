#!/usr/bin/env bash
# Compares the two ways hallu reads a model's probabilities of given answers,
# on hallu serve (which offers both): echo (the log-probability of the whole
# candidate after the context, /completions with echo) and letter
# probabilities (the first generated token's top_logprobs on /chat/completions,
# renormalised over the options; here --labels options, each option's own word).
# Prints δ, err_iiv and err at the paper's threshold 1/min|E_c| for each, and for
# echo on the chat-formatted contexts, which must equal the letter path exactly
# (one-word options).
#   bench/probe_compare.sh [CANDIDATES.jsonl]   (default bench/probe/oneword.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
IN=${1:-bench/probe/oneword.jsonl}
OUT=bench/out
ADDR=127.0.0.1:18932
mkdir -p "$OUT"
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
go build -o "$OUT/hallu" ./cmd/hallu
"$OUT/hallu" serve --addr "$ADDR" > "$OUT/probe-serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE' EXIT
for _ in $(seq 100); do curl -sf "http://$ADDR/health" >/dev/null && break; sleep 0.1; done
BASE=http://$ADDR/v1

# hallu serve's chat template (serve's package doc): "User: <content>\n\nAssistant:".
jq -c '.context |= "User: " + . + "\n\nAssistant:"' "$IN" > "$OUT/probe-chat-contexts.jsonl"

row() { # label, file, flags...
	local label=$1 file=$2; shift 2
	"$OUT/hallu" bound --from candidates "$file" --base-url "$BASE" --model hallu-ngram --no-cache --json "$@" |
		jq -r --arg l "$label" '[$l, (.result.contexts|tostring), (.result.delta|tostring), (.result.err_iiv|tostring), (.result.err|tostring)] | @tsv'
}
{
	printf 'method\tsets\tδ\terr_iiv\terr\n'
	row "echo, context as given" "$IN" --method echo
	row "letters (--labels options)" "$IN" --method letters --labels options
	row "echo, chat-formatted context" "$OUT/probe-chat-contexts.jsonl" --method echo
} | column -t -s $'\t'
