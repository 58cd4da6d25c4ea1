#!/usr/bin/env bash
# Unpacks a real llama.cpp server (llama-server 0.7.0 from Debian sid's
# llama.cpp-tools, with sid's own C library and loader) into a private
# directory, without touching the system's packages, for the optional test
# TestRealLlamaServer (cmd/hallu). Debian bookworm has no llama.cpp and sid's
# needs a newer libc, so the binary runs through sid's loader
# (docs/endpoints.md, "A real llama.cpp server").
#   scripts/wire-llamacpp.sh [DIR]     (default ${XDG_CACHE_HOME:-$HOME/.cache}/hallu-llamacpp)
# then:  HALLU_LLAMA_SERVER_ROOT=DIR go test ./cmd/hallu -run TestRealLlamaServer
set -euo pipefail
DIR=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/hallu-llamacpp}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
APT=$DIR/apt
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/etc" "$DIR/debs" "$DIR/root"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR sid main" > "$APT/etc/sources.list"
opts=(-o "Dir::Etc::SourceList=$APT/etc/sources.list" -o "Dir::Etc::SourceParts=-"
	-o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache" -o "APT::Architecture=amd64"
	-o "Debug::NoLocking=1")
apt-get "${opts[@]}" update -qq
cd "$DIR/debs"
apt-get "${opts[@]}" download llama.cpp-tools libllama0 libggml0 libc6 libstdc++6 libgcc-s1 libgomp1 libssl3t64 zlib1g
for deb in *.deb; do dpkg-deb -x "$deb" "$DIR/root"; done
"$DIR/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --library-path "$DIR/root/usr/lib/x86_64-linux-gnu:$DIR/root/usr/lib/x86_64-linux-gnu/llama" \
	"$DIR/root/usr/bin/llama-server" --version 2>&1 | head -2
echo "HALLU_LLAMA_SERVER_ROOT=$DIR/root"
