#!/usr/bin/env bash
# browser-check.sh: open the page `hallu demo` writes in a real browser
# (Debian's headless Chromium) and check that it logs no console message and
# makes no network request, then save a screenshot.
#
# Usage: scripts/browser-check.sh [SCREENSHOT.png]
#   SCREENSHOT defaults to a file in the temporary directory; pass
#   docs/demo.png to refresh the README's screenshot (then shrunk with
#   pngquant when Debian has it).
#
# Installs chromium (and pngquant, jq) with apt-get when missing. Exits
# non-zero if the page logs to the console, if the page itself requests
# anything over http(s), or if no screenshot is written. Chromium's own
# background requests (update checks, accounts), which the flags below
# mostly suppress, are sent to a closed proxy on 127.0.0.1:9 and are not
# counted: the net log marks them "initiator: not an origin", where the
# page's requests carry the file:// page's origin ("null").
set -euo pipefail

cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shot=${1:-$tmp/demo.png}

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v jq >/dev/null || need+=(jq)
if [[ $shot == docs/* ]] && ! command -v pngquant >/dev/null; then need+=(pngquant); fi
if ((${#need[@]})); then
	apt-get update -qq
	apt-get install -y -qq "${need[@]}" >/dev/null
fi

go build -o "$tmp/hallu" ./cmd/hallu
(cd "$tmp" && ./hallu demo --out demo.html >demo.txt)

timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--disable-default-apps --disable-extensions --no-default-browser-check \
	--user-data-dir="$tmp/profile" --proxy-server=127.0.0.1:9 \
	--enable-logging=stderr --v=0 --log-net-log="$tmp/net.json" \
	--screenshot="$tmp/shot.png" --window-size=1280,2400 \
	"file://$tmp/demo.html" >"$tmp/chromium.out" 2>"$tmp/chromium.err"

fail=0
if grep -F 'CONSOLE' "$tmp/chromium.err"; then
	echo "browser-check: the page logged to the console (above)" >&2
	fail=1
fi

# The net log may be left without its closing brackets; close it if so.
if ! jq -e . "$tmp/net.json" >/dev/null 2>&1; then
	sed -i '$ s/,$//' "$tmp/net.json"
	echo ']}' >>"$tmp/net.json"
fi
requests=$(jq -r '
	(.constants.logEventTypes.URL_REQUEST_START_JOB) as $start
	| .events[]
	| select(.type == $start and ((.params.url // "") | test("^(https?|wss?)://")) and .params.initiator != "not an origin")
	| .params.url' "$tmp/net.json")
if [[ -n $requests ]]; then
	echo "browser-check: the page made network requests:" >&2
	echo "$requests" >&2
	fail=1
fi
background=$(jq '[(.constants.logEventTypes.URL_REQUEST_START_JOB) as $s | .events[] | select(.type == $s and .params.initiator == "not an origin")] | length' "$tmp/net.json")

if [[ ! -s $tmp/shot.png ]]; then
	echo "browser-check: chromium wrote no screenshot" >&2
	fail=1
fi
((fail)) && exit 1

mkdir -p "$(dirname "$shot")"
if [[ $shot == docs/* ]] && command -v pngquant >/dev/null; then
	pngquant --force --quality 60-85 --output "$shot" "$tmp/shot.png"
else
	cp "$tmp/shot.png" "$shot"
fi
echo "browser-check: ok: $(chromium --version); no console messages; no requests from the page" \
	"($background background requests of the browser itself, sent to a closed proxy); screenshot $shot ($(stat -c %s "$shot") bytes)"
