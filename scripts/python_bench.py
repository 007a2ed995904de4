#!/usr/bin/env python3
"""Pages per second from Python: gleaner on one core and on all cores, against trafilatura,
Resiliparse and rs-trafilatura called from Python on the same pages in the same run.

    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install ./python trafilatura lxml_html_clean resiliparse rs-trafilatura
    /tmp/bench/bin/python scripts/python_bench.py --pages 300

Every system gets the page's raw bytes (each decodes them its own way, as a caller would
have to) and returns its main text; a system that is not installed is reported and skipped.
"One core" is one Python thread calling the system page by page; gleaner's "all cores" is
one `extract_many` call (a rayon pool of os.cpu_count() threads, the GIL released).
Each timing runs `--rounds` times (default 3), the systems taking turns within a round, and
the median is reported, with the load average before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import gzip
import os
import pathlib
import statistics
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_BENCH = HERE.parent.parent / "shared" / "bench" / "wcxb-dev" / "html"


def load(folder: pathlib.Path, n: int) -> list:
    files = sorted(p for p in folder.iterdir() if p.name.endswith((".html", ".html.gz", ".htm")))[:n]
    pages = []
    for p in files:
        data = p.read_bytes()
        pages.append(gzip.decompress(data) if p.name.endswith(".gz") else data)
    return pages


def timed(fn, pages: list, warmup: int) -> tuple:
    """(seconds, characters of text) of `fn` over `pages`, after `warmup` pages untimed."""
    for p in pages[:warmup]:
        fn(p)
    start = time.perf_counter()
    chars = 0
    for p in pages:
        try:
            chars += len(fn(p) or "")
        except Exception:  # noqa: BLE001 - a failed page counts as done with no text
            pass
    return time.perf_counter() - start, chars


def systems() -> dict:
    """name → page function, for the systems that import."""
    found = {}
    import gleaner

    found["gleaner"] = lambda b: gleaner.extract(b).text

    try:
        import trafilatura

        found["trafilatura"] = lambda b: trafilatura.extract(b)
    except ImportError:
        print("trafilatura not installed: skipped", file=sys.stderr)
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding
        from resiliparse.parse.html import HTMLTree

        def resiliparse_page(b: bytes) -> str:
            tree = HTMLTree.parse(bytes_to_str(b, detect_encoding(b)))
            return extract_plain_text(tree, main_content=True)

        found["resiliparse"] = resiliparse_page
    except ImportError:
        print("resiliparse not installed: skipped", file=sys.stderr)
    try:
        import rs_trafilatura

        found["rs-trafilatura"] = lambda b: rs_trafilatura.extract_bytes(b).main_content
    except ImportError:
        print("rs-trafilatura not installed: skipped", file=sys.stderr)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=pathlib.Path, default=DEFAULT_BENCH, help="a folder of .html(.gz) pages")
    ap.add_argument("--pages", type=int, default=300, help="how many pages (the first N by name)")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3, help="repetitions of every timing (the median is reported)")
    args = ap.parse_args()

    pages = load(args.bench, args.pages)
    if not pages:
        sys.exit(f"no pages in {args.bench}")
    mb = sum(map(len, pages)) / 1e6
    cores = os.cpu_count() or 1
    print(f"{len(pages)} pages ({mb:.1f} MB) from {args.bench}, {cores} cores")
    print(f"{'system (median of rounds)':<28} {'pages/s':>9} {'MB/s':>7} {'text chars':>11}")

    def row(name: str, seconds: float, chars: int) -> float:
        rate = len(pages) / seconds
        print(f"{name:<28} {rate:>9.1f} {mb / seconds:>7.2f} {chars:>11}")
        return rate

    import gleaner

    found = systems()
    timings = {name: [] for name in found}
    batches = {"extract_many threads=1": 1, f"extract_many all {cores}": None}
    for label, threads in batches.items():
        gleaner.extract_many(pages[: args.warmup], threads=threads)
        timings[label] = []
    for name, fn in found.items():
        for p in pages[: args.warmup]:
            fn(p)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    chars = {}
    for _ in range(max(1, args.rounds)):
        for name, fn in found.items():
            seconds, chars[name] = timed(fn, pages, 0)
            timings[name].append(seconds)
        for label, threads in batches.items():
            start = time.perf_counter()
            results = gleaner.extract_many(pages, threads=threads)
            timings[label].append(time.perf_counter() - start)
            chars[label] = sum(len(r.text) for r in results)
    rates = {}
    for name, times in timings.items():
        label = f"gleaner {name}" if name in batches else f"{name} (1 core)"
        rates[name] = row(label, statistics.median(times), chars[name])
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    one = rates["gleaner"]
    many = rates[f"extract_many all {cores}"]
    print(f"gleaner all cores / one core: {many / one:.2f}x")
    for peer in ("resiliparse", "trafilatura", "rs-trafilatura"):
        if peer in rates:
            print(f"gleaner one core / {peer}: {one / rates[peer]:.2f}x")


if __name__ == "__main__":
    main()
