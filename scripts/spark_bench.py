#!/usr/bin/env python3
"""The Spark job (gleaner.spark) over WARC shards on local[1] and local[2], against the same
job with trafilatura, in one run: records/s and the scaling ratio.

    /tmp/bench/bin/pip install "./python[spark,datatrove]" trafilatura lxml_html_clean
    /tmp/bench/bin/python scripts/spark_bench.py --shards 8 --per-shard 150

The shards are built from the first shards × per-shard pages of ../shared/bench/wcxb-dev
(one request and one response record a page, each record gzipped). Each job reads every
shard in its own task and writes one JSONL part per shard; the time is the job's, the Spark
session being up already. Every job runs `--rounds` times (default 3) and the median is
reported, with the CPU seconds the job cost in all of this run's processes (driver, JVM,
Python workers) and the load average (the machine may be shared).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pathlib
import statistics
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


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def tree_cpu() -> float:
    """CPU seconds (user + system) of this process and its descendants still running (the
    JVM, the Python workers); 0 where /proc is missing."""
    procs = {}
    for d in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not d.isdigit():
            continue
        try:
            stat = pathlib.Path(f"/proc/{d}/stat").read_text()
        except (OSError, ValueError):
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        procs[int(d)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    total, todo = 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += procs.get(pid, (0, 0.0))[1]
        todo += [child for child, (parent, _) in procs.items() if parent == pid]
    return total


def timed(job, rounds: int) -> tuple:
    """(median records/s, median CPU seconds, records) of `job` (which returns its record count)."""
    rates, cpus = [], []
    for _ in range(rounds):
        cpu, start = tree_cpu(), time.perf_counter()
        n = job()
        rates.append(n / (time.perf_counter() - start))
        cpus.append(tree_cpu() - cpu)
    return statistics.median(rates), statistics.median(cpus), n


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
    ap.add_argument("--rounds", type=int, default=3, help="repetitions of every job (the median is reported)")
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
        load = lambda: " ".join(f"{x:.2f}" for x in os.getloadavg())  # noqa: E731
        print(f"load average at the start: {load()}")
        for cores in (1, 2):
            session = (
                SparkSession.builder.master(f"local[{cores}]")
                .appName("bench")
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate()
            )
            session.sparkContext.setLogLevel("ERROR")
            # Warm-up: every slot's Python worker starts and imports gleaner.
            gspark.run(paths[: 2 * cores], str(tmp / f"warm{cores}"), spark=session)
            summary = {}

            def gleaner_job() -> int:
                summary.update(gspark.run(paths, str(tmp / f"g{cores}"), spark=session))
                return summary["read"]

            rate, cpu, _ = timed(gleaner_job, args.rounds)
            rates[("gleaner", cores)] = rate
            print(f"gleaner      local[{cores}]: {rate:8.1f} records/s, {cpu:.1f} CPU-s a run {json.dumps(summary)} (load {load()})")
            if not args.skip_trafilatura:
                sc = session.sparkContext

                def trafilatura_job() -> int:
                    return sc.parallelize(paths, len(paths)).mapPartitions(trafilatura_partition).map(json.dumps).count()

                rate, cpu, n = timed(trafilatura_job, args.rounds)
                rates[("trafilatura", cores)] = rate
                print(f"trafilatura  local[{cores}]: {rate:8.1f} records/s, {cpu:.1f} CPU-s a run, {n} records (load {load()})")
            session.stop()
        for name in ("gleaner", "trafilatura"):
            if (name, 2) in rates:
                print(f"{name}: local[2] / local[1] = {rates[(name, 2)] / rates[(name, 1)]:.2f}x")
        if ("trafilatura", 1) in rates:
            print(f"gleaner / trafilatura on local[1]: {rates[('gleaner', 1)] / rates[('trafilatura', 1)]:.2f}x")


if __name__ == "__main__":
    main()
