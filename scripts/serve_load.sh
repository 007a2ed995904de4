#!/usr/bin/env bash
# Load test of `gleaner serve`: 64 keep-alive connections posting a news-article-sized
# corpus page to /extract; prints requests/s, p50/p99 latency, errors, and the server's RSS
# before and after. Usage: scripts/serve_load.sh [REQUESTS] [CONNECTIONS] [PAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-100000}
CONNECTIONS=${2:-64}
PAGE=${3:-corpus/bignews-article.html}
cargo build --release -q -p gleaner-cli -p gleaner-tools --bin gleaner --bin serve_load
log=$(mktemp)
target/release/gleaner serve --listen 127.0.0.1:0 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q serving "$log" && break; sleep 0.1; done
addr=$(grep -o '127.0.0.1:[0-9]*' "$log")
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
target/release/serve_load "$addr" "$PAGE" "$CONNECTIONS" 2000 >/dev/null
echo "RSS after warm-up: $(rss)"
target/release/serve_load "$addr" "$PAGE" "$CONNECTIONS" "$REQUESTS"
echo "RSS after $REQUESTS requests: $(rss)"
