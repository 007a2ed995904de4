#!/usr/bin/env python3
"""Score several systems' predictions on one dataset and print Markdown tables.

    python3 scripts/score_table.py ../shared/bench/wcxb-dev \\
        trafilatura=/tmp/peers/trafilatura-wcxb-dev.jsonl gleaner=/tmp/gleaner-wcxb-dev.jsonl

Uses score() from ../shared/tools/score.py (imported, so the figures are exactly the
scorer's).  Prints, per system: shingle F1 (with its precision and recall), word F1
(WCXB style) and snippet F1, each where the dataset has the needed truth, plus how
many pages the prediction file lacks and how many carry an "error" field.  If the
truth has page_type (wcxb-dev), it also prints word F1 and shingle F1 per page type,
scoring each type's subset of the truth separately.
"""

import argparse
import importlib.util
from collections import Counter
from pathlib import Path

DEFAULT_SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score.py"
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dataset", type=Path, help="dataset dir holding truth.jsonl")
    ap.add_argument("systems", nargs="+", metavar="NAME=PRED.jsonl")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="path of score.py")
    args = ap.parse_args()

    sc = load_scorer(args.scorer)
    truth = sc.load_jsonl(args.dataset / "truth.jsonl")
    systems = []
    for spec in args.systems:
        name, sep, path = spec.partition("=")
        if not sep:
            ap.error("expected NAME=PRED.jsonl, got %r" % spec)
        systems.append((name, sc.load_jsonl(path)))

    rows = []
    for name, preds in systems:
        res = sc.score(truth, preds)
        sh, wd, sn = res.get("shingle"), res.get("wcxb_word"), res.get("snippet")
        n_err = sum(1 for p in preds if p.get("error"))
        rows.append([name,
                     fmt(sh and sh["f1"]), fmt(sh and sh["precision"]), fmt(sh and sh["recall"]),
                     fmt(wd and wd["f1"]), fmt(sn and sn["f1"]),
                     str(res["missing"]), str(n_err)])
    print("**%s** (%d pages)\n" % (args.dataset.name, len(truth)))
    print(table(["system", "shingle F1", "shingle P", "shingle R", "word F1", "snippet F1",
                 "missing", "errors"], rows))

    types = Counter(r.get("page_type") for r in truth if r.get("page_type"))
    if types:
        order = [t for t in PAGE_TYPES if t in types] + sorted(set(types) - set(PAGE_TYPES))
        subsets = {t: [r for r in truth if r.get("page_type") == t] for t in order}
        for metric, key in (("word F1", "wcxb_word"), ("shingle F1", "shingle")):
            rows = []
            for name, preds in systems:
                rows.append([name] + [fmt(sc.score(subsets[t], preds)[key]["f1"])
                                      for t in order])
            print("\n%s by page type\n" % metric)
            print(table(["system"] + ["%s (%d)" % (t, types[t]) for t in order], rows))


if __name__ == "__main__":
    main()
