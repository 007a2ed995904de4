#!/usr/bin/env bash
# schemathesis against `gleaner serve`'s own /openapi.json: starts target/release/gleaner
# serve on a free loopback port (port 0; the address is read back from its first line),
# runs every check on every operation (scripts/serve_schemathesis.toml says the one exception
# and why; scripts/serve_schemathesis_hooks.py speaks JSON Lines), stops the server; any
# finding fails (exit 1).
#
#   scripts/serve_schemathesis.sh [SCHEMATHESIS] [MAX_EXAMPLES]
#
# SCHEMATHESIS is the schemathesis executable (default: schemathesis on PATH); MAX_EXAMPLES
# bounds the cases per operation and phase (default 1000: about a minute on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
st=${1:-schemathesis}
examples=${2:-1000}
bin=target/release/gleaner
[ -x "$bin" ] || { echo "serve_schemathesis: build $bin first (cargo build --release)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-schemathesis.XXXXXX")
"$bin" serve --listen 127.0.0.1:0 2> "$work/serve.log" &
server=$!
stop() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT
for _ in $(seq 100); do
    grep -q 'serving on http://' "$work/serve.log" && break
    sleep 0.1
done
addr=$(sed -n 's/.*serving on http:\/\///p' "$work/serve.log" | head -n 1)
[ -n "$addr" ] || { echo "serve_schemathesis: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

# No examples database, and the reports go to the scratch directory, not the checkout; the
# seed makes a run repeatable (a finding reproduces with the same command); one worker, as
# two tripped a SystemError in Hypothesis's source parsing under Python 3.11.
SCHEMATHESIS_HOOKS=scripts/serve_schemathesis_hooks.py \
"$st" --config-file scripts/serve_schemathesis.toml run "http://$addr/openapi.json" \
    --max-examples "$examples" \
    --seed 18 \
    --generation-database none \
    --report-dir "$work/report" \
    --workers 1 \
    --no-color
