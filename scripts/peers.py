#!/usr/bin/env python3
"""Run a peer (reference) extractor over one benchmark dataset.

    python3 scripts/peers.py --bench ../shared/bench/wcxb-dev --system trafilatura \\
        --out /tmp/peers/trafilatura-wcxb-dev.jsonl

Reads every BENCH/html/<id>.html.gz (raw page bytes, original encoding) and writes
one {"id", "text"} JSON line per page, sorted by id, for ../shared/tools/score.py.
A page that fails or exceeds --timeout gets text "" plus an "error" field; no page is
ever skipped.  The page URL is taken from BENCH/truth.jsonl when present.

Systems (each extractor is given the raw bytes where it can decode them itself):
  trafilatura  trafilatura.extract(bytes, url=url, include_comments=False)
  readability  readability-lxml: Document(bytes, url=url).summary(), then the text of
               that HTML via lxml, one block element (paragraph, heading, ...) per line
  trafilatura-precision  the same with favor_precision=True
  rs-trafilatura  rs_trafilatura.extract_bytes(bytes, url=url).main_content (PyPI
               rs-trafilatura; its defaults: its own page-type classifier on)
  resiliparse  extract_plain_text(html, main_content=True), the bytes decoded with
               resiliparse's own detect_encoding(from_html_meta=True) + bytes_to_str

Pages run in --workers separate processes (default 2); a worker still busy with a
page after --timeout seconds is killed and replaced.
"""

import argparse
import gzip
import json
import multiprocessing as mp
import re
import sys
import time
from multiprocessing.connection import wait
from pathlib import Path


def extract_trafilatura(raw, url):
    import trafilatura
    return trafilatura.extract(raw, url=url, include_comments=False) or ""


BLOCK_TAGS = ("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
              "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
              "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td",
              "th", "tr", "ul")


def html_to_lines(html):
    """Text of an HTML fragment, one block element per line, whitespace collapsed."""
    import lxml.etree
    import lxml.html
    if not html.strip():
        return ""
    parts = []
    events = ("start", "end", "comment", "pi")  # comments/PIs: one event, only the tail kept
    for event, el in lxml.etree.iterwalk(lxml.html.fromstring(html), events=events):
        if event in ("start", "end") and el.tag in BLOCK_TAGS:
            parts.append("\n")
        if event == "start" and el.tag not in ("script", "style") and el.text:
            parts.append(el.text)
        if event != "start" and el.tail:
            parts.append(el.tail)
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def extract_readability(raw, url):
    from readability import Document
    return html_to_lines(Document(raw, url=url).summary())


def extract_resiliparse(raw, url):
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    html = bytes_to_str(raw, detect_encoding(raw, from_html_meta=True))
    return extract_plain_text(html, main_content=True)


def extract_trafilatura_precision(raw, url):
    import trafilatura
    return trafilatura.extract(raw, url=url, include_comments=False,
                               favor_precision=True) or ""


def extract_rs_trafilatura(raw, url):
    import rs_trafilatura
    return rs_trafilatura.extract_bytes(raw, url=url).main_content or ""


SYSTEMS = {"trafilatura": extract_trafilatura,
           "trafilatura-precision": extract_trafilatura_precision,
           "rs-trafilatura": extract_rs_trafilatura,
           "readability": extract_readability,
           "resiliparse": extract_resiliparse}


def worker(system, conn):
    """Receive (id, path, url) tasks on conn, send back (id, text, error)."""
    extract = SYSTEMS[system]
    while True:
        task = conn.recv()
        if task is None:
            return
        page_id, path, url = task
        try:
            text, err = extract(gzip.decompress(Path(path).read_bytes()), url), None
        except Exception as e:  # noqa: BLE001 - any failure becomes an "error" record
            text, err = "", "%s: %s" % (type(e).__name__, e)
        conn.send((page_id, text, err))


def run(system, tasks, n_workers, timeout):
    """Run all tasks; returns {id: (text, error)}."""
    results, todo = {}, list(reversed(tasks))
    busy = {}  # conn -> (process, page_id, start time)
    idle = []

    def start_worker():
        parent, child = mp.Pipe()
        proc = mp.Process(target=worker, args=(system, child), daemon=True)
        proc.start()
        child.close()
        idle.append((parent, proc))

    for _ in range(n_workers):
        start_worker()
    while todo or busy:
        while todo and idle:
            conn, proc = idle.pop()
            task = todo.pop()
            conn.send(task)
            busy[conn] = (proc, task[0], time.monotonic())
        for conn in wait(list(busy), timeout=1.0):
            proc, page_id, _ = busy.pop(conn)
            try:
                got_id, text, err = conn.recv()
                results[got_id] = (text, err)
                idle.append((conn, proc))
            except EOFError:  # the worker crashed (e.g. a segfault in C code)
                proc.join()
                conn.close()
                results[page_id] = ("", "worker died (exit code %s)" % proc.exitcode)
                start_worker()
        now = time.monotonic()
        for conn, (proc, page_id, t0) in list(busy.items()):
            if now - t0 > timeout:
                proc.kill()
                proc.join()
                conn.close()
                del busy[conn]
                results[page_id] = ("", "timeout after %ss" % timeout)
                start_worker()
        print("\r%d/%d" % (len(results), len(tasks)), end="", file=sys.stderr)
    for conn, proc in idle:
        conn.send(None)
        proc.join()
    print(file=sys.stderr)
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", required=True, type=Path, help="dataset dir (html/, truth.jsonl)")
    ap.add_argument("--system", required=True, choices=sorted(SYSTEMS))
    ap.add_argument("--out", required=True, type=Path, help="output JSONL")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per page")
    args = ap.parse_args()

    urls = {}
    truth = args.bench / "truth.jsonl"
    if truth.exists():
        with open(truth, encoding="utf-8") as f:
            urls = {r["id"]: r.get("url") for r in map(json.loads, filter(str.strip, f))}
    pages = sorted((p.name[:-len(".html.gz")], str(p))
                   for p in (args.bench / "html").glob("*.html.gz"))
    tasks = [(page_id, path, urls.get(page_id)) for page_id, path in pages]

    t0 = time.monotonic()
    results = run(args.system, tasks, args.workers, args.timeout)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    n_err = n_empty = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for page_id, _, _ in tasks:
            text, err = results[page_id]
            rec = {"id": page_id, "text": text}
            if err:
                rec["error"] = err
                n_err += 1
            elif not text.strip():
                n_empty += 1
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print("%s on %s: %d pages, %d errors, %d empty outputs, %.0fs -> %s" % (
        args.system, args.bench.name, len(tasks), n_err, n_empty,
        time.monotonic() - t0, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
