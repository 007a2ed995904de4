#!/usr/bin/env python3
"""The Spark job (gleaner.spark) over WARC shards on local[1] and local[2], against the same
job with trafilatura, in one run: records/s and the scaling ratio.

    /tmp/bench/bin/pip install "./python[spark,datatrove]" trafilatura lxml_html_clean
    /tmp/bench/bin/python scripts/spark_bench.py --shards 8 --per-shard 150

The shards are built from the first shards × per-shard pages of ../shared/bench/wcxb-dev
(one request and one response record a page, each record gzipped). Each job reads every
shard in its own task and writes one JSONL part per shard; the time is the job's, the Spark
session being up already.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pathlib
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
BENCH = HERE.parent.parent / "shared" / "bench" / "wcxb-dev" / "html"


def warc_record(kind: str, rid: str, url: str, content_type: str, block: bytes) -> bytes:
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def build_shards(folder: pathlib.Path, shards: int, per_shard: int) -> list:
    files = sorted(p for p in BENCH.iterdir() if p.name.endswith(".html.gz"))[: shards * per_shard]
    paths = []
    for s in range(shards):
        path = folder / f"shard-{s:03}.warc.gz"
        with open(path, "wb") as f:
            for i, p in enumerate(files[s * per_shard : (s + 1) * per_shard]):
                url = f"https://bench.example/{p.name[:-3]}"
                http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + gzip.decompress(p.read_bytes())
                f.write(gzip.compress(warc_record("response", f"{s}-{i}", url, "application/http; msgtype=response", http), 1))
        paths.append(str(path))
    return paths


def trafilatura_partition(paths):
    """The same job's task with trafilatura: WARC responses in, text records out."""
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    for path in paths:
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f):
                if rec.rec_type != "response":
                    continue
                rid = rec.rec_headers.get_header("WARC-Record-ID")
                url = rec.rec_headers.get_header("WARC-Target-URI")
                body = rec.content_stream().read()
                try:
                    text = trafilatura.extract(body, url=url) or ""
                    error = None
                except Exception as e:  # noqa: BLE001
                    text, error = "", str(e)
                yield {"id": rid, "source": path, "url": url, "text": text, "error": error}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--per-shard", type=int, default=150)
    ap.add_argument("--skip-trafilatura", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from gleaner import spark as gspark

    with tempfile.TemporaryDirectory(prefix="gleaner-spark-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        paths = build_shards(tmp, args.shards, args.per_shard)
        records = args.shards * args.per_shard
        print(f"{args.shards} shards, {records} response records")
        rates = {}
        for cores in (1, 2):
            session = SparkSession.builder.master(f"local[{cores}]").appName("bench").getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
            # Warm-up: every slot's Python worker starts and imports gleaner.
            gspark.run(paths[: 2 * cores], str(tmp / f"warm{cores}"), spark=session)
            start = time.perf_counter()
            summary = gspark.run(paths, str(tmp / f"g{cores}"), spark=session)
            seconds = time.perf_counter() - start
            rates[("gleaner", cores)] = summary["read"] / seconds
            print(f"gleaner      local[{cores}]: {summary['read'] / seconds:8.1f} records/s ({seconds:.1f} s) {json.dumps(summary)}")
            if not args.skip_trafilatura:
                sc = session.sparkContext
                start = time.perf_counter()
                n = sc.parallelize(paths, len(paths)).mapPartitions(trafilatura_partition).map(json.dumps).count()
                seconds = time.perf_counter() - start
                rates[("trafilatura", cores)] = n / seconds
                print(f"trafilatura  local[{cores}]: {n / seconds:8.1f} records/s ({seconds:.1f} s)")
            session.stop()
        for name in ("gleaner", "trafilatura"):
            if (name, 2) in rates:
                print(f"{name}: local[2] / local[1] = {rates[(name, 2)] / rates[(name, 1)]:.2f}x")
        if ("trafilatura", 1) in rates:
            print(f"gleaner / trafilatura on local[1]: {rates[('gleaner', 1)] / rates[('trafilatura', 1)]:.2f}x")


if __name__ == "__main__":
    main()
