#!/usr/bin/env python3
"""Score several systems on one or more benchmark datasets: overall, per page type, per fold.

    python3 scripts/oof_table.py --datasets wcxb-dev,trafilatura-eval,readability-tests \\
        gleaner=/work/baseline/eval-{dataset}.jsonl \\
        rs-trafilatura=/work/oof/peers/rs-trafilatura-{dataset}.jsonl [--per-fold] [--k 5]

Each system is NAME=PATH; "{dataset}" in PATH is replaced by each dataset's name (a
missing file is reported and that system skipped for that dataset).  The figures are
those of ../shared/tools/score.py: its score() is imported, as scripts/score_table.py
does, and a subset (one wcxb-dev page type, one fold) is scored by passing score() the
subset of the truth records, as score_table.py and check_floors.py do for `@TYPE`
figures (predictions for pages outside the subset are ignored by score()).  So a
subset's figure is exactly what `score.py --truth SUBSET.jsonl --pred PRED.jsonl --json`
prints; --check-cli verifies that on the first dataset for every system.

Printed per dataset: shingle F1/P/R, word F1/P/R (WCXB), snippet F1/P/R where the truth
has them, missing pages and "error" records; for datasets with page_type, word F1 and
shingle F1 per type; with --per-fold, the headline figures per fold (folds by site from
scripts/folds.py) and their spread.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_BENCH = HERE.parents[1] / "shared" / "bench"
DEFAULT_SCORER = HERE.parents[1] / "shared" / "tools" / "score.py"
PAGE_TYPES = ["article", "service", "forum", "listing", "product", "collection",
              "documentation"]


def load_scorer(path):
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fmt(x):
    return "—" if x is None else "%.4f" % x


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def headline(res):
    sh, wd, sn = res.get("shingle"), res.get("wcxb_word"), res.get("snippet")
    return {"shingle_f1": sh and sh["f1"], "shingle_p": sh and sh["precision"],
            "shingle_r": sh and sh["recall"], "word_f1": wd and wd["f1"],
            "word_p": wd and wd["precision"], "word_r": wd and wd["recall"],
            "snippet_f1": sn and sn["f1"], "snippet_p": sn and sn["precision"],
            "snippet_r": sn and sn["recall"]}


def check_cli(scorer_path, truth_path, pred_path, got):
    """Run score.py --json and compare with the imported figures."""
    out = subprocess.run([sys.executable, str(scorer_path), "--truth", str(truth_path),
                          "--pred", str(pred_path), "--json"], check=True,
                         capture_output=True, text=True).stdout
    cli = headline(json.loads(out))
    bad = {k: (v, cli[k]) for k, v in got.items()
           if (v is None) != (cli[k] is None) or (v is not None and abs(v - cli[k]) > 1e-12)}
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("systems", nargs="+", metavar="NAME=PRED.jsonl")
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--datasets", default="wcxb-dev", help="comma-separated dataset names")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--per-fold", action="store_true")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--check-cli", action="store_true",
                    help="also run score.py --json on whole files and subsets and compare")
    args = ap.parse_args()

    sc = load_scorer(args.scorer)
    folds = None
    if args.per_fold:
        sys.path.insert(0, str(HERE))
        from folds import load_folds
        folds = load_folds(args.bench, args.k)

    specs = []
    for spec in args.systems:
        name, sep, path = spec.partition("=")
        if not sep:
            ap.error("expected NAME=PRED.jsonl, got %r" % spec)
        specs.append((name, path))

    for di, ds in enumerate(args.datasets.split(",")):
        truth_path = args.bench / ds / "truth.jsonl"
        truth = sc.load_jsonl(truth_path)
        systems = []
        for name, path in specs:
            p = Path(path.replace("{dataset}", ds))
            if not p.exists():
                print("(%s: %s not found, skipped)" % (name, p), file=sys.stderr)
                continue
            systems.append((name, p, sc.load_jsonl(p)))

        rows, figs = [], {}
        for name, p, preds in systems:
            res = sc.score(truth, preds)
            h = headline(res)
            figs[name] = h
            n_err = sum(1 for r in preds if r.get("error"))
            rows.append([name] + [fmt(h[k]) for k in (
                "shingle_f1", "shingle_p", "shingle_r", "word_f1", "word_p", "word_r",
                "snippet_f1", "snippet_p", "snippet_r")] + [str(res["missing"]), str(n_err)])
            if args.check_cli and di == 0:
                bad = check_cli(args.scorer, truth_path, p, h)
                print("<!-- check-cli %s/%s: %s -->" % (ds, name, "ok" if not bad else bad))
        print("\n### %s (%d pages)\n" % (ds, len(truth)))
        print(table(["system", "shingle F1", "shingle P", "shingle R", "word F1", "word P",
                     "word R", "snippet F1", "snippet P", "snippet R", "missing", "errors"],
                    rows))

        types = Counter(r.get("page_type") for r in truth if r.get("page_type"))
        if types:
            order = [t for t in PAGE_TYPES if t in types] + sorted(set(types) - set(PAGE_TYPES))
            subsets = {t: [r for r in truth if r.get("page_type") == t] for t in order}
            for metric, key in (("word F1", "wcxb_word"), ("shingle F1", "shingle")):
                rows = []
                for name, p, preds in systems:
                    rows.append([name] + [fmt(sc.score(subsets[t], preds)[key]["f1"])
                                          for t in order])
                print("\n%s, %s by page type\n" % (ds, metric))
                print(table(["system"] + ["%s (%d)" % (t, types[t]) for t in order], rows))
            if args.check_cli and di == 0 and systems:
                name, p, preds = systems[0]
                t = order[0]
                with tempfile.TemporaryDirectory() as tmp:
                    sub = os.path.join(tmp, "truth-%s.jsonl" % t)
                    with open(sub, "w", encoding="utf-8") as f:
                        for r in subsets[t]:
                            f.write(json.dumps(r, ensure_ascii=False) + "\n")
                    bad = check_cli(args.scorer, sub, p,
                                    headline(sc.score(subsets[t], preds)))
                print("\n<!-- check-cli %s/%s subset %s: %s -->" % (
                    ds, name, t, "ok" if not bad else bad))

        if folds is not None:
            fold_of = folds[ds]
            keys = [k for k in ("shingle_f1", "word_f1", "snippet_f1")
                    if any(figs[n][k] is not None for n in figs)]
            for key in keys:
                rows = []
                for name, p, preds in systems:
                    vals = []
                    for f in range(args.k):
                        sub = [r for r in truth if fold_of[r["id"]] == f]
                        vals.append(headline(sc.score(sub, preds))[key])
                    rows.append([name] + [fmt(v) for v in vals] + [
                        fmt(statistics.mean(vals)), fmt(statistics.stdev(vals))])
                sizes = Counter(fold_of[r["id"]] for r in truth)
                print("\n%s, %s per fold (by site)\n" % (ds, key))
                print(table(["system"] + ["fold %d (%d)" % (f, sizes[f]) for f in range(args.k)]
                            + ["mean", "sd"], rows))


if __name__ == "__main__":
    main()
