#!/usr/bin/env bash
# scripts/realmodels.sh: are δ and |V|/|E| small on real models, and is
# Is-It-Valid hard? Builds iiv instances from real model outputs with
# `hallu bound --from` and prints one comparison table:
#   - every multiple-choice lm-evaluation-harness log in
#     ../shared/data/evallogs/lm-eval (raw and length-normalised softmax);
#   - candidate sets (TruthfulQA, EntityQuestions P36 and P19, CoDEx-S)
#     scored by `hallu serve` on 127.0.0.1 with its default model, a
#     trigram of the built-in Moby-Dick (ngram/corpus), through the OpenAI
#     completions endpoint with echo + logprobs;
#   - EntityQuestions P19 scored by a second `hallu serve` whose model is a
#     6-gram trained on the P19 file's own questions and first answers
#     ("Q: Where was X born?\nA: Y." for all 1,000 questions): a model that
#     has seen each fact exactly once.
# Environment: DATA (default ../shared/data), PORT (default 18089), LIMIT
# (candidate sets per EntityQuestions/CoDEx source, default 300), OUT
# (default bench/out/realmodels). Needs jq (installed from Debian if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
PORT=${PORT:-18089}
LIMIT=${LIMIT:-300}
OUT=${OUT:-bench/out/realmodels}
mkdir -p "$OUT"
if ! command -v jq >/dev/null; then
	apt-get update -qq && apt-get install -y -qq jq >/dev/null
fi
go build -o "$OUT/hallu" ./cmd/hallu
H="$OUT/hallu"
LM="$DATA/evallogs/lm-eval"

# row SOURCE MODEL DATASET JSON: one tab-separated table row.
row() {
	jq -r --arg src "$1" --arg model "$2" --arg ds "$3" '.result as $r |
		[$src, $model, $ds, $r.contexts, $r.err, $r.err_iiv, $r.delta, $r.delta_max_z,
		 ($r.max_valid / $r.min_errors), $r.bound, $r.slack,
		 ($r.opt_err_iiv // "-"), ($r.opt_threshold // "-"), ($r.mc_bound // "-")] |
		map(if type == "number" then (. * 10000 | round / 10000 | tostring) else tostring end) | @tsv' "$4"
}

rows=$OUT/rows.tsv
: >"$rows"
while IFS='|' read -r file model ds; do
	for norm in raw length; do
		"$H" bound --from lmeval --norm "$norm" --json --write-instance "$OUT/$ds-$model-$norm.jsonl" "$LM/$file" >"$OUT/$ds-$model-$norm.json"
		row "lm-eval ($norm)" "$model" "$ds" "$OUT/$ds-$model-$norm.json" >>"$rows"
	done
done <<'LIST'
gemma-3-4b-it_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-53-24.656847.jsonl|gemma-3-4b-it|mmlu_abstract_algebra
qwen2.5-3b-instruct_mmlu-stem__samples_mmlu_abstract_algebra_2025-09-25T09-38-02.724479.jsonl|Qwen2.5-3B-Instruct|mmlu_abstract_algebra
bigrefactor-2023-06_mathqa__mathqa.jsonl|not-recorded|mathqa
qwen3-8b_negotiationtom__samples_negotiationtom_belief_2026-07-08T18-15-33.115417.jsonl|Qwen3-8B|negotiationtom_belief
LIST

"$H" serve --addr "127.0.0.1:$PORT" --model-id moby-3 2>"$OUT/serve.log" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
	sleep 0.2
done
score() { # SOURCE DATASET FILE [flags]
	local src=$1 ds=$2 file=$3
	shift 3
	"$H" bound --from "$src" --base-url "http://127.0.0.1:$PORT/v1" --model moby-3 --no-cache --json \
		--write-instance "$OUT/$ds-moby3.jsonl" "$@" "$file" >"$OUT/$ds-moby3.json"
	row "candidates" "Moby-Dick trigram" "$ds" "$OUT/$ds-moby3.json" >>"$rows"
}
score truthfulqa truthfulqa_v1 "$DATA/truthfulqa/TruthfulQA_v1_817.csv"
# The same instance restricted to the questions with at least 4 incorrect
# answers (43 questions have one, which puts the paper's threshold at 1).
jq -c -s 'group_by(.context) | map(select(map(select(.label == "error")) | length >= 4)) | .[][]' \
	"$OUT/truthfulqa_v1-moby3.jsonl" >"$OUT/truthfulqa_v1_E4-moby3.jsonl"
"$H" bound --json "$OUT/truthfulqa_v1_E4-moby3.jsonl" >"$OUT/truthfulqa_v1_E4-moby3.json"
row "candidates" "Moby-Dick trigram" "truthfulqa_v1 |E_c|>=4" "$OUT/truthfulqa_v1_E4-moby3.json" >>"$rows"
score entityquestions entityq_P36_capital "$DATA/entityquestions/test/P36.test.json" --limit "$LIMIT" --distractors 9 --seed 1
score entityquestions entityq_P19_birthplace "$DATA/entityquestions/test/P19.test.json" --limit "$LIMIT" --distractors 9 --seed 1
score codex codex_s_test "$DATA/kg_codex_s"

# A model that has seen each P19 fact once.
jq -r '.[] | "Q: \(.question)\nA: \(.answers[0]).\n"' "$DATA/entityquestions/test/P19.test.json" >"$OUT/p19.txt"
"$H" ngram train --order 6 -o "$OUT/p19-6gram.ngram" "$OUT/p19.txt" >/dev/null
"$H" serve -m "$OUT/p19-6gram.ngram" --addr "127.0.0.1:$((PORT + 1))" --model-id p19-6gram 2>"$OUT/serve2.log" &
serve2_pid=$!
trap 'kill "$serve_pid" "$serve2_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	curl -fsS "http://127.0.0.1:$((PORT + 1))/health" >/dev/null 2>&1 && break
	sleep 0.2
done
"$H" bound --from entityquestions --base-url "http://127.0.0.1:$((PORT + 1))/v1" --model p19-6gram --no-cache --json \
	--limit "$LIMIT" --distractors 9 --seed 1 --write-instance "$OUT/entityq_P19-p19-6gram.jsonl" \
	"$DATA/entityquestions/test/P19.test.json" >"$OUT/entityq_P19-p19-6gram.json"
row "candidates" "6-gram on the P19 facts" "entityq_P19_birthplace" "$OUT/entityq_P19-p19-6gram.json" >>"$rows"

{
	printf 'source\tmodel\tdataset\tcontexts\terr\terr_iiv\tdelta\tmax_z_delta\tmaxV/minE\tthm1_bound\tslack\topt_err_iiv\topt_t\tthm3_bound\n'
	cat "$rows"
} | column -t -s $'\t'
