#!/usr/bin/env python3
"""Deterministic k-fold split of the benchmark pages BY SITE (no site in two folds).

    python3 scripts/folds.py [--bench ../shared/bench] [--k 5] [--method auto|hash|greedy]
    python3 scripts/folds.py --dump folds.json        # {dataset: {id: fold}}

As a library:

    from folds import load_folds, site_key, fold_of
    folds = load_folds("../shared/bench", k=5)      # {dataset: {id: fold}}
    fold_of("../shared/bench/wcxb-dev", page)       # page = one truth.jsonl record

Site key (`site_key`), kept simple on purpose:
  * the host of the page URL, lower-cased, without a leading "www."; a Wayback Machine
    URL (web.archive.org/web/<stamp>/<url>) is unwrapped to the archived URL first;
  * the registered domain = the last two labels of the host, or the last three when the
    last label is a two-letter country code and the second-to-last is one of the short
    public-suffix-like labels in SECOND_LEVEL (co.uk, com.au, gov.jm, com.pa, ...);
    IP addresses are kept whole;
  * trafilatura-eval has 36 pseudo-URLs such as "hard::nationnews.com-schools.html": the
    part after "::" is read as "<domain>[-.]<rest>": labels are taken from the left up to
    and including the first generic/country TLD-like label (plus a following ccTLD for
    "com.pa", "gov.jm"), so "dw.com.colonial" -> dw.com, "zeit.de.zugverkehr" -> zeit.de;
  * a page with no usable URL uses its id, with a trailing "-<digits>" cut off, so the
    readability-tests pages "nytimes-1" ... "nytimes-5" form one site "nytimes"; such
    keys are prefixed "id:" so they never collide with a domain.
The key is computed the same way in every dataset, so a site present in two datasets gets
the same fold in both.

Fold assignment:
  * hash:   fold = int(sha1(key)) mod k.
  * greedy: keys sorted by (pages desc, sha1(key)); each key goes to the fold where the
    strata it has pages in (each dataset, and each wcxb-dev page type) are lightest, in
    share of that stratum's pages; ties go to the lowest fold number.  Deterministic.
  * auto (default): hash, unless some stratum (a dataset, or a wcxb-dev page type) then
    has a fold with more than 1.5x the pages of another; then greedy for all datasets.
    (On the current bench the hash gives wcxb-dev collection folds of 6..37 pages, so
    auto picks greedy.)
"""

import argparse
import hashlib
import ipaddress
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

DATASETS = ("wcxb-dev", "trafilatura-eval", "readability-tests")
DEFAULT_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
# Second-level labels under a ccTLD that act as public suffixes (co.uk, com.au, gov.jm ...).
SECOND_LEVEL = {"co", "com", "net", "org", "gov", "gob", "edu", "ac", "or", "ne", "go",
                "mil", "nic", "ltd", "plc", "sch", "nhs", "info", "gv", "nom"}
GENERIC_TLDS = {"com", "net", "org", "gov", "edu", "info", "biz", "io", "vc", "tv"}
WAYBACK_RE = re.compile(r"^https?://web\.archive\.org/web/[^/]*/(.+)$", re.I)


def _sha1_int(s):
    return int(hashlib.sha1(s.encode("utf-8")).hexdigest(), 16)


def registered_domain(host):
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _pseudo_domain(s):
    """Domain at the start of a file-name-like string, e.g. 'dw.com.colonial.html'."""
    s = re.sub(r"\.html?$", "", s.lower())
    s = s.split("-", 1)[0]
    labels = s.split(".")
    for i in range(1, len(labels)):
        lab = labels[i]
        if lab in GENERIC_TLDS or (len(lab) == 2 and lab.isalpha()):
            end = i + 1
            if end < len(labels) and len(labels[end]) == 2 and labels[end].isalpha() \
                    and lab in SECOND_LEVEL:
                end += 1
            return registered_domain(".".join(labels[:end]))
    return None


def site_key(page):
    """Site key of one truth record ({"id", "url", ...})."""
    url = page.get("url") or ""
    m = WAYBACK_RE.match(url)
    if m:
        url = m.group(1)
        if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
            url = "http://" + url
    host = None
    if url:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        if host:
            return registered_domain(host)
        if "::" in url:
            dom = _pseudo_domain(url.split("::", 1)[1])
            if dom:
                return dom
    return "id:" + re.sub(r"-\d+$", "", str(page["id"]))


def _load_truth(dataset_dir):
    with open(Path(dataset_dir) / "truth.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def hash_fold(key, k=5):
    return _sha1_int(key) % k


def _strata(dataset, page):
    out = [dataset]
    if page.get("page_type"):
        out.append("%s/%s" % (dataset, page["page_type"]))
    return out


def _greedy(pages_by_ds, k):
    """pages_by_ds: {dataset: [truth records]} -> {key: fold}."""
    key_strata = defaultdict(Counter)  # key -> stratum -> pages
    totals = Counter()
    for ds, pages in pages_by_ds.items():
        for p in pages:
            for s in _strata(ds, p):
                key_strata[site_key(p)][s] += 1
                totals[s] += 1
    load = defaultdict(lambda: [0] * k)
    order = sorted(key_strata, key=lambda key: (-sum(
        n for s, n in key_strata[key].items() if "/" not in s), _sha1_int(key)))
    assign = {}
    for key in order:
        strata = key_strata[key]

        def cost(f):
            return sum((load[s][f] + n) / totals[s] for s, n in strata.items())

        best = min(range(k), key=lambda f: (cost(f), f))
        assign[key] = best
        for s, n in strata.items():
            load[s][best] += n
    return assign


def _max_ratio(folds_of_ds, pages_by_ds, k):
    """Largest max/min fold size over the strata (each dataset, each wcxb-dev page type)."""
    sizes = defaultdict(Counter)
    for ds, pages in pages_by_ds.items():
        for p in pages:
            for s in _strata(ds, p):
                sizes[s][folds_of_ds[ds][p["id"]]] += 1
    worst = 1.0
    for c in sizes.values():
        lo, hi = min(c.get(f, 0) for f in range(k)), max(c.values())
        worst = max(worst, float("inf") if lo == 0 else hi / lo)
    return worst


def load_folds(bench_dir=DEFAULT_BENCH, k=5, method="auto", datasets=DATASETS):
    """{dataset: {id: fold}} for every page of the datasets present under bench_dir."""
    bench_dir = Path(bench_dir)
    pages_by_ds = {ds: _load_truth(bench_dir / ds) for ds in datasets
                   if (bench_dir / ds / "truth.jsonl").exists()}
    if method in ("auto", "hash"):
        folds = {ds: {p["id"]: hash_fold(site_key(p), k) for p in pages}
                 for ds, pages in pages_by_ds.items()}
        if method == "hash" or _max_ratio(folds, pages_by_ds, k) <= 1.5:
            return folds
    assign = _greedy(pages_by_ds, k)
    return {ds: {p["id"]: assign[site_key(p)] for p in pages}
            for ds, pages in pages_by_ds.items()}


_CACHE = {}


def fold_of(dataset_dir, page, k=5, method="auto"):
    """Fold of one page (a truth record, or an id) of the dataset at dataset_dir."""
    dataset_dir = Path(dataset_dir).resolve()
    ck = (str(dataset_dir.parent), k, method)
    if ck not in _CACHE:
        _CACHE[ck] = load_folds(dataset_dir.parent, k, method)
    pid = page["id"] if isinstance(page, dict) else page
    return _CACHE[ck][dataset_dir.name][pid]


def report(bench_dir, folds, k):
    out = []
    for ds, ids in folds.items():
        sizes = Counter(ids.values())
        row = [sizes.get(f, 0) for f in range(k)]
        out.append("%-18s pages per fold: %s  (max/min %.2f)" % (
            ds, " ".join("%4d" % n for n in row), max(row) / max(1, min(row))))
        truth = {p["id"]: p for p in _load_truth(Path(bench_dir) / ds)}
        keys = defaultdict(set)
        for pid, f in ids.items():
            keys[f].add(site_key(truth[pid]))
        out.append("%-18s sites per fold: %s" % (
            "", " ".join("%4d" % len(keys[f]) for f in range(k))))
        types = Counter(p.get("page_type") for p in truth.values() if p.get("page_type"))
        for t in sorted(types, key=lambda t: -types[t]):
            row = [sum(1 for pid, f in ids.items() if f == fo and truth[pid].get("page_type") == t)
                   for fo in range(k)]
            out.append("  %-16s %4d: %s  (max/min %.2f)" % (
                t, types[t], " ".join("%4d" % n for n in row), max(row) / max(1, min(row))))
    # check: no site in two folds, across datasets
    site_folds = defaultdict(set)
    for ds, ids in folds.items():
        truth = {p["id"]: p for p in _load_truth(Path(bench_dir) / ds)}
        for pid, f in ids.items():
            site_folds[site_key(truth[pid])].add(f)
    bad = [s for s, fs in site_folds.items() if len(fs) > 1]
    out.append("sites: %d, sites in more than one fold: %d" % (len(site_folds), len(bad)))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--method", choices=("auto", "hash", "greedy"), default="auto")
    ap.add_argument("--dump", type=Path, help="write {dataset: {id: fold}} JSON here")
    args = ap.parse_args()
    folds = load_folds(args.bench, args.k, args.method)
    if args.method == "auto":
        hashed = load_folds(args.bench, args.k, "hash")
        pages_by_ds = {ds: _load_truth(args.bench / ds) for ds in folds}
        print("auto: %s (hash: worst max/min fold ratio over datasets and page types %.2f)" % (
            "hash" if folds == hashed else "greedy", _max_ratio(hashed, pages_by_ds, args.k)))
    print(report(args.bench, folds, args.k))
    if args.dump:
        args.dump.write_text(json.dumps(folds, indent=0, sort_keys=True))
        print("wrote", args.dump, file=sys.stderr)


if __name__ == "__main__":
    main()
