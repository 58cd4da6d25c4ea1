#!/usr/bin/env bash
# scripts/beam-test.sh: vet and test the Apache Beam module (beam/), which
# `go vet ./...` and `go test ./...` at the repository root skip because it
# is a module of its own. The tests run the pipeline on Prism, Beam's local
# runner, and compare its JSON with hallu audit's. .ci/run calls it; a cold
# build of the Beam SDK takes 4–8 minutes on 2 cores (see README, "hallu
# audit on Apache Beam").
set -euo pipefail
cd "$(dirname "$0")/../beam"

echo "== gofmt (beam)"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:"; echo "$unformatted"; exit 1
fi
echo "== go vet (beam)"
go vet ./...
echo "== go test (beam, on Prism)"
go test ./... 2>&1 | { grep -v '^time=.* level=INFO' || true; } # Prism logs every job at INFO
