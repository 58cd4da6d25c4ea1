#!/usr/bin/env bash
# browser-check.sh: open every HTML page hallu writes (hallu demo, and the
# --html pages of audit, sim, score, floor, ngram cor2, bound and compare,
# some on degenerate inputs) in a real browser, Debian's headless Chromium, and fail
# if a page logs anything to the console, requests anything over the
# network, or renders to an empty screenshot.
#
# Usage: scripts/browser-check.sh [--no-go-test] [--shots DIR]
#   --shots DIR keeps a screenshot of each page in DIR (shrunk with pngquant
#   when DIR is under docs/): scripts/browser-check.sh --shots docs refreshes
#   the screenshots of docs/reports.md and the README.
#   --no-go-test skips the Go tests of the charts' geometry (for CI, which
#   has just run go test ./...).
#
# What a reader would notice in the charts themselves (a legend over data,
# a marker cut by the frame, markers hiding one another) is checked from
# gonum/plot's geometry by the Go tests this script runs first
# (report.Geometry.Problems and Hidden, on every chart of every page).
#
# Installs chromium and jq (and pngquant for --shots docs) with apt-get when
# missing. Chromium's own background requests, which the flags below mostly
# suppress, go to a closed proxy on 127.0.0.1:9 and are not counted: the net
# log marks them "initiator: not an origin", where the page's requests carry
# the file:// page's origin ("null").
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
shots=""
gotest=1
while (($#)); do
	case $1 in
	--shots) shots=${2:?--shots needs a directory}; shift 2 ;;
	--no-go-test) gotest=0; shift ;;
	*) echo "usage: $0 [--no-go-test] [--shots DIR]" >&2; exit 2 ;;
	esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v jq >/dev/null || need+=(jq)
if [[ $shots == docs* ]] && ! command -v pngquant >/dev/null; then need+=(pngquant); fi
if ((${#need[@]})); then
	start=$SECONDS
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	echo "browser-check: installed ${need[*]} in $((SECONDS - start)) s"
fi

if ((gotest)); then
	echo "browser-check: chart geometry (go test)"
	go test ./report/ ./demo/ -run 'Page|Chart|Legend|SideBySide|TestRun' -count=1
fi

go build -o "$tmp/hallu" ./cmd/hallu
(
	cd "$tmp"
	h=./hallu
	facts=$repo/demo/data/pararel_trex.tsv.zst
	outputs=$repo/demo/data/qwen3-8b_negotiationtom_belief.jsonl.zst
	$h demo --out demo.html >/dev/null
	$h audit --prompt relation,sub_label --answer obj_label --answers 1000 --html audit.html "$facts" >/dev/null
	printf 's\tr\ta\nAda\tborn\t1815\n' >one.tsv
	$h audit --prompt s,r --answer a --answers 365 --html audit-one-record.html one.tsv >/dev/null
	$h audit --prompt relation,sub_label --answer obj_label --json "$facts" >audit.json
	$h sim --mu profile:audit.json --answers 1000 --runs 5 --html sim.html >/dev/null
	$h sim --n 1000 --runs 2 --sweep n=100..10000:3 --html sim-sweep.html >/dev/null
	$h score --format lm-eval --model Qwen3-8B --html score.html "$outputs" >/dev/null
	$h floor --n 1000000 --sr 0.2 --min-errors 364 --html floor.html >/dev/null
	$h ngram cor2 --write-instance cor2.jsonl --html cor2.html >/dev/null
	$h bound --html bound.html cor2.jsonl >/dev/null
	letters=$repo/evallog/testdata/choices_letter_logits.csv
	$h compare --scores 'Logit_*' --gold 5 --question 0 --names a,b --reps 50 --html compare.html "$letters" "$letters" >/dev/null
)

# check PAGE: render PAGE in Chromium and print what a reader would notice
# (console output, network requests, a blank page), one line each.
check() {
	local page=$1 name
	name=$(basename "$page" .html)
	if ! timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-default-apps --disable-extensions --no-default-browser-check \
		--user-data-dir="$tmp/profile-$name" --proxy-server=127.0.0.1:9 \
		--enable-logging=stderr --v=0 --log-net-log="$tmp/$name.net.json" \
		--screenshot="$tmp/$name.png" --window-size=1280,2400 \
		"file://$page" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
		echo "chromium failed: $(tail -1 "$tmp/$name.err")"
		return
	fi
	grep -F 'CONSOLE' "$tmp/$name.err" | sed 's/^/console: /' || true
	local net=$tmp/$name.net.json
	# The net log may be left without its closing brackets; close it if so.
	if ! jq -e . "$net" >/dev/null 2>&1; then
		sed -i '$ s/,$//' "$net"
		echo ']}' >>"$net"
	fi
	jq -r '
		(.constants.logEventTypes.URL_REQUEST_START_JOB) as $start
		| .events[]
		| select(.type == $start and ((.params.url // "") | test("^(https?|wss?|ftp)://")) and .params.initiator != "not an origin")
		| "request: " + .params.url' "$net"
	# A blank page compresses to almost nothing; a rendered one does not.
	if [[ ! -s $tmp/$name.png ]] || (($(stat -c %s "$tmp/$name.png") < 20000)); then
		echo "blank or missing screenshot"
	fi
}

# The check must be able to fail: a page that logs, fetches and shows
# nothing must be caught on each count.
mkdir -p "$tmp/canary"
printf '<!DOCTYPE html><title>canary</title><script>console.log("canary")</script><img src="http://127.0.0.1:9/canary.png">\n' >"$tmp/canary/canary.html"
canary=$(check "$tmp/canary/canary.html")
for want in console: request: blank; do
	if ! grep -q "^$want" <<<"$canary"; then
		echo "browser-check: the check missed the canary page's $want (it found: $canary)" >&2
		exit 1
	fi
done

fail=0
n=0
for page in "$tmp"/*.html; do
	name=$(basename "$page" .html)
	n=$((n + 1))
	found=$(check "$page")
	if [[ -n $found ]]; then
		echo "browser-check: $name:" >&2
		echo "$found" >&2
		fail=1
		continue
	fi
	if [[ -n $shots ]]; then
		mkdir -p "$shots"
		out=$shots/$name.png
		[[ $name == demo ]] || out=$shots/report-$name.png
		if [[ $shots == docs* ]] && command -v pngquant >/dev/null; then
			pngquant --force --quality 60-85 --output "$out" "$tmp/$name.png"
		else
			cp "$tmp/$name.png" "$out"
		fi
	fi
done
((fail)) && exit 1
echo "browser-check: ok: $(chromium --version 2>/dev/null): $n pages, no console messages, no requests from the pages${shots:+; screenshots in $shots}"
