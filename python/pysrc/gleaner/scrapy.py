"""A Scrapy item pipeline: ``GleanerPipeline`` turns an item's ``html`` into text and metadata.

    ITEM_PIPELINES = {"gleaner.scrapy.GleanerPipeline": 300}
    GLEANER_MODE = "balanced"        # precision, balanced or recall
    GLEANER_FORMAT = "text"          # text or markdown
    GLEANER_KEEP_HTML = False        # keep the item's html field

For an item (dict or any ``itemadapter``-supported type) carrying ``html`` (str or bytes) and
optionally ``url``, it adds ``text``, ``title`` and the other metadata fields, and ``error``
when the page gave nothing. Items without ``html`` pass through untouched. Install with
``pip install "gleaner-rs[scrapy]"``.
"""

from __future__ import annotations

from typing import Any

from . import Extractor

FIELDS = (
    "text", "title", "authors", "date", "date_modified", "sitename", "description",
    "language", "canonical_url", "categories", "tags", "image", "page_type",
)


class GleanerPipeline:
    """Extracts the main content of items that carry HTML."""

    def __init__(self, mode: str = "balanced", format: str = "text", keep_html: bool = False) -> None:
        self.extractor = Extractor(mode=mode, format=format)
        self.keep_html = keep_html

    @classmethod
    def from_crawler(cls, crawler: Any) -> "GleanerPipeline":
        s = crawler.settings
        return cls(
            mode=s.get("GLEANER_MODE", "balanced"),
            format=s.get("GLEANER_FORMAT", "text"),
            keep_html=s.getbool("GLEANER_KEEP_HTML", False),
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        try:
            from itemadapter import ItemAdapter

            adapter: Any = ItemAdapter(item)
        except ImportError:
            adapter = item
        if "html" not in adapter or adapter["html"] is None:
            return item
        url = adapter.get("url")
        result = self.extractor.extract_many([adapter["html"]], [url], threads=1)[0]
        record = result.to_dict()
        for key in FIELDS:
            try:
                adapter[key] = record[key]
            except KeyError:  # a declared Item without the field: leave it out
                pass
        if result.error is not None:
            try:
                adapter["error"] = result.error
            except KeyError:
                pass
        if not self.keep_html:
            del adapter["html"]
        return item
