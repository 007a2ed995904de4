"""gleaner: web pages in, clean article text out.

>>> import gleaner
>>> x = gleaner.extract(html_bytes, "https://example.org/a")
>>> x.title, x.text, x.to_dict()

``extract`` takes one page (bytes in any encoding, or str); ``extract_many`` takes a batch and
extracts it on every core with the GIL released; ``iter_extract`` streams an iterable of any
size through in batches. ``Extractor`` holds one config (mode, format, limits) and is safe to
share between threads. Errors are ``GleanerError`` and its subclasses.
"""

from __future__ import annotations

import functools
import itertools
import os
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ._gleaner import (
    ConfigError,
    Extraction,
    GleanerError,
    InputError,
    PanicError,
    TimeBudgetError,
    __version__,
)
from ._gleaner import Extractor as _NativeExtractor

Page = Union[bytes, bytearray, str]

__all__ = [
    "ConfigError",
    "Extraction",
    "Extractor",
    "GleanerError",
    "InputError",
    "PanicError",
    "TimeBudgetError",
    "__version__",
    "clean_text",
    "extract",
    "extract_many",
    "iter_extract",
]


class Extractor(_NativeExtractor):
    """Extracts main content with one config; build it once, share it between threads.

    ``config`` is None (the defaults), a dict (``{"mode": "recall", "format": "markdown",
    "time_budget_ms": 5000}``, or config.toml's tables ``{"extract": {...}, "limits": {...}}``)
    or the path of a TOML config file. ``mode`` and ``format`` override the config's.
    """

    def iter_extract(
        self,
        pages: Iterable[Page],
        urls: Optional[Iterable[Optional[str]]] = None,
        *,
        ids: Optional[Iterable[Optional[str]]] = None,
        threads: Optional[int] = None,
        batch_size: Optional[int] = None,
        charset: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> Iterator[Extraction]:
        """Extracts an iterable of pages of any length, in order, holding one batch at a time.

        ``pages`` may also yield ``(page, url)`` or ``(page, url, id)`` tuples when ``urls``
        and ``ids`` are None. Each batch (``batch_size`` pages, default 64 per thread) is
        extracted on all cores with the GIL released; a page that fails gives an Extraction
        whose ``error`` says why.
        """
        if batch_size is None:
            batch_size = 64 * (threads or os.cpu_count() or 1)
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if urls is None and ids is None:
            items: Iterator[Tuple[Page, Optional[str], Optional[str]]] = map(_triple, pages)
        else:
            items = _zip_strict(pages, urls, ids)
        while True:
            chunk = list(itertools.islice(items, batch_size))
            if not chunk:
                return
            yield from self.extract_many(
                [p for p, _, _ in chunk],
                [u for _, u, _ in chunk],
                ids=[i for _, _, i in chunk],
                threads=threads,
                charset=charset,
                timeout=timeout,
            )


def _triple(item: Any) -> Tuple[Page, Optional[str], Optional[str]]:
    """A page, a (page, url) pair or a (page, url, id) triple as a triple."""
    if isinstance(item, tuple):
        return (item[0], item[1], item[2] if len(item) > 2 else None)
    return (item, None, None)


def _zip_strict(
    pages: Iterable[Page], urls: Optional[Iterable[Optional[str]]], ids: Optional[Iterable[Optional[str]]]
) -> Iterator[Tuple[Page, Optional[str], Optional[str]]]:
    sentinel = object()
    columns = (pages, itertools.repeat(None) if urls is None else urls, itertools.repeat(None) if ids is None else ids)
    for p, u, i in itertools.zip_longest(*columns, fillvalue=sentinel):
        if p is sentinel:
            # The pages ran out: so must the urls and ids given (the others repeat None).
            if (urls is not None and u is not sentinel) or (ids is not None and i is not sentinel):
                raise ValueError("pages, urls and ids differ in length")
            return
        if u is sentinel or i is sentinel:
            raise ValueError("pages, urls and ids differ in length")
        yield p, u, i  # type: ignore[misc]


@functools.lru_cache(maxsize=None)
def _extractor(mode: str, format: str) -> Extractor:
    return Extractor(mode=mode, format=format)


def extract(
    page: Page,
    url: Optional[str] = None,
    *,
    id: Optional[str] = None,
    format: str = "text",
    mode: str = "balanced",
    charset: Optional[str] = None,
    timeout: Optional[float] = None,
) -> Extraction:
    """Extracts the main content and metadata of one web page.

    ``page`` is bytes (decoded as the CLI decodes them: a byte-order mark, then ``charset``,
    then ``<meta charset>``, then detection) or str. ``format`` is ``"text"`` or
    ``"markdown"``; ``mode`` is ``"precision"``, ``"balanced"`` or ``"recall"``. ``timeout``
    is in seconds (default: the config's 2 s; 0: none). Raises InputError for empty, binary
    or undecodable input. A page still running when the timeout runs out gives the cheap
    fallback's text (its visible text, cleaned) with ``degraded`` set. ``id`` (a WARC record
    id, a database key) becomes the record's ``id``.
    """
    return _extractor(mode, format).extract(page, url, id=id, charset=charset, timeout=timeout)


def clean_text(
    text: Union[str, bytes], url: Optional[str] = None, *, id: Optional[str] = None, mode: str = "balanced"
) -> Extraction:
    """Cleans text that was scraped already: keeps the main content's paragraphs and drops
    the clutter that survived flattening (menus, share lines, cookie notices)."""
    return _extractor(mode, "text").clean_text(text, url, id=id)


def extract_many(
    pages: Iterable[Page],
    urls: Optional[Iterable[Optional[str]]] = None,
    *,
    ids: Optional[Iterable[Optional[str]]] = None,
    threads: Optional[int] = None,
    format: str = "text",
    mode: str = "balanced",
    charset: Optional[str] = None,
    timeout: Optional[float] = None,
) -> List[Extraction]:
    """Extracts many pages on ``threads`` threads (default: all cores) with the GIL released.

    Results come back in input order, one per page; a page that fails (binary, empty, not
    bytes or str, over its time budget) gives an Extraction whose ``error`` says why.
    ``ids`` (one a page, or None) become the records' ``id``.
    """
    return _extractor(mode, format).extract_many(
        pages, urls, ids=ids, threads=threads, charset=charset, timeout=timeout
    )


def iter_extract(
    pages: Iterable[Page],
    urls: Optional[Iterable[Optional[str]]] = None,
    *,
    ids: Optional[Iterable[Optional[str]]] = None,
    threads: Optional[int] = None,
    batch_size: Optional[int] = None,
    format: str = "text",
    mode: str = "balanced",
    charset: Optional[str] = None,
    timeout: Optional[float] = None,
) -> Iterator[Extraction]:
    """``extract_many`` for iterables larger than memory: yields results in input order,
    extracting one batch of ``batch_size`` pages at a time on all cores."""
    return _extractor(mode, format).iter_extract(
        pages, urls, ids=ids, threads=threads, batch_size=batch_size, charset=charset, timeout=timeout
    )
