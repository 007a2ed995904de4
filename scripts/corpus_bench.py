#!/usr/bin/env python3
"""Turns corpus/ (the hand-made golden pages) into a benchmark-shaped folder, so the eval
tool, the scorer and the trainer read it like ../shared/bench/<dataset>:

    python3 scripts/corpus_bench.py OUT_DIR [--folds folds.json] [--k 5]

writes OUT_DIR/corpus/html/<name>.html.gz (the page's bytes as they are, in their own
encoding) and OUT_DIR/corpus/truth.jsonl ({"id": name, "text": <name>.expected.txt}).
With --folds, the corpus pages are added to that folds file (scripts/folds.py --dump) as
dataset "corpus", page i of the sorted names in fold i mod k: every page is its own site.
"""

import argparse
import gzip
import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def pages():
    """(name, bytes, expected text) for every golden page, sorted by name."""
    for expected in sorted(CORPUS.glob("*.expected.txt")):
        name = expected.name[: -len(".expected.txt")]
        found = [p for p in CORPUS.iterdir()
                 if p.name.startswith(name + ".") and ".expected." not in p.name]
        if len(found) != 1:
            raise SystemExit(f"{expected}: expected one page beside it, found {found}")
        raw = found[0].read_bytes()
        if found[0].name.endswith(".gz"):
            raw = gzip.decompress(raw)
        yield name, raw, expected.read_text(encoding="utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--folds", type=Path, help="a folds file to add the corpus pages to")
    ap.add_argument("--k", type=int, default=5)
    args = ap.parse_args()
    html = args.out / "corpus" / "html"
    html.mkdir(parents=True, exist_ok=True)
    names = []
    with open(args.out / "corpus" / "truth.jsonl", "w", encoding="utf-8") as truth:
        for name, raw, text in pages():
            (html / f"{name}.html.gz").write_bytes(gzip.compress(raw, mtime=0))
            truth.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
            names.append(name)
    if args.folds:
        folds = json.loads(args.folds.read_text())
        folds["corpus"] = {name: i % args.k for i, name in enumerate(names)}
        args.folds.write_text(json.dumps(folds, sort_keys=True))
    print(f"{len(names)} corpus pages in {args.out / 'corpus'}")


if __name__ == "__main__":
    main()
