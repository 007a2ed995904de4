"""A datatrove step: ``GleanerExtractor``, a drop-in for datatrove's ``Trafilatura`` extractor.

    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from gleaner.datatrove import GleanerExtractor

    pipeline = [WarcReader("crawl/"), GleanerExtractor(timeout=1), JsonlWriter("out/")]

Each document's ``text`` (the HTML, as WarcReader leaves it) becomes the main content, and the
metadata fields (title, authors, date, sitename, language, page_type, …) go into
``doc.metadata``. A document that gives no text (binary, empty, over its time budget, nothing
kept) is dropped and counted in the step's stats, as datatrove's extractors do.

Install with ``pip install "gleaner-rs[datatrove]"``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import Extractor

try:
    from datatrove.pipeline.extractors.base import BaseExtractor as _Base
except ImportError:  # datatrove not installed: the class still imports, for typing and tests
    _Base = object  # type: ignore[assignment,misc]

_METADATA = (
    "title", "authors", "date", "date_modified", "sitename", "description", "language",
    "canonical_url", "categories", "tags", "image", "page_type",
)


def _mode(favour_precision: bool, favour_recall: bool, mode: Optional[str]) -> str:
    if mode is not None:
        return mode
    if favour_precision and favour_recall:
        raise ValueError("favour_precision and favour_recall exclude each other")
    return "precision" if favour_precision else "recall" if favour_recall else "balanced"


class GleanerExtractor(_Base):  # type: ignore[misc,valid-type]
    """Extracts main content with gleaner. ``favour_precision`` / ``favour_recall`` pick the
    mode as trafilatura's flags do (or give ``mode`` directly); ``timeout`` is seconds per
    document; ``format`` is ``"text"`` or ``"markdown"``."""

    name = "⛏ gleaner"
    _requires_dependencies: list = []

    def __init__(
        self,
        favour_precision: bool = False,
        favour_recall: bool = False,
        timeout: float = 1.0,
        mode: Optional[str] = None,
        format: str = "text",
        **_: Any,
    ) -> None:
        if _Base is not object:
            super().__init__(timeout)
        self.timeout = timeout
        self.mode = _mode(favour_precision, favour_recall, mode)
        self.format = format
        self._extractor: Optional[Extractor] = None

    @property
    def extractor(self) -> Extractor:
        # Built lazily: a pipeline step is pickled to its workers, the extractor is not.
        if self._extractor is None:
            self._extractor = Extractor(mode=self.mode, format=self.format)
        return self._extractor

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_extractor"] = None
        return state

    def extract(self, text: str) -> str:
        """The main content of one page (datatrove's extractor interface)."""
        return self.extractor.extract(text, timeout=self.timeout).text

    def run(self, data, rank: int = 0, world_size: int = 1):  # noqa: ANN001 - datatrove's signature
        for doc in data:
            if hasattr(self, "stat_update"):
                self.stat_update("total")
            url = doc.metadata.get("url") if isinstance(doc.metadata, dict) else None
            html = doc.text
            if not isinstance(html, (str, bytes, bytearray)) or not html:
                self._dropped("empty")
                continue
            result = self.extractor.extract_many([html], [url], threads=1, timeout=self.timeout)[0]
            if result.error is not None:
                self._dropped("failed")
                continue
            if not result.text:
                self._dropped("no_text")
                continue
            doc.text = result.text
            record = result.to_dict()
            for key in _METADATA:
                value = record.get(key)
                if value not in (None, [], ""):
                    doc.metadata[key] = value
            if result.encoding:
                doc.metadata["encoding"] = result.encoding
            if hasattr(self, "stat_update"):
                self.stat_update("extracted")
            yield doc

    def _dropped(self, why: str) -> None:
        if hasattr(self, "stat_update"):
            self.stat_update(f"dropped_{why}")
