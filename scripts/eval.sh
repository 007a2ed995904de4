#!/usr/bin/env bash
# Scores gleaner on the shared benchmark, and with --peers trafilatura in the same run.
#
#   scripts/eval.sh [--peers] [DATASET...]      (default: all three datasets)
#
# Predictions go to /tmp/gleaner-eval/; the tables are printed in Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
peers=0
if [ "${1:-}" = "--peers" ]; then peers=1; shift; fi
datasets=("$@")
[ ${#datasets[@]} -gt 0 ] || datasets=(wcxb-dev trafilatura-eval readability-tests)
out=/tmp/gleaner-eval
mkdir -p "$out"
cargo build --release -p gleaner-tools --bin eval
if [ $peers = 1 ]; then
    python3 -c "import trafilatura" 2>/dev/null || pip install 'trafilatura>=2,<3'
fi
for d in "${datasets[@]}"; do
    ./target/release/eval "../shared/bench/$d" --out "$out/gleaner-$d.jsonl"
    systems=("gleaner=$out/gleaner-$d.jsonl")
    if [ $peers = 1 ]; then
        python3 scripts/peers.py --bench "../shared/bench/$d" --system trafilatura --out "$out/trafilatura-$d.jsonl"
        systems+=("trafilatura=$out/trafilatura-$d.jsonl")
    fi
    python3 scripts/score_table.py "../shared/bench/$d" "${systems[@]}"
    echo
done
