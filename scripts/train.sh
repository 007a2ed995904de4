#!/usr/bin/env bash
# Trains the block model from ../shared/bench and writes rules/blocks.model, with the
# out-of-fold models and figures beside it:
#
#   scripts/train.sh [WORK_DIR]        (default: target/train)
#
# 1. the folds by site (scripts/folds.py), 2. every block's features with the rules alone
# (eval --blocks, with no model, so the model never learns from its own verdicts), 3. the
# models (scripts/train.py: one per fold, then the final one on every page), 4. the
# out-of-fold figures through the real extractor (eval --fold-models) and the in-sample
# figures of the shipped model. Python and LightGBM come from a venv made here.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/train}
bench=../shared/bench
mkdir -p "$work"

venv="$work/venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'lightgbm==4.7.0' 'numpy>=2,<3'
fi

cargo build --release -p gleaner-tools --bin eval
eval=target/release/eval
python3 scripts/folds.py --bench "$bench" --dump "$work/folds.json"
"$eval" "$bench/wcxb-dev" --feature-names > "$work/names.txt"
: > "$work/no.model"
for d in wcxb-dev trafilatura-eval readability-tests; do
    "$eval" "$bench/$d" --model "$work/no.model" --blocks --out "$work/blocks-$d.jsonl"
done
"$venv/bin/python" scripts/train.py --blocks "$work" --bench "$bench" --folds "$work/folds.json" \
    --names "$work/names.txt" --out rules/blocks.model --fold-dir "$work/folds"

# The figures: out of fold (each page by the model that never saw its site) and in sample.
cargo build --release -p gleaner-tools --bin eval
for d in wcxb-dev trafilatura-eval readability-tests; do
    "$eval" "$bench/$d" --fold-models "$work/folds" --folds "$work/folds.json" \
        --out "$work/oof-$d.jsonl"
    "$eval" "$bench/$d" --learned --out "$work/in-sample-$d.jsonl"
done
python3 scripts/oof_table.py --bench "$bench" \
    --datasets wcxb-dev,trafilatura-eval,readability-tests \
    "gleaner out of fold=$work/oof-{dataset}.jsonl" \
    "gleaner in sample=$work/in-sample-{dataset}.jsonl"
