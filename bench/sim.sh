#!/usr/bin/env bash
# Times `hallu sim` beside a numpy version of the same simulation
# (bench/sim_numpy.py, Debian's python3-numpy), on issue 3's two workloads:
#   1. one run with every learner: 10^6 Zipf(1) prompts, |R_c| = 365,
#      α_c = 0.9, N = 10^7 (target < 3 s);
#   2. 1,000 runs of N = 10^5 over 10^4 prompts (target < 10 s).
# Prints wall seconds, CPU seconds, peak memory and ratios, and checks that
# hallu and numpy agree on sr, MM and each learner's err and δ within
# sampling noise (they draw different random numbers).
#   bench/sim.sh [NUMPY_RUNS]    (runs of workload 2 for numpy; default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
NUMPY_RUNS=${1:-1000}
OUT=bench/out
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
/usr/bin/python3 -c 'import numpy' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-numpy >/dev/null; }
go build -o "$OUT/hallu" ./cmd/hallu
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # name, command...; sets SEC, CPU and RSS_MB
	local name=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > "$OUT/$name.out"
	local usr sys rss
	read -r SEC usr sys rss < "$OUT/time.txt"
	CPU=$(awk -v u="$usr" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
	RSS_MB=$(( rss / 1024 ))
}
row() { printf "%-44s %8.2f %8.2f %8d %9s\n" "$1" "$SEC" "$CPU" "$RSS_MB" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }

printf "\n1. one run, K = 10^6 Zipf(1), |R_c| = 365, α = 0.9, N = 10^7, five learners\n"
printf "%-44s %8s %8s %8s %9s\n" tool wall_s cpu_s peak_MB vs_hallu
measure sim1 "$OUT/hallu" sim --prompts 1e6 --n 1e7 --alpha 0.9 --json -q; H=$SEC; row "hallu sim" "1.00x"
measure sim1g1 env GOMAXPROCS=1 "$OUT/hallu" sim --prompts 1e6 --n 1e7 --alpha 0.9 --json -q; row "hallu sim (GOMAXPROCS=1)" "$(ratio "$SEC" "$H")"
measure numpy1 /usr/bin/python3 bench/sim_numpy.py 1e6 1e7 1 365 0.9 1 1; row "numpy (bench/sim_numpy.py)" "$(ratio "$SEC" "$H")"

printf "\n2. 1,000 runs, K = 10^4 Zipf(1), |R_c| = 365, α = 0.9, N = 10^5, five learners\n"
printf "%-44s %8s %8s %8s %9s\n" tool wall_s cpu_s peak_MB vs_hallu
measure sim2 "$OUT/hallu" sim --prompts 1e4 --n 1e5 --alpha 0.9 --runs 1000 --csv -q; H=$SEC; row "hallu sim --runs 1000" "1.00x"
measure sim2g1 env GOMAXPROCS=1 "$OUT/hallu" sim --prompts 1e4 --n 1e5 --alpha 0.9 --runs 1000 --csv -q; row "hallu sim --runs 1000 (GOMAXPROCS=1)" "$(ratio "$SEC" "$H")"
measure numpy2 /usr/bin/python3 bench/sim_numpy.py 1e4 1e5 1 365 0.9 1 "$NUMPY_RUNS"
if [ "$NUMPY_RUNS" = 1000 ]; then
	row "numpy, 1000 runs" "$(ratio "$SEC" "$H")"
else
	SEC=$(awk -v s="$SEC" -v r="$NUMPY_RUNS" 'BEGIN{printf "%.2f", s*1000/r}'); CPU=$(awk -v s="$CPU" -v r="$NUMPY_RUNS" 'BEGIN{printf "%.2f", s*1000/r}')
	row "numpy, $NUMPY_RUNS runs scaled to 1000" "$(ratio "$SEC" "$H")"
fi

/usr/bin/python3 - "$OUT/sim1.out" "$OUT/numpy1.out" <<'PY'
import json, sys
h = {r["learner"]: r for r in json.load(open(sys.argv[1]))["result"]["points"][0]["runs"]}
p = {r["learner"]: r for r in json.load(open(sys.argv[2]))}
# Sampling noise at N = 10^7 over 10^6 prompts is about 1e-4 on these figures.
for name, r in h.items():
    for k in ("sr", "mm", "err", "delta"):
        assert abs(r[k] - p[name][k]) < 2e-3, (name, k, r[k], p[name][k])
print("\nhallu and numpy agree within sampling noise (2e-3) on sr, MM and every learner's err and δ:")
for name, r in h.items():
    print(f"  {name:15s} err {r['err']:.5f} vs {p[name]['err']:.5f}   δ {r['delta']:.5f} vs {p[name]['delta']:.5f}")
PY
