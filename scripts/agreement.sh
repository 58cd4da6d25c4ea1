#!/usr/bin/env bash
# scripts/agreement.sh: how hallu's grading agrees with the labels of real
# graded answers (issue 13's figures, reported in docs/grading.md).
#   1. `hallu score --reference` on the NQ301 fixture that ships in the repo
#      (human labels; BEM's and GPT-4's verdicts beside them), with
#      --match strict and lenient;
#   2. with ../shared/data present: the agreement figures of every labelled
#      set (SimpleQA/Tavily and Czech SimpleQA judge letters, NQ301 and
#      EVOUNA human labels), "I have no comment" in TruthfulQA, safety
#      refusals in XSTest (go test ./score/grade -run ... -v prints them);
#   3. the detector's and the matcher's speed (go test -bench).
# Usage: scripts/agreement.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/hallu" ./cmd/hallu
fixture=score/grade/testdata/nq301_judged.jsonl
cols=id=id,question=question,gold=golds,response=response

for match in strict lenient; do
	echo "== NQ301 (repo fixture): hallu's matching (--match $match) against the human labels"
	"$work/hallu" score --format jsonl --map "$cols" --reference human --ref-map Yes=correct,No=wrong --show 0 --match "$match" "$fixture"
done

echo "== NQ301: BEM's and GPT-4's verdicts against the human labels (from the fixture's columns)"
for judge in bem gpt4; do
	jq -r --arg j "$judge" 'select(.[$j] == .human) | 1' "$fixture" | wc -l |
		awk -v j="$judge" '{printf "   %-5s agrees with the humans on %d of 1490 = %.3f\n", j, $1, $1 / 1490}'
done

if [ -d ../shared/data ]; then
	echo "== labelled sets in ../shared/data"
	go test ./score/grade -count=1 -run 'TestAgreementFigures|TestNoComment|TestSafetyRefusals|TestHedgeFigures' -v |
		grep -E 'simpleqa_|nq301_|evouna|truthfulqa|xstest|gptfuzz|linguistic' | grep -v -E '=== RUN|--- PASS' | sed 's/^ *[a-z_]*\.go:[0-9]*: /   /'
	echo "== the matching figures again with --match lenient"
	HALLU_MATCH=lenient go test ./score/grade -count=1 -run 'TestAgreementFigures' -v |
		grep -E 'simpleqa_|nq301_|evouna' | grep -v -E '=== RUN|--- PASS' | sed 's/^ *[a-z_]*\.go:[0-9]*: /   /'
else
	echo "== ../shared/data absent: skipping the labelled sets"
fi

echo "== detector and matcher speed (responses per CPU-second on one core)"
go test ./score/grade -run '^$' -bench 'BenchmarkDetector|BenchmarkMatcher' -benchtime 2s -cpu 1 | grep Benchmark
