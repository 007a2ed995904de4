#!/usr/bin/env python3
"""Metadata accuracy of gleaner and trafilatura on ../shared/bench, in one run.

    python3 scripts/meta_eval.py [DATASET...]       (default: all three datasets)
    python3 scripts/meta_eval.py --reuse-peer       (reuse trafilatura's output of an earlier run)

For each dataset, gleaner's `eval --meta` writes one metadata record per page, and
trafilatura's `bare_extraction(bytes, url=url, with_metadata=True)` runs on the same raw
page bytes (in worker processes, via scripts/peers.py, with a per-page timeout). Output goes
to /tmp/gleaner-meta/; the per-field table is printed in Markdown.

Scoring, per field, over the pages whose truth has that field:
  accuracy  share of those pages where the system's value equals the truth
  coverage  share of those pages where the system gave any value
Equality after light normalisation, the same for both systems:
  text fields    case, runs of white space, punctuation and spaces at both ends
  dates          the calendar date (the first YYYY-MM-DD, as written: no time-zone shift)
  authors        the set of names, after splitting on ';' ',' '&' and the words
                 and/und/et/y ("A; B" and ["B", "A"] are the same authors)
  lists          categories and tags as sets of normalised items
  language       the primary subtag of the BCP 47 tag ("en-US" -> "en")
  page_type      wcxb's seven types mapped onto gleaner's six (see PAGE_TYPE_TRUTH);
                 trafilatura's og:type-based `pagetype` is mapped the same way
"""

import argparse
import gzip
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402  (the worker pool with per-page timeouts)

ROOT = Path(__file__).resolve().parent.parent
OUT = Path("/tmp/gleaner-meta")

# Which fields each dataset annotates: field -> function(truth record) -> value or None.
FIELDS = {
    "wcxb-dev": {
        "title": lambda r: r.get("title"),
        "author": lambda r: r.get("author"),
        "date": lambda r: r.get("date"),
        "page_type": lambda r: r.get("page_type"),
    },
    "trafilatura-eval": {
        "title": lambda r: r.get("title"),
        "author": lambda r: r.get("author"),
        "date": lambda r: r.get("date"),
        "description": lambda r: (r.get("metadata") or {}).get("description"),
        "categories": lambda r: (r.get("metadata") or {}).get("categories"),
        "tags": lambda r: (r.get("metadata") or {}).get("tags"),
        "sitename": lambda r: (r.get("metadata") or {}).get("sitename"),
    },
    "readability-tests": {
        "title": lambda r: r.get("title"),
        "author": lambda r: (r.get("metadata") or {}).get("byline"),
        "date": lambda r: (r.get("metadata") or {}).get("publishedTime"),
        "sitename": lambda r: (r.get("metadata") or {}).get("siteName"),
        "description": lambda r: (r.get("metadata") or {}).get("excerpt"),
        "language": lambda r: (r.get("metadata") or {}).get("lang"),
    },
}

# wcxb's page types onto gleaner's: a "collection" (a category or search page of items) is
# a listing; a "service" page (a company's offer, a landing page) is none of the five kinds.
PAGE_TYPE_TRUTH = {"article": "article", "listing": "listing", "collection": "listing",
                   "forum": "forum", "product": "product", "documentation": "documentation",
                   "service": "other"}
# trafilatura's pagetype is og:type (or JSON-LD @type), lower-cased.
PAGE_TYPE_TRAFILATURA = {"article": "article", "newsarticle": "article", "blogposting": "article",
                         "blog": "article", "product": "product", "product.item": "product",
                         "website": "other", "webpage": "other", "profile": "other",
                         "object": "other", "video.other": "other", "discussionforumposting": "forum",
                         "qapage": "forum", "collectionpage": "listing", "itemlist": "listing"}


def extract_trafilatura_meta(raw, url):
    """trafilatura's metadata for one page, as a JSON-ready dict with gleaner's field names."""
    import trafilatura
    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return {}
    get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    return {
        "title": get("title"), "author": get("author"), "date": get("date"),
        "sitename": get("sitename"), "description": get("description"),
        "categories": get("categories") or [], "tags": get("tags") or [],
        "language": get("language"),
        "page_type": PAGE_TYPE_TRAFILATURA.get((get("pagetype") or "").lower(),
                                               "other" if get("pagetype") else None),
    }


def norm_text(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", str(s)).lower()
    s = " ".join(s.split())
    return s.strip(" \t\n\"'“”‘’«»„‚.,;:!?-–—|·•*()[]")


def norm_date(s):
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", str(s or ""))
    return m.group(0) if m else ""


SPLIT_AUTHORS = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)


def norm_authors(v):
    items = v if isinstance(v, list) else [v] if v else []
    names = set()
    for item in items:
        for part in SPLIT_AUTHORS.split(str(item)):
            n = norm_text(part)
            if n:
                names.add(n)
    return frozenset(names)


def norm_list(v):
    items = v if isinstance(v, list) else [v] if v else []
    return frozenset(n for n in map(norm_text, items) if n)


def norm_language(s):
    return norm_text(s).replace("_", "-").split("-")[0]


def norm_page_type(s):
    return PAGE_TYPE_TRUTH.get(s, s) if s else ""


NORMALISE = {"title": norm_text, "author": norm_authors, "date": norm_date,
             "sitename": norm_text, "description": norm_text, "categories": norm_list,
             "tags": norm_list, "language": norm_language, "page_type": norm_page_type}


def gleaner_value(record, field):
    if field == "author":
        return record.get("authors")
    return record.get(field)


def run_gleaner(dataset):
    out = OUT / f"gleaner-{dataset}.jsonl"
    subprocess.run([str(ROOT / "target/release/eval"), str(ROOT.parent / "shared/bench" / dataset),
                    "--meta", "--out", str(out)], check=True)
    return {r["id"]: r for r in map(json.loads, out.open(encoding="utf-8"))}


def run_trafilatura(dataset, truth, reuse, workers, timeout):
    out = OUT / f"trafilatura-{dataset}.jsonl"
    if not (reuse and out.exists()):
        peers.SYSTEMS["trafilatura-meta"] = extract_trafilatura_meta
        bench = ROOT.parent / "shared/bench" / dataset
        tasks = [(r["id"], str(bench / "html" / f"{r['id']}.html.gz"), r.get("url")) for r in truth]
        results = peers.run("trafilatura-meta", tasks, workers, timeout)
        with out.open("w", encoding="utf-8") as f:
            for page_id, _, _ in tasks:
                meta, err = results[page_id]
                rec = dict(meta or {}, id=page_id)
                if err:
                    rec["error"] = err
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {r["id"]: r for r in map(json.loads, out.open(encoding="utf-8"))}


def score(truth, preds, dataset, value_of):
    rows = {}
    for field, truth_of in FIELDS[dataset].items():
        norm = NORMALISE[field]
        n = correct = covered = 0
        for r in truth:
            want = norm(truth_of(r))
            if not want:
                continue
            n += 1
            got = norm(value_of(preds.get(r["id"], {}), field))
            covered += bool(got)
            correct += got == want
        rows[field] = (n, correct / n if n else 0.0, covered / n if n else 0.0)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("datasets", nargs="*", default=list(FIELDS))
    ap.add_argument("--reuse-peer", action="store_true",
                    help="reuse /tmp/gleaner-meta/trafilatura-*.jsonl from an earlier run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--only-peer", action="store_true", help="run trafilatura only")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.only_peer:
        subprocess.run(["cargo", "build", "--release", "--bin", "eval"], cwd=ROOT, check=True)
    print("| dataset | field | pages | gleaner accuracy | trafilatura accuracy "
          "| gleaner coverage | trafilatura coverage |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for dataset in args.datasets:
        bench = ROOT.parent / "shared/bench" / dataset
        truth = [json.loads(line) for line in (bench / "truth.jsonl").open(encoding="utf-8")]
        traf = run_trafilatura(dataset, truth, args.reuse_peer, args.workers, args.timeout)
        if args.only_peer:
            continue
        ours = score(truth, run_gleaner(dataset), dataset, gleaner_value)
        theirs = score(truth, traf, dataset, lambda rec, field: rec.get(field))
        for field, (n, acc, cov) in ours.items():
            _, t_acc, t_cov = theirs[field]
            bold = lambda a, b: f"**{a:.3f}**" if a > b else f"{a:.3f}"  # noqa: E731
            print(f"| {dataset} | {field} | {n} | {bold(acc, t_acc)} | {bold(t_acc, acc)} "
                  f"| {cov:.3f} | {t_cov:.3f} |")


if __name__ == "__main__":
    main()
