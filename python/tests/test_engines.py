"""The engine adapters: the batch runner over WARC shards, Spark, datatrove and Scrapy.

The Spark and datatrove tests run only where those engines are installed
(``pip install "./python[spark,datatrove]"``); the rest need nothing but gleaner.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import types

import pytest

import gleaner
from conftest import cli_binary

from gleaner.datatrove import GleanerExtractor
from gleaner.scrapy import GleanerPipeline


def warc_record(kind: str, rid: str, url: str, content_type: str, block: bytes) -> bytes:
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def write_shard(path, pages, start=0) -> None:
    """A gzipped WARC shard: a request and a response record for each page."""
    with open(path, "wb") as f:
        for i, page in enumerate(pages, start):
            url = f"https://site{i % 7}.example/page/{i}"
            f.write(gzip.compress(warc_record("request", f"req-{i}", url, "application/http; msgtype=request", b"GET / HTTP/1.1\r\n\r\n")))
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
            f.write(gzip.compress(warc_record("response", f"resp-{i}", url, "application/http; msgtype=response", http)))


def cli_jsonl(path) -> list:
    out = subprocess.run(
        [str(cli_binary()), "extract", str(path), "--format", "jsonl"], check=True, capture_output=True
    ).stdout
    return [json.loads(line) for line in out.splitlines()]


def write_shards(folder, pages, count, per_shard, corrupt=False):
    """`count` shards of `per_shard` pages in `folder` (made here), and a corrupt one if asked."""
    folder.mkdir()
    for s in range(count):
        chunk = pages[s * per_shard : (s + 1) * per_shard]
        write_shard(folder / f"s{s}.warc.gz", chunk, start=s * per_shard)
    if corrupt:
        (folder / "s9.warc.gz").write_bytes(b"\x1f\x8b\x08\x00corrupt")


def part_rows(out) -> list:
    """Every record of a Spark job's JSONL parts."""
    rows = []
    for f in sorted(out.glob("part-*")):
        rows.extend(json.loads(line) for line in f.read_text().splitlines())
    return rows


def test_extract_files_is_the_cli_on_a_warc_shard(tmp_path, corpus_pages):
    shard = tmp_path / "shard.warc.gz"
    write_shard(shard, corpus_pages[:8])
    out = tmp_path / "out.jsonl"
    summary = gleaner.Extractor().extract_files([str(shard)], str(out))
    assert summary["read"] == 16 and summary["skipped"] == 8 and summary["failed"] == 0
    ours = [json.loads(line) for line in out.read_text().splitlines()]
    assert ours == cli_jsonl(shard)
    assert [r["id"] for r in ours] == [f"<urn:uuid:resp-{i}>" for i in range(8)]
    inline = tmp_path / "inline.jsonl"
    assert gleaner.Extractor().extract_files([str(shard)], str(inline), inline=True)["read"] == 16
    assert inline.read_text() == out.read_text(), "inline: the same records, in the same order"


def test_a_corrupt_shard_gives_error_records(tmp_path, corpus_pages):
    shard = tmp_path / "bad.warc.gz"
    good = tmp_path / "good.warc.gz"
    write_shard(good, corpus_pages[:2])
    shard.write_bytes(good.read_bytes()[:-40] + b"\x00garbage")
    out = tmp_path / "out.jsonl"
    summary = gleaner.Extractor().extract_files([str(shard), str(good)], str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert summary["failed"] >= 1 and any(r["error"] for r in records)
    assert sum(1 for r in records if r["source"].endswith("good.warc.gz") and r["text"]) == 2


def test_scrapy_pipeline_on_dict_items(corpus_pages):
    html = corpus_pages[0].decode("utf-8")
    item = {"url": "https://example.org/a", "html": html, "kept": 1}
    out = GleanerPipeline().process_item(item)
    assert out["text"] == gleaner.extract(html).text
    assert out["title"] and "html" not in out and out["kept"] == 1
    kept = GleanerPipeline(keep_html=True, mode="recall").process_item({"html": html})
    assert kept["html"] == html
    assert GleanerPipeline().process_item({"other": 1}) == {"other": 1}
    failed = GleanerPipeline().process_item({"html": b""})
    assert failed["text"] == "" and "empty" in failed["error"]


def test_scrapy_settings():
    settings = types.SimpleNamespace(
        get=lambda k, d=None: {"GLEANER_MODE": "precision", "GLEANER_FORMAT": "markdown"}.get(k, d),
        getbool=lambda k, d=False: k == "GLEANER_KEEP_HTML",
    )
    p = GleanerPipeline.from_crawler(types.SimpleNamespace(settings=settings))
    assert (p.extractor.mode, p.extractor.format, p.keep_html) == ("precision", "markdown", True)


class Doc:
    def __init__(self, text, url):
        self.text, self.metadata = text, {"url": url}


def test_datatrove_step_fills_text_and_metadata(corpus_pages):
    step = GleanerExtractor(favour_precision=True, timeout=2)
    assert step.mode == "precision"
    docs = [Doc(corpus_pages[0].decode("utf-8"), "https://example.org/a"), Doc("", None), Doc(b"%PDF\x00\x01", None)]
    out = list(step.run(iter(docs)))
    assert len(out) == 1
    assert out[0].text == gleaner.extract(corpus_pages[0], mode="precision").text
    assert out[0].metadata["title"] and out[0].metadata["url"] == "https://example.org/a"
    assert step.extract(corpus_pages[0].decode("utf-8")) == out[0].text
    with pytest.raises(ValueError):
        GleanerExtractor(favour_precision=True, favour_recall=True)


def _utf8(page: bytes) -> bool:
    try:
        page.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_datatrove_pipeline(tmp_path, corpus_pages):
    pytest.importorskip("datatrove")
    pytest.importorskip("magic")  # python-magic needs the system's libmagic
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter

    # WarcReader decodes pages itself (cchardet), which may differ from the page's own
    # declaration on legacy charsets: UTF-8 pages only, so both sides see the same text.
    pages = [p for p in corpus_pages if _utf8(p)][:16]
    shards = tmp_path / "warc"
    write_shards(shards, pages, 4, 4)
    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[WarcReader(str(shards)), GleanerExtractor(), JsonlWriter(str(out))],
        tasks=4,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    docs = []
    for f in sorted(out.iterdir()):
        with gzip.open(f, "rt") if f.name.endswith(".gz") else open(f) as fh:
            docs.extend(json.loads(line) for line in fh)
    expected = {gleaner.extract(p).text for p in pages} - {""}
    assert {d["text"] for d in docs} == expected


def test_spark_local(tmp_path, corpus_pages):
    pytest.importorskip("pyspark")
    from gleaner import spark

    shards = tmp_path / "warc"
    write_shards(shards, corpus_pages, 4, 4, corrupt=True)
    out = tmp_path / "out"
    summary = spark.run([str(shards / "*.warc.gz")], str(out), master="local[2]")
    rows = part_rows(out)
    cli = []
    for s in range(4):
        cli.extend(cli_jsonl(shards / f"s{s}.warc.gz"))
    by_id = {r["id"]: r for r in rows if r["id"]}
    for r in cli:
        assert by_id[r["id"]]["text"] == r["text"]
    assert summary["failed"] >= 1 and summary["skipped"] == 16
    assert any(r["error"] and r["source"].endswith("s9.warc.gz") for r in rows)


def test_spark_reads_through_hadoop_as_for_s3a_or_hdfs(tmp_path, corpus_pages, monkeypatch):
    """URIs Spark's own filesystems read (s3a://, hdfs://) go through ``sc.binaryFiles`` and
    the DataFrame writer; taking every path for such a URI sends local shards that way."""
    pytest.importorskip("pyspark")
    from gleaner import spark

    shards = tmp_path / "warc"
    write_shards(shards, corpus_pages, 2, 3, corrupt=True)
    monkeypatch.setattr(spark, "_is_local", lambda path: False)
    out = tmp_path / "out"
    summary = spark.run([f"file://{shards}/*.warc.gz"], f"file://{out}", master="local[2]")
    rows = part_rows(out)
    expected = {r["id"]: r["text"] for s in range(2) for r in cli_jsonl(shards / f"s{s}.warc.gz")}
    assert {r["id"]: r["text"] for r in rows if not r["error"]} == expected
    assert summary["extracted"] == 6 and summary["failed"] >= 1
    assert any(r["error"] and r["source"].endswith("s9.warc.gz") for r in rows)


SCRAPY_CRAWL = r'''
import json, sys, threading, functools
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
import scrapy
from scrapy.crawler import CrawlerProcess

folder, names, out = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
handler = functools.partial(SimpleHTTPRequestHandler, directory=folder)
handler.log_message = lambda *a: None
server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d/" % server.server_address[1]
items = []

class Collect:
    def process_item(self, item, spider=None):
        items.append(dict(item))
        return item

class Pages(scrapy.Spider):
    name = "pages"
    start_urls = [base + n for n in names]
    def parse(self, response):
        yield {"url": response.url, "html": response.text}

sys.modules["collect"] = type(sys)("collect")
sys.modules["collect"].Collect = Collect
process = CrawlerProcess(settings={
    "ITEM_PIPELINES": {"gleaner.scrapy.GleanerPipeline": 300, "collect.Collect": 900},
    "GLEANER_MODE": "balanced", "LOG_ENABLED": False, "ROBOTSTXT_OBEY": False,
})
process.crawl(Pages)
process.start()
server.shutdown()
json.dump(items, open(out, "w"))
'''


def test_scrapy_crawl_on_loopback(tmp_path, cli_records):
    pytest.importorskip("scrapy")
    import sys

    from conftest import CORPUS

    names = [r["source"].split("/", 1)[1] for r in cli_records if r["source"].endswith(".html")]
    names = [n for n in names if "/" not in n][:6]
    script = tmp_path / "crawl.py"
    script.write_text(SCRAPY_CRAWL)
    out = tmp_path / "items.json"
    subprocess.run([sys.executable, str(script), str(CORPUS), ",".join(names), str(out)], check=True, timeout=120)
    items = json.loads(out.read_text())
    assert len(items) == len(names)
    by_name = {i["url"].rsplit("/", 1)[1]: i for i in items}
    for r in cli_records:
        name = r["source"].split("/", 1)[1]
        if name in by_name:
            assert by_name[name]["text"] == r["text"], name
            assert "html" not in by_name[name]


def test_spark_parquet_through_the_dataframe_writer(tmp_path, corpus_pages):
    pytest.importorskip("pyspark")
    pd = pytest.importorskip("pandas")
    from gleaner import spark

    shards = tmp_path / "warc"
    write_shards(shards, corpus_pages, 2, 3)
    out = tmp_path / "out"
    summary = spark.run([str(shards / "*.warc.gz")], str(out), fmt="parquet", master="local[2]")
    df = pd.read_parquet(out)
    assert list(df.columns) == [name for name, _ in spark.FIELDS]
    assert len(df) == 6 and summary["read"] == 12 and summary["extracted"] == 6
    expected = {r["id"]: r["text"] for s in range(2) for r in cli_jsonl(shards / f"s{s}.warc.gz")}
    assert dict(zip(df["id"], df["text"])) == expected


def test_extract_partition_without_spark(tmp_path, corpus_pages):
    from gleaner import spark

    shard = tmp_path / "s.warc.gz"
    write_shard(shard, corpus_pages[:3])
    records = list(spark.extract_partition([str(shard)]))
    assert records == cli_jsonl(shard)
    remote = list(spark.extract_partition([("s3a://bucket/s.warc.gz", shard.read_bytes())]))
    assert [r["text"] for r in remote] == [r["text"] for r in records]
    assert {r["source"] for r in remote} == {"s3a://bucket/s.warc.gz"}


def test_spark_pandas_udf(corpus_pages):
    pytest.importorskip("pyspark")
    pytest.importorskip("pandas")
    import os
    import sys

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from gleaner.spark import extract_udf

    session = SparkSession.builder.master("local[1]").appName("udf").getOrCreate()
    try:
        html = [p.decode("utf-8") for p in corpus_pages[:4]]
        df = session.createDataFrame([(h,) for h in html], ["html"])
        texts = [r.text for r in df.withColumn("text", extract_udf()("html")).collect()]
    finally:
        session.stop()
    assert texts == [gleaner.extract(h).text for h in html]
