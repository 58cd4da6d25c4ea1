#!/usr/bin/env bash
# bench/beam.sh: hallu audit beside the same audit as an Apache Beam pipeline
# (beam/cmd/hallu-beam) on Prism, Beam's local runner, on one seeded
# synthetic corpus (bench/auditgen) from page cache, in the same run. Prints
# both wall times and peak memory, their ratio, the pipeline's shuffle
# volume per record (from its metrics: encoded key and value bytes entering
# the per-prompt CombinePerKey), and checks that both JSON documents are
# byte for byte the same.
#
# Environment: RECORDS (default 1e7), PROMPTS (1e6), SEED (1), SHARDS (1:
# the corpus as one file; N > 1 splits it into N files, which the pipeline
# reads in parallel), OUT (bench/out).
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-10000000}
PROMPTS=${PROMPTS:-1000000}
SEED=${SEED:-1}
SHARDS=${SHARDS:-1}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [ ! -x /usr/bin/time ]; then
	echo "installing time from Debian" >&2
	apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

go build -o "$OUT/hallu" ./cmd/hallu
go build -o "$OUT/auditgen" ./bench/auditgen
(cd beam && go build -o "$OUT/hallu-beam" ./cmd/hallu-beam)

F="$OUT/facts-$RECORDS-$PROMPTS-$SEED.tsv"
if [ ! -s "$F" ]; then
	echo "generating $F" >&2
	"$OUT/auditgen" -records "$RECORDS" -prompts "$PROMPTS" -seed "$SEED" -o "$F.tmp"
	mv "$F.tmp" "$F"
fi
IN=$F
if [ "$SHARDS" -gt 1 ]; then
	D="$F.shards-$SHARDS"
	if [ ! -d "$D" ]; then
		mkdir -p "$D.tmp"
		split -d -n "l/$SHARDS" --additional-suffix=.tsv "$F" "$D.tmp/part-"
		mv "$D.tmp" "$D"
	fi
	IN="$D/part-*.tsv"
fi
cat "$F" >/dev/null # into page cache
echo "corpus: $IN ($RECORDS records, $PROMPTS Zipf(1.1) prompts, $(($(stat -c %s "$F") / 1000000)) MB); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"

FLAGS=(--prompt 1,2 --answer 3 --idk IDK --answers 365)
declare -A SECS MEM
run() { # name command...
	local name=$1
	shift
	echo "running $name" >&2
	local start
	start=$(date +%s%N)
	/usr/bin/time -v -o "$OUT/$name.time" "$@" 2>"$OUT/$name.err"
	SECS[$name]=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN{printf "%.2f", (b-a)/1e9}')
	MEM[$name]=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$OUT/$name.time")
}
# hallu audit expands the glob itself, as hallu-beam does.
run hallu "$OUT/hallu" audit --json --quiet "${FLAGS[@]}" "$IN" >"$OUT/hallu.json"
run beam "$OUT/hallu-beam" --runner=prism --input "$IN" --output "$OUT/beam.json" "${FLAGS[@]}"

printf '\n%-22s %9s %10s %10s\n' "" seconds "peak MiB" "÷ hallu"
for t in hallu beam; do
	name=$t
	[ "$t" = hallu ] && name="hallu audit"
	[ "$t" = beam ] && name="hallu-beam (prism)"
	printf '%-22s %9s %10s %10s\n' "$name" "${SECS[$t]}" "${MEM[$t]}" "$(awk -v s="${SECS[$t]}" -v h="${SECS[hallu]}" 'BEGIN{printf "%.1f", s/h}')"
done
grep '^hallu-beam:' "$OUT/beam.err" || true
awk '/^hallu-beam:/{for(i=1;i<=NF;i++) if($i=="records,") r=$(i-1); else if($i=="bytes") b=$(i-1); print "shuffle: " b/r " bytes per record entering CombinePerKey (" b/1e6 " MB for " r " records)"}' "$OUT/beam.err"
if cmp -s "$OUT/hallu.json" "$OUT/beam.json"; then
	echo "the two JSON documents are byte for byte the same"
else
	echo "DIFFERENT JSON: diff $OUT/hallu.json $OUT/beam.json" >&2
	exit 1
fi
