"""gleaner on Spark: one task per WARC shard, records streamed through gleaner in each executor.

    python -m gleaner.spark --input 'crawl/*.warc.gz' --output out/ [--format jsonl|parquet]
                            [--master 'local[*]'] [--mode balanced]

Inputs are local paths, globs, or any URI that the user's Spark reads (``s3a://``,
``hdfs://``); each shard is one partition and gives one output part, whose records carry the
CLI's JSONL fields (``id`` is the WARC record id, ``error`` says why a record failed). A
corrupt shard gives error records and the job goes on. At the end a summary of records read,
extracted, empty, skipped and failed is printed.

For a job of one's own: ``extract_partition`` maps an iterator of shard paths to record
dicts (for ``rdd.mapPartitions``), and ``extract_udf`` is a ``pandas_udf`` over a column of
HTML. Install with ``pip install "gleaner-rs[spark]"``.
"""

from __future__ import annotations

import argparse
import glob as _glob
import json
import os
import sys
import tempfile
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union
from urllib.parse import urlparse

from . import Extractor, _extractor

# The CLI's JSONL record, field by field (crates/batch/src/output.rs).
STRING_FIELDS = ("id", "source", "url", "title")
FIELDS: List[Tuple[str, str]] = [
    ("id", "string"), ("source", "string"), ("url", "string"), ("title", "string"),
    ("authors", "array"), ("date", "string"), ("date_modified", "string"),
    ("sitename", "string"), ("description", "string"), ("language", "string"),
    ("canonical_url", "string"), ("categories", "array"), ("tags", "array"),
    ("image", "string"), ("page_type", "string"), ("text", "string"), ("encoding", "string"),
    ("truncated", "boolean"), ("status", "integer"), ("fetched_at", "string"),
    ("error", "string"), ("skipped", "string"),
]
COUNTS = ("read", "extracted", "empty", "skipped", "failed")


def schema():  # noqa: ANN201 - pyspark's StructType, imported lazily
    """The Spark schema of a record."""
    from pyspark.sql import types as T

    kinds = {
        "string": T.StringType(),
        "array": T.ArrayType(T.StringType()),
        "boolean": T.BooleanType(),
        "integer": T.IntegerType(),
    }
    return T.StructType([T.StructField(name, kinds[kind], True) for name, kind in FIELDS])


def _is_local(path: str) -> bool:
    scheme = urlparse(path).scheme
    return scheme in ("", "file") or len(scheme) == 1  # "C:\\..." on Windows


def _local_path(path: str) -> str:
    return urlparse(path).path if path.startswith("file:") else path


def extract_shard(
    extractor: Extractor, path: str, data: Optional[bytes] = None, summary: Optional[Dict[str, int]] = None
) -> Iterator[Dict[str, Any]]:
    """The records of one shard (a local path, or `data` read by Spark from `path`)."""
    with tempfile.TemporaryDirectory(prefix="gleaner-spark-") as tmp:
        out = os.path.join(tmp, "records.jsonl")
        if data is None:
            source = _local_path(path)
        else:
            # The pipeline reads files: the bytes go to a file named as the shard (its
            # extension says WARC, gzip, JSONL).
            source = os.path.join(tmp, os.path.basename(urlparse(path).path) or "shard")
            with open(source, "wb") as f:
                f.write(data)
        try:
            counts = extractor.extract_files([source], out, inline=True)
        except Exception as e:  # noqa: BLE001 - one bad shard must not cost the job
            counts = {"read": 1, "failed": 1}
            yield {**{k: None for k, _ in FIELDS}, "source": path, "error": f"shard: {e}"}
        else:
            with open(out, encoding="utf-8") as f:
                for line in f:
                    record = json.loads(line)
                    if data is not None and record.get("source") == source:
                        record["source"] = path
                    yield record
        if summary is not None:
            for k in COUNTS:
                summary[k] = summary.get(k, 0) + int(counts.get(k, 0))


def extract_partition(
    paths: Iterable[Union[str, Tuple[str, bytes]]], mode: str = "balanced", format: str = "text"
) -> Iterator[Dict[str, Any]]:
    """For ``rdd.mapPartitions``: shard paths (or ``(path, bytes)`` pairs from
    ``sc.binaryFiles``) in, the CLI's record dicts out, one shard at a time."""
    extractor = Extractor(mode=mode, format=format)
    for item in paths:
        if isinstance(item, tuple):
            yield from extract_shard(extractor, item[0], bytes(item[1]))
        else:
            yield from extract_shard(extractor, item)


def extract_udf(mode: str = "balanced", format: str = "text"):  # noqa: ANN201
    """A ``pandas_udf`` from a column of HTML (str or binary) to a column of main text
    (empty where a page gave nothing): ``df.withColumn("text", extract_udf()("html"))``."""
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    def gleaner_text(html):  # noqa: ANN001, ANN202 - the annotations are set below
        extractor = _extractor(mode, format)
        pages = [h if isinstance(h, (str, bytes, bytearray)) else "" for h in html]
        return pd.Series([r.text for r in extractor.extract_many(pages, threads=1)])

    # Real classes, not strings (this module has `from __future__ import annotations`):
    # pandas_udf reads them to tell a Series → Series UDF.
    gleaner_text.__annotations__ = {"html": pd.Series, "return": pd.Series}
    return pandas_udf("string")(gleaner_text)  # type: ignore[call-overload]


def expand(inputs: List[str]) -> List[str]:
    """Local globs expanded (sorted); URIs left to Spark."""
    out: List[str] = []
    for item in inputs:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            if _is_local(part):
                found = sorted(_glob.glob(_local_path(part))) or ([part] if os.path.exists(part) else [])
                if not found:
                    raise SystemExit(f"gleaner.spark: no input matches {part!r}")
                out.extend(found)
            else:
                out.append(part)
    return out


def run(
    inputs: List[str],
    output: str,
    *,
    fmt: str = "jsonl",
    master: Optional[str] = None,
    mode: str = "balanced",
    text_format: str = "text",
    spark: Any = None,
) -> Dict[str, int]:
    """The job: returns the summary counts."""
    import shutil

    if shutil.which("java") is None and "JAVA_HOME" not in os.environ:
        raise SystemExit("gleaner.spark: Spark needs Java (17): `java` is not on PATH and JAVA_HOME is unset")
    # Local workers run this interpreter (the one gleaner is installed in), not `python3`.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import Row, SparkSession

    paths = expand(inputs)
    own = spark is None
    if own:
        builder = SparkSession.builder.appName("gleaner")
        if master:
            builder = builder.master(master)
        spark = builder.getOrCreate()
    sc = spark.sparkContext
    counters = {k: sc.accumulator(0) for k in COUNTS}
    names = [n for n, _ in FIELDS]

    def task(items: Iterable[Any]) -> Iterator[Any]:
        extractor = _extractor(mode, text_format)  # one a worker process
        summary: Dict[str, int] = {}
        for item in items:
            path, data = item if isinstance(item, tuple) else (item, None)
            for record in extract_shard(extractor, path, None if data is None else bytes(data), summary):
                yield Row(*[record.get(n) for n in names])
        for k in COUNTS:
            counters[k].add(summary.get(k, 0))

    local = [p for p in paths if _is_local(p)]
    remote = [p for p in paths if not _is_local(p)]
    rdds = []
    if local:
        rdds.append(sc.parallelize(local, len(local)))
    for uri in remote:
        rdds.append(sc.binaryFiles(uri))
    rdd = rdds[0] if len(rdds) == 1 else sc.union(rdds)
    if fmt == "jsonl" and not remote and _is_local(output):
        # Local shards to a local folder: each task runs the CLI's batch runner straight into
        # its part file, and only the counts go back through Spark (no rows through the JVM).
        summary = _direct(rdd, _local_path(output), mode, text_format)
        if own:
            spark.stop()
        return summary
    df = spark.createDataFrame(rdd.mapPartitions(task), schema())
    writer = df.write.mode("overwrite")
    if fmt == "parquet":
        writer.parquet(output)
    else:
        writer.option("ignoreNullFields", "false").json(output)
    summary = {k: int(counters[k].value) for k in COUNTS}
    if own:
        spark.stop()
    return summary


def _direct(rdd: Any, output: str, mode: str, text_format: str) -> Dict[str, int]:
    import shutil

    if os.path.isdir(output):
        shutil.rmtree(output)
    os.makedirs(output)

    def task(index: int, paths: Iterable[str]) -> Iterator[Dict[str, int]]:
        extractor = _extractor(mode, text_format)  # one a worker process
        part = os.path.join(output, f"part-{index:05}.jsonl")
        paths = [_local_path(p) for p in paths]
        try:
            yield extractor.extract_files(paths, part, inline=True)
        except Exception as e:  # noqa: BLE001 - one bad shard must not cost the job
            with open(part, "a", encoding="utf-8") as f:
                for p in paths:
                    record: Dict[str, Any] = {k: None for k, _ in FIELDS}
                    record.update(source=p, text="", truncated=False, error=f"shard: {e}")
                    f.write(json.dumps(record) + "\n")
            yield {"read": len(paths), "failed": len(paths)}

    totals = {k: 0 for k in COUNTS}
    for counts in rdd.mapPartitionsWithIndex(task).collect():
        for k in COUNTS:
            totals[k] += int(counts.get(k, 0))
    open(os.path.join(output, "_SUCCESS"), "w").close()
    return totals


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gleaner.spark", description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True, action="append", help="a glob, a URI, or a comma-separated list (repeatable)")
    ap.add_argument("--output", required=True, help="the output directory (one part per shard)")
    ap.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    ap.add_argument("--master", default=None, help="Spark master, e.g. local[*] (default: Spark's)")
    ap.add_argument("--mode", choices=("precision", "balanced", "recall"), default="balanced")
    ap.add_argument("--text-format", choices=("text", "markdown"), default="text")
    args = ap.parse_args(argv)
    summary = run(args.input, args.output, fmt=args.format, master=args.master, mode=args.mode, text_format=args.text_format)
    print(
        "gleaner.spark: {read} records read: {extracted} extracted, {empty} empty, "
        "{skipped} skipped, {failed} failed".format(**summary),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
