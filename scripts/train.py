#!/usr/bin/env python3
"""Trains gleaner's block model (LightGBM) and writes it in gleaner's own model format.

    scripts/train.sh                      # the whole thing: features, folds, models, figures

    python3 scripts/train.py --blocks DIR --folds folds.json --out rules/blocks.model \\
        [--fold-dir DIR] [--bench ../shared/bench]

Inputs: DIR/blocks-<dataset>.jsonl from `eval <bench>/<dataset> --blocks` (every block of
every page: its text, its feature row, the rules' verdict) and the benchmark truth.

Labels come from the truth, block by block:
  * text truth (wcxb-dev, readability-tests): a block of three or more words is content when
    at least half of its word trigrams occur in the truth; a shorter one when its words are
    a line of the truth (or, for two words, a bigram of it). Pages with empty truth make
    every block a negative: their right output is nothing.
  * snippets (trafilatura-eval): a block holding a `with` snippet (or held by one) is
    content, one holding a `without` snippet is not; the others are left out.
Each page weighs the same in training (a block's weight is its share of the page's words),
as every page weighs the same in the benchmark's mean.

Out of fold: for each fold k a model is trained on the pages of the other folds (folds are by
site, so no site is both trained and judged on) and written to FOLD_DIR/fold-k.model; the
final model is trained on every page. The keep thresholds (precision, balanced, recall) are
chosen on the out-of-fold scores, never in-sample.
"""

import argparse
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

import lightgbm as lgb
import numpy as np

DATASETS = ("wcxb-dev", "trafilatura-eval", "readability-tests")
MAGIC = "gleaner-blocks-model 1"
WORD = re.compile(r"\w+")

# LightGBM settings: small trees, slow learning, strong leaf minimums (pages of one site
# look alike; big leaves keep the model from memorising one template).
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 200,
    "min_sum_hessian_in_leaf": 1.0,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "seed": 7,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
}
ROUNDS = 300
# One corpus page weighs as many bench pages: 32 golden pages among 2,478.
CORPUS_WEIGHT = 10.0


def words(text):
    return WORD.findall(text.lower())


def norm_ws(text):
    return re.sub(r"\s+", " ", text or "").strip()


def text_labels(texts, truth):
    """Per block: 1.0 content, 0.0 not (text truth)."""
    t = words(truth or "")
    trigrams = set(zip(t, t[1:], t[2:]))
    bigrams = set(zip(t, t[1:]))
    lines = {" ".join(words(line)) for line in (truth or "").split("\n")}
    out = []
    for text in texts:
        w = words(text)
        if len(w) >= 3:
            grams = list(zip(w, w[1:], w[2:]))
            out.append(float(sum(g in trigrams for g in grams) * 2 >= len(grams)))
        elif len(w) == 2:
            out.append(float(tuple(w) in bigrams or " ".join(w) in lines))
        elif len(w) == 1:
            out.append(float(w[0] in lines))
        else:
            out.append(0.0)
    return out


def snippet_labels(texts, rec):
    """Per block: 1.0, 0.0, or None when no snippet says (snippet truth)."""
    withs = [norm_ws(s) for s in rec.get("with") or [] if norm_ws(s)]
    withouts = [norm_ws(s) for s in rec.get("without") or [] if norm_ws(s)]

    def touches(block, snippets):
        return any(s in block or (len(block) >= 20 and block in s) for s in snippets)

    out = []
    for text in texts:
        b = norm_ws(text)
        pos, neg = touches(b, withs), touches(b, withouts)
        out.append(None if pos == neg else float(pos))
    return out


def load_truth(bench, dataset):
    truth = {}
    with open(Path(bench) / dataset / "truth.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            truth[str(rec["id"])] = rec
    return truth


def load_pages(blocks_dir, bench, dataset, width):
    """Every page of a dataset: id, texts, rows (n x width), labels, weights, rule verdicts."""
    truth = load_truth(bench, dataset)
    pages = []
    with open(Path(blocks_dir) / f"blocks-{dataset}.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if "error" in rec or not rec.get("texts"):
                pages.append({"id": rec["id"], "texts": [], "rows": np.zeros((0, width), np.float32),
                              "labels": [], "kept": []})
                continue
            t = truth[rec["id"]]
            texts = rec["texts"]
            if t.get("text") is not None:
                labels = text_labels(texts, t["text"])
            else:
                labels = snippet_labels(texts, t)
            rows = np.asarray(rec["rows"], dtype=np.float32).reshape(len(texts), width)
            pages.append({"id": rec["id"], "texts": texts, "rows": rows, "labels": labels,
                          "kept": rec["kept_by_rules"]})
    return pages


def page_weights(page):
    """Each page weighs the same (times its dataset's weight): a labelled block weighs its
    share of the page's words."""
    sizes = [len(words(t)) + 1 for t, l in zip(page["texts"], page["labels"]) if l is not None]
    total = float(sum(sizes)) / page.get("weight", 1.0) or 1.0
    return [(len(words(t)) + 1) / total for t, l in zip(page["texts"], page["labels"])
            if l is not None]


def matrix(pages):
    xs, ys, ws = [], [], []
    for p in pages:
        mask = [l is not None for l in p["labels"]]
        if not any(mask):
            continue
        xs.append(p["rows"][np.array(mask)])
        ys.extend(l for l in p["labels"] if l is not None)
        ws.extend(page_weights(p))
    if not xs:
        return None
    return np.vstack(xs), np.asarray(ys), np.asarray(ws) * 1000.0


def train(pages, names):
    x, y, w = matrix(pages)
    data = lgb.Dataset(x, label=y, weight=w, feature_name=names, free_raw_data=False)
    return lgb.train(PARAMS, data, num_boost_round=ROUNDS)


def write_model(booster, names, thresholds, path):
    """gleaner's format (src/select/trees.rs): splits in preorder, leaves in order."""
    dump = booster.dump_model()
    lines = [MAGIC, f"features {len(names)}", *names,
             "thresholds " + " ".join(f"{t:.6f}" for t in thresholds), "base 0",
             f"trees {len(dump['tree_info'])}"]
    for tree in dump["tree_info"]:
        splits, leaves = [], []

        def walk(node):
            if "leaf_value" in node:
                leaves.append(node["leaf_value"])
                return -len(leaves)
            if node.get("decision_type", "<=") != "<=":
                sys.exit("only numerical <= splits are supported")
            at = len(splits)
            splits.append(None)
            left = walk(node["left_child"])
            right = walk(node["right_child"])
            splits[at] = (node["split_feature"], node["threshold"], left, right)
            return at

        walk(tree["tree_structure"])
        lines.append(f"tree {len(splits)}")
        lines.extend(f"{f} {repr(float(t))} {l} {r}" for f, t, l, r in splits)
        lines.append("leaves " + " ".join(repr(float(v)) for v in leaves))
    Path(path).write_text("\n".join(lines) + "\n")


def score_with(path, rows, names):
    """Scores rows the way gleaner reads a model file (a check of the conversion)."""
    text = Path(path).read_text().split("\n")
    at = 4 + len(names)  # magic, features, the names, thresholds, base; then "trees"
    trees = int(text[at].split()[1])
    at += 1
    raw = np.zeros(len(rows))
    for _ in range(trees):
        n = int(text[at].split()[1])
        splits = [text[at + 1 + i].split() for i in range(n)]
        leaves = [float(v) for v in text[at + 1 + n].split()[1:]]
        at += n + 2
        for r, row in enumerate(rows):
            node = 0
            if not splits:
                raw[r] += leaves[0]
                continue
            while True:
                f, t, left, right = splits[node]
                child = int(left) if float(row[int(f)]) <= float(t) else int(right)
                if child < 0:
                    raw[r] += leaves[-1 - child]
                    break
                node = child
    return 1.0 / (1.0 + np.exp(-raw))


# ------------------------------------------------------------------------------------------
# Scoring the simulated output (the kept blocks' texts) as score.py does.

def word_f1(pred, ref):
    pt, rt = words(pred), words(ref)
    if not rt:
        return 1.0 if not pt else 0.0
    if not pt:
        return 0.0
    overlap = sum((Counter(pt) & Counter(rt)).values())
    p, r = overlap / len(pt), overlap / len(rt)
    return 2 * p * r / (p + r) if p + r else 0.0


def snippet_counts(rec, pred):
    res = norm_ws(pred)
    tp = sum(1 for s in rec.get("with") or [] if norm_ws(s) in res)
    fp = sum(1 for s in rec.get("without") or [] if norm_ws(s) in res)
    return tp, fp, len(rec.get("with") or []) - tp


def figure(dataset, pages, truth, scores, threshold):
    """The dataset's headline figure for kept = score > threshold."""
    outputs = {}
    for p, s in zip(pages, scores):
        outputs[p["id"]] = "\n".join(t for t, v in zip(p["texts"], s) if v > threshold)
    if dataset == "trafilatura-eval":
        tp = fp = fn = 0
        for pid, rec in truth.items():
            a, b, c = snippet_counts(rec, outputs.get(pid, ""))
            tp, fp, fn = tp + a, fp + b, fn + c
        prec, rec_ = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        return 2 * prec * rec_ / max(prec + rec_, 1e-9)
    f1s = [word_f1(outputs.get(pid, ""), rec.get("text") or "") for pid, rec in truth.items()]
    return sum(f1s) / len(f1s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--blocks", required=True, help="folder of blocks-<dataset>.jsonl")
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "bench"))
    ap.add_argument("--folds", required=True, help="folds.json from scripts/folds.py --dump")
    ap.add_argument("--names", required=True, help="the feature names, one per line (eval --feature-names)")
    ap.add_argument("--out", required=True, help="the final model file")
    ap.add_argument("--fold-dir", help="where to write fold-<k>.model (out-of-fold models)")
    ap.add_argument("--save-oof", help="write every block's out-of-fold score here (JSONL)")
    ap.add_argument("--corpus", type=Path,
                    help="corpus/ as a bench folder (scripts/corpus_bench.py OUT: OUT/corpus), "
                         "trained on as one more dataset; its folds must be in --folds")
    ap.add_argument("--corpus-weight", type=float, default=CORPUS_WEIGHT,
                    help="how many bench pages one corpus page weighs")
    args = ap.parse_args()

    names = [n for n in Path(args.names).read_text().split("\n") if n]
    folds = json.loads(Path(args.folds).read_text())
    k = 1 + max(f for d in folds.values() for f in d.values())
    data = {d: load_pages(args.blocks, args.bench, d, len(names)) for d in DATASETS}
    truth = {d: load_truth(args.bench, d) for d in DATASETS}
    trained = DATASETS
    if args.corpus:
        # The golden pages say the project's conventions (what a byline, a ticker or a
        # submenu is); the bench truths disagree among themselves on such lines.
        data["corpus"] = load_pages(args.blocks, args.corpus.parent, "corpus", len(names))
        truth["corpus"] = load_truth(args.corpus.parent, "corpus")
        for p in data["corpus"]:
            p["weight"] = args.corpus_weight
        trained = DATASETS + ("corpus",)
    for d in trained:
        labelled = sum(l is not None for p in data[d] for l in p["labels"])
        positive = sum(l == 1.0 for p in data[d] for l in p["labels"])
        print(f"{d}: {len(data[d])} pages, {labelled} labelled blocks, {positive} content",
              file=sys.stderr)

    # Out of fold: every page scored by the model that did not see its site.
    oof = {d: [None] * len(data[d]) for d in trained}
    fold_dir = Path(args.fold_dir) if args.fold_dir else None
    if fold_dir:
        fold_dir.mkdir(parents=True, exist_ok=True)
    for fold in range(k):
        train_pages = [p for d in trained for p in data[d] if folds[d][p["id"]] != fold]
        booster = train(train_pages, names)
        if fold_dir:
            # Thresholds are settled below; the fold models carry the defaults until then.
            write_model(booster, names, (0.5, 0.5, 0.5), fold_dir / f"fold-{fold}.model")
        for d in trained:
            for i, p in enumerate(data[d]):
                if folds[d][p["id"]] == fold and len(p["rows"]):
                    oof[d][i] = booster.predict(p["rows"])
                elif folds[d][p["id"]] == fold:
                    oof[d][i] = np.zeros(0)
        print(f"fold {fold}: trained on {len(train_pages)} pages", file=sys.stderr)

    if args.save_oof:
        with open(args.save_oof, "w") as f:
            for d in trained:
                for p, s in zip(data[d], oof[d]):
                    f.write(json.dumps({"dataset": d, "id": p["id"], "scores": [round(float(v), 5) for v in s]}) + "\n")

    # Thresholds on the out-of-fold scores: balanced maximises the datasets' figures weighted
    # by their pages (every page weighs the same, as in training: an unweighted mean let the
    # 130 readability-tests pages outvote the 990 trafilatura-eval ones); precision and
    # recall sit at fixed steps either side of it.
    grid = [round(0.05 * i, 2) for i in range(2, 19)]
    table = {t: {d: figure(d, data[d], truth[d], oof[d], t) for d in trained} for t in grid}
    for t in grid:
        row = " ".join(f"{d} {table[t][d]:.4f}" for d in trained)
        print(f"threshold {t:.2f}: {row}", file=sys.stderr)
    balanced = max(grid, key=lambda t: sum(len(data[d]) * table[t][d] for d in DATASETS))
    thresholds = (min(balanced + 0.2, 0.9), balanced, max(balanced - 0.2, 0.1))
    print(f"thresholds (precision, balanced, recall): {thresholds}", file=sys.stderr)
    if fold_dir:
        for fold in range(k):
            path = fold_dir / f"fold-{fold}.model"
            lines = path.read_text().split("\n")
            lines[2 + len(names)] = "thresholds " + " ".join(f"{t:.6f}" for t in thresholds)
            path.write_text("\n".join(lines))

    final = train([p for d in trained for p in data[d]], names)
    write_model(final, names, thresholds, args.out)
    sample = np.vstack([p["rows"] for p in data["readability-tests"] if len(p["rows"])])[:500]
    drift = np.abs(score_with(args.out, sample, names) - final.predict(sample)).max()
    print(f"wrote {args.out}: {final.num_trees()} trees; the file scores as LightGBM does "
          f"(max difference {drift:.2e})", file=sys.stderr)
    if drift > 1e-4:
        sys.exit("the written model does not score as the trained one")


if __name__ == "__main__":
    main()
