#!/usr/bin/env python3
"""scripts/peers.py with two more systems: rs-trafilatura and trafilatura in precision mode.

    python3 scripts/peers_extra.py --bench ../shared/bench/wcxb-dev --system rs-trafilatura \\
        --out /tmp/peers/rs-trafilatura-wcxb-dev.jsonl [--workers 2] [--timeout 60]

Same command line, output format, worker pool and per-page timeout as peers.py (it is
imported and its SYSTEMS table extended, so the three original systems run exactly as
there).  Added systems:
  trafilatura-precision  trafilatura.extract(bytes, url=url, include_comments=False,
                         favor_precision=True)
  rs-trafilatura         rs_trafilatura.extract_bytes(bytes, url=url).main_content
                         (PyPI package rs-trafilatura; default settings: tables kept,
                         comments/images/links off, its own page-type classifier on)
"""

import multiprocessing as mp
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402


def extract_trafilatura_precision(raw, url):
    import trafilatura
    return trafilatura.extract(raw, url=url, include_comments=False,
                               favor_precision=True) or ""


def extract_rs_trafilatura(raw, url):
    import rs_trafilatura
    return rs_trafilatura.extract_bytes(raw, url=url).main_content or ""


peers.SYSTEMS.update({"trafilatura-precision": extract_trafilatura_precision,
                      "rs-trafilatura": extract_rs_trafilatura})

if __name__ == "__main__":
    mp.set_start_method("fork")  # workers look systems up in peers.SYSTEMS, patched above
    peers.main()
