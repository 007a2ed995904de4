"""The Python package against the CLI, under threads, on bad inputs and over many pages."""

from __future__ import annotations

import threading
import time

import pytest

import gleaner


def without_origin(record: dict) -> dict:
    """A record without `id` and `source`, which name the CLI's input file."""
    return {k: v for k, v in record.items() if k not in ("id", "source")}


def test_corpus_same_record_as_the_cli(cli_records, corpus_pages):
    for record, page in zip(cli_records, corpus_pages):
        x = gleaner.extract(page)
        assert x.text == record["text"], record["source"]
        assert without_origin(x.to_dict()) == without_origin(record), record["source"]
        assert list(x.to_dict()) == list(record), "the same keys in the same order"


def test_extract_many_same_as_extract(cli_records, corpus_pages):
    results = gleaner.extract_many(corpus_pages)
    assert [r.text for r in results] == [c["text"] for c in cli_records]
    assert all(r.error is None for r in results)
    one = gleaner.extract_many(corpus_pages, threads=1)
    assert [r.to_dict() for r in one] == [r.to_dict() for r in results]


def test_fields(cli_records, corpus_pages):
    record, page = cli_records[0], corpus_pages[0]
    x = gleaner.extract(page, "https://example.org/a")
    assert x.url == "https://example.org/a"
    for key in (
        "title", "authors", "date", "date_modified", "sitename", "description", "language",
        "canonical_url", "categories", "tags", "image", "page_type", "encoding", "truncated",
        "degraded", "error",
    ):
        assert getattr(x, key) == x.to_dict()[key], key
    assert x.encoding == "UTF-8"
    assert gleaner.extract(page.decode("utf-8")).encoding is None
    assert "Extraction(" in repr(x)


def test_str_and_bytes_agree(corpus_pages):
    page = corpus_pages[0]
    assert gleaner.extract(page.decode("utf-8")).text == gleaner.extract(page).text


def test_charset_argument():
    html = "<html><body><article><p>" + "Ça coûte très cher, à mon avis, vraiment. " * 8
    html += "</p></article></body></html>"
    x = gleaner.extract(html.encode("latin-1"), charset="iso-8859-1")
    assert "Ça coûte très cher" in x.text
    assert x.encoding == "windows-1252"


def test_modes_and_formats(corpus_pages):
    page = corpus_pages[0]
    precision = gleaner.extract(page, mode="precision").text
    recall = gleaner.extract(page, mode="recall").text
    assert len(recall) >= len(precision)
    markdown = gleaner.extract(page, format="markdown")
    assert markdown.text
    with pytest.raises(gleaner.ConfigError):
        gleaner.extract(page, mode="loose")
    with pytest.raises(gleaner.ConfigError):
        gleaner.extract(page, format="pdf")


def test_extractor_configs(tmp_path, corpus_pages):
    page = corpus_pages[0]
    default = gleaner.Extractor()
    assert (default.mode, default.format) == ("balanced", "text")
    assert default.extract(page).text == gleaner.extract(page).text
    d = gleaner.Extractor({"mode": "recall", "format": "markdown", "time_budget_ms": 5000})
    assert (d.mode, d.format) == ("recall", "markdown")
    tables = gleaner.Extractor({"extract": {"mode": "precision"}, "limits": {"max_nesting": 256}})
    assert tables.mode == "precision"
    toml = tmp_path / "gleaner.toml"
    toml.write_text('[extract]\nmode = "recall"\n')
    assert gleaner.Extractor(str(toml)).mode == "recall"
    assert gleaner.Extractor(toml).extract(page).text == gleaner.extract(page, mode="recall").text
    with pytest.raises(gleaner.ConfigError):
        gleaner.Extractor({"mood": "recall"})
    with pytest.raises(gleaner.ConfigError):
        gleaner.Extractor({"limits": {"max_nesting": "deep"}})
    with pytest.raises(gleaner.ConfigError):
        gleaner.Extractor(str(tmp_path / "missing.toml"))
    with pytest.raises(TypeError):
        gleaner.Extractor(42)


def test_truncated_by_the_page_cap(corpus_pages):
    small = gleaner.Extractor({"max_page_bytes": 2000})
    x = small.extract(corpus_pages[0])
    assert x.truncated and len(corpus_pages[0]) > 2000


def test_a_python_thread_runs_while_a_batch_extracts(corpus_pages):
    pages = corpus_pages * 40
    ticks = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.05)
        before = ticks[0]
        start = time.perf_counter()
        results = gleaner.extract_many(pages, threads=1)
        elapsed = time.perf_counter() - start
        during = ticks[0] - before
    finally:
        stop.set()
        t.join()
    assert len(results) == len(pages)
    assert elapsed > 0.05, "the batch should take a while"
    # With the GIL held for the whole batch the spinning thread would not tick at all.
    assert during > 1000, f"{during} ticks in {elapsed:.2f}s: the GIL was not released"


def test_one_extractor_from_8_threads(corpus_pages):
    extractor = gleaner.Extractor()
    expected = [extractor.extract(p).to_dict() for p in corpus_pages]
    failures = []

    def work(seed):
        try:
            for i in range(len(corpus_pages)):
                j = (i + seed) % len(corpus_pages)
                got = extractor.extract(corpus_pages[j]).to_dict()
                if got != expected[j]:
                    failures.append((seed, j))
            many = extractor.extract_many(corpus_pages, threads=2)
            if [m.to_dict() for m in many] != expected:
                failures.append((seed, "many"))
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append((seed, repr(e)))

    threads = [threading.Thread(target=work, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


BAD = [
    (b"", "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x00\x01\x02" * 50, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "binary"),
    (b"\x1f\x8b\x08\x00" + bytes(range(256)) * 20, "binary"),
]


@pytest.mark.parametrize("page,word", BAD)
def test_bad_bytes_raise_input_error(page, word):
    with pytest.raises(gleaner.InputError, match=word):
        gleaner.extract(page)
    with pytest.raises(gleaner.GleanerError):
        gleaner.Extractor().extract(page)


@pytest.mark.parametrize("page", [None, 42, 3.5, ["<p>a</p>"], {"html": "x"}, object()])
def test_wrong_types_raise_type_error(page):
    with pytest.raises(TypeError, match="bytes"):
        gleaner.extract(page)


def test_a_batch_survives_bad_pages(corpus_pages):
    pages = [corpus_pages[0], b"", 42, BAD[1][0], None, "<p>hi</p>", bytearray(corpus_pages[1])]
    results = gleaner.extract_many(pages)
    assert len(results) == len(pages)
    assert results[0].error is None and results[0].text
    assert "empty" in results[1].error
    assert "int" in results[2].error
    assert "binary" in results[3].error
    assert "NoneType" in results[4].error
    assert results[5].error is None
    assert results[6].error is None and results[6].text == gleaner.extract(corpus_pages[1]).text
    assert results[1].to_dict()["error"] == results[1].error
    with pytest.raises(TypeError):
        gleaner.extract_many(42)
    with pytest.raises(ValueError):
        gleaner.extract_many([b"a", b"b"], ["https://x.example/"])
    with pytest.raises(ValueError):
        gleaner.extract_many([b"a"], threads=0)


def test_empty_and_odd_text():
    with pytest.raises(gleaner.InputError, match="empty"):
        gleaner.extract("")
    x = gleaner.extract("<html>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000)
    assert isinstance(x.text, str)
    assert gleaner.extract("plain words, no markup").error is None
    assert gleaner.extract("\ud800 lone surrogate".encode("utf-8", "surrogatepass")).error is None


def test_timeout(corpus_pages):
    # A page past its budget is not lost: it gives the fallback's text, marked degraded.
    x = gleaner.extract(corpus_pages[0] * 50, timeout=1e-9)
    assert x.degraded and x.text and x.to_dict()["degraded"]
    full = gleaner.extract(corpus_pages[0], timeout=0)
    assert full.text and not full.degraded
    results = gleaner.extract_many([corpus_pages[0] * 50], timeout=1e-9)
    assert results[0].degraded and results[0].text and results[0].error is None


def test_errors_are_exceptions():
    for e in (gleaner.InputError, gleaner.ConfigError, gleaner.TimeBudgetError, gleaner.PanicError):
        assert issubclass(e, gleaner.GleanerError)
    assert issubclass(gleaner.GleanerError, Exception)


def test_clean_text():
    text = (
        "Home | News | Sport | Contact\n\n"
        "The council approved the new budget on Tuesday after a long debate about the cost "
        "of repairing the old bridge, which has been closed since the spring floods.\n\n"
        "Share on Facebook\n\nAccept cookies\n"
    )
    x = gleaner.clean_text(text)
    assert "The council approved the new budget" in x.text
    assert "Share on Facebook" not in x.text
    assert gleaner.clean_text(text.encode("utf-8")).text == x.text


def test_iter_extract_streams_in_order(corpus_pages):
    n = len(corpus_pages)
    produced = [0]

    def pages():
        for i in range(5 * n):
            produced[0] += 1
            yield corpus_pages[i % n]

    it = gleaner.iter_extract(pages(), batch_size=n)
    first = next(it)
    assert produced[0] <= 2 * n, "a generator is read one batch at a time"
    rest = list(it)
    texts = [first.text] + [r.text for r in rest]
    expected = [gleaner.extract(p).text for p in corpus_pages]
    assert texts == expected * 5
    pairs = list(gleaner.iter_extract(((p, "https://e.example/%d" % i) for i, p in enumerate(corpus_pages[:3]))))
    assert [p.url for p in pairs] == ["https://e.example/0", "https://e.example/1", "https://e.example/2"]
    with pytest.raises(ValueError):
        list(gleaner.iter_extract([b"a", b"b"], ["u"]))


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/statm"), reason="Linux only")
def test_memory_flat_over_10000_pages(corpus_pages):
    n = len(corpus_pages)
    stream = (corpus_pages[i % n] for i in range(10_000))
    extractor = gleaner.Extractor()
    done = 0
    samples = []
    for x in extractor.iter_extract(stream, batch_size=500):
        done += 1
        if done % 1000 == 0:
            samples.append(rss_bytes())
    assert done == 10_000
    # After the first thousand pages (pools, caches, allocator arenas warmed up) the resident
    # size should stay put: growth under 40 MiB over the next 9,000 pages.
    growth = max(samples[1:]) - samples[0]
    assert growth < 40 << 20, [s >> 20 for s in samples]


def test_pickle_round_trips_every_field(cli_records, corpus_pages):
    import copy
    import multiprocessing
    import pickle

    results = gleaner.extract_many(corpus_pages, ids=[f"page-{i}" for i in range(len(corpus_pages))])
    results += [gleaner.extract_many([b"", b"%PDF-1.4 \x00\x01"])[i] for i in range(2)]
    results.append(gleaner.extract(corpus_pages[0].decode("utf-8"), "https://example.org/a", id="s"))
    for x in results:
        for y in (pickle.loads(pickle.dumps(x)), copy.deepcopy(x), gleaner.Extraction.from_dict(x.to_dict())):
            assert type(y) is gleaner.Extraction
            assert y.to_dict() == x.to_dict()
            assert list(y.to_dict()) == list(x.to_dict())
            for key in x.to_dict():
                assert getattr(y, key) == getattr(x, key), key
    # Through another process, as multiprocessing and Spark send results.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        back = pool.map(gleaner.Extraction.from_dict, [x.to_dict() for x in results[:3]])
    assert [b.to_dict() for b in back] == [x.to_dict() for x in results[:3]]


def test_from_dict_reads_cli_records(cli_records):
    for record in cli_records:
        x = gleaner.Extraction.from_dict(record)
        assert x.to_dict() == record
        assert (x.id, x.source) == (record["id"], record["source"])
    extra = gleaner.Extraction.from_dict({"text": "a", "lang": "fr", "n": [1, {"k": None}]})
    assert extra.to_dict()["lang"] == "fr" and extra.to_dict()["n"] == [1, {"k": None}]
    assert extra.page_type == "other" and extra.error is None
    with pytest.raises(ValueError):
        gleaner.Extraction.from_dict({"page_type": "poem"})
    with pytest.raises(ValueError):
        gleaner.Extraction.from_dict({"encoding": "no-such-encoding"})
    with pytest.raises(TypeError):
        gleaner.Extraction.from_dict({"authors": 3})


def test_ids_become_the_record_id(corpus_pages):
    pages = corpus_pages[:3] + [b""]
    ids = ["<urn:uuid:a>", None, "c", "d"]
    results = gleaner.extract_many(pages, ids=ids)
    assert [r.id for r in results] == ids
    assert [r.to_dict()["id"] for r in results] == ids
    assert all(r.source is None and r.to_dict()["source"] is None for r in results)
    assert results[3].error and results[3].id == "d"
    assert gleaner.extract(corpus_pages[0], id="x").to_dict()["id"] == "x"
    assert gleaner.extract(corpus_pages[0]).id is None
    assert gleaner.clean_text("Some text. " * 20, id="t").id == "t"
    streamed = list(gleaner.iter_extract(pages, ids=ids, batch_size=2))
    assert [r.id for r in streamed] == ids
    triples = list(gleaner.iter_extract([(p, None, i) for p, i in zip(pages, ids)], batch_size=3))
    assert [r.id for r in triples] == ids
    with pytest.raises(ValueError):
        gleaner.extract_many(pages, ids=["a"])
    with pytest.raises(ValueError):
        list(gleaner.iter_extract(pages, ids=ids + ["e"]))
    with pytest.raises(ValueError):
        list(gleaner.iter_extract(pages, ids=ids[:2]))
