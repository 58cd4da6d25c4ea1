#!/usr/bin/env bash
# bench/audit.sh: hallu audit beside the tools people would otherwise use to
# count singletons (LC_ALL=C sort | uniq -c, an awk associative array,
# pandas value_counts, DuckDB GROUP BY) and wc -l as the I/O floor, on one
# seeded synthetic corpus from page cache, in the same run. Prints wall time,
# records/s, MB/s, peak memory, each tool's time relative to hallu's, and
# checks that every tool finds the same singletons and records.
#
# Environment: RECORDS (default 1e8), PROMPTS (1e7), SEED (1), OUT
# (bench/out), TOOLS (default "wc hallu awk sort pandas duckdb").
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-100000000}
PROMPTS=${PROMPTS:-10000000}
SEED=${SEED:-1}
OUT=${OUT:-bench/out}
TOOLS=${TOOLS:-wc hallu awk sort pandas duckdb}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# Tools from Debian and npm, installed if missing.
missing=()
[ -x /usr/bin/time ] || missing+=(time)
[[ " $TOOLS " == *" pandas "* ]] && ! /usr/bin/python3 -c 'import pandas' 2>/dev/null && missing+=(python3-pandas)
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing ${missing[*]} from Debian" >&2
	apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ " $TOOLS " == *" duckdb "* ]] && [ ! -d "$OUT/duckdb/node_modules/@duckdb/node-api" ]; then
	echo "installing @duckdb/node-api from npm" >&2
	mkdir -p "$OUT/duckdb"
	if ! (cd "$OUT/duckdb" && npm init -y >/dev/null && npm install --silent @duckdb/node-api@1.5.6-r.1 >/dev/null); then
		echo "DuckDB could not be installed; skipping it" >&2
		TOOLS=${TOOLS/duckdb/}
	fi
fi
cp bench/audit_duckdb.mjs "$OUT/duckdb/" 2>/dev/null || true

go build -o "$OUT/hallu" ./cmd/hallu
go build -o "$OUT/auditgen" ./bench/auditgen

F="$OUT/facts-$RECORDS-$PROMPTS-$SEED.tsv"
if [ ! -s "$F" ]; then
	echo "generating $F" >&2
	"$OUT/auditgen" -records "$RECORDS" -prompts "$PROMPTS" -seed "$SEED" -o "$F.tmp"
	mv "$F.tmp" "$F"
fi
BYTES=$(stat -c %s "$F")
cat "$F" >/dev/null # into page cache
echo "corpus: $F ($RECORDS records, $PROMPTS Zipf(1.1) prompts, $((BYTES / 1000000)) MB); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"

# Each command prints "singletons records" (wc: records only).
declare -A CMD=(
	[wc]="wc -l < '$F'"
	[hallu]="'$OUT/hallu' audit --prompt 1,2 --answer 3 --idk IDK --show-conflicts 0 --quiet '$F' | awk '/^records N/{n=\$NF} /^singletons/{s=\$NF} END{print s, n}'"
	[awk]="LC_ALL=C awk -F'\t' '{n++} \$3!=\"IDK\"{c[\$1 FS \$2]++} END{for(k in c) if(c[k]==1) s++; print s+0, n}' '$F'"
	[sort]="LC_ALL=C awk -F'\t' -v nf='$OUT/sort.n' '\$3!=\"IDK\"{print \$1 FS \$2} END{print NR > nf}' '$F' | LC_ALL=C sort | LC_ALL=C uniq -c | awk -v nf='$OUT/sort.n' '\$1==1{s++} END{getline n < nf; print s+0, n}'"
	[pandas]="/usr/bin/python3 bench/audit_pandas.py '$F'"
	[duckdb]="node '$OUT/duckdb/audit_duckdb.mjs' '$F'"
)

declare -A SECS MEM ANS
for t in $TOOLS; do
	[ -n "${CMD[$t]:-}" ] || { echo "unknown tool $t" >&2; exit 2; }
	echo "running $t" >&2
	start=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$OUT/$t.time" bash -c "${CMD[$t]}" >"$OUT/$t.out"
	SECS[$t]=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN{printf "%.3f", (b-a)/1e9}')
	MEM[$t]=$(tail -1 "$OUT/$t.time")
	ANS[$t]=$(tail -1 "$OUT/$t.out")
done

h=${SECS[hallu]:-}
printf '\n%-7s %9s %12s %9s %10s %10s %12s %12s  %s\n' tool seconds records/s MB/s "peak MiB" "÷ hallu" singletons records sr
for t in $TOOLS; do
	s=${SECS[$t]}
	read -r a b <<<"${ANS[$t]}"
	if [ "$t" = wc ]; then n=$a; sing=-; else sing=$a; n=$b; fi
	ratio=-
	[ -n "$h" ] && ratio=$(awk -v s="$s" -v h="$h" 'BEGIN{printf "%.2f", s/h}')
	sr=-
	[ "$sing" != - ] && sr=$(awk -v a="$sing" -v n="$n" 'BEGIN{printf "%.9f", a/n}')
	printf '%-7s %9.3f %12.0f %9.0f %10.0f %10s %12s %12s  %s\n' "$t" "$s" \
		"$(awk -v r="$RECORDS" -v s="$s" 'BEGIN{print r/s}')" "$(awk -v b="$BYTES" -v s="$s" 'BEGIN{print b/s/1e6}')" \
		"$(awk -v m="${MEM[$t]}" 'BEGIN{print m/1024}')" "$ratio" "$sing" "$n" "$sr"
done

# Agreement: every tool's singletons and records equal hallu's.
status=0
if [ -n "$h" ]; then
	for t in $TOOLS; do
		[ "$t" = hallu ] && continue
		if [ "$t" = wc ]; then
			[ "$(echo "${ANS[$t]}")" = "$(echo "${ANS[hallu]}" | cut -d' ' -f2)" ] || { echo "DISAGREE: wc counts ${ANS[$t]} records" >&2; status=1; }
		elif [ "${ANS[$t]}" != "${ANS[hallu]}" ]; then
			echo "DISAGREE: $t says '${ANS[$t]}', hallu '${ANS[hallu]}'" >&2
			status=1
		fi
	done
	[ $status = 0 ] && echo "all tools agree on singletons, records and hence sr"
fi
exit $status
