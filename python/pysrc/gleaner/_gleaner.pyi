from os import PathLike
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

Page = Union[bytes, bytearray, str]

__version__: str

class GleanerError(Exception): ...
class InputError(GleanerError): ...
class ConfigError(GleanerError): ...
class TimeBudgetError(GleanerError): ...
class PanicError(GleanerError): ...

class Extraction:
    """The result of extracting one page."""

    @property
    def text(self) -> str: ...
    @property
    def title(self) -> Optional[str]: ...
    @property
    def authors(self) -> List[str]: ...
    @property
    def date(self) -> Optional[str]: ...
    @property
    def date_modified(self) -> Optional[str]: ...
    @property
    def sitename(self) -> Optional[str]: ...
    @property
    def description(self) -> Optional[str]: ...
    @property
    def language(self) -> Optional[str]: ...
    @property
    def canonical_url(self) -> Optional[str]: ...
    @property
    def categories(self) -> List[str]: ...
    @property
    def tags(self) -> List[str]: ...
    @property
    def image(self) -> Optional[str]: ...
    @property
    def page_type(self) -> str: ...
    @property
    def encoding(self) -> Optional[str]: ...
    @property
    def truncated(self) -> bool: ...
    @property
    def degraded(self) -> bool: ...
    @property
    def error(self) -> Optional[str]: ...
    @property
    def url(self) -> Optional[str]: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def source(self) -> Optional[str]: ...
    @property
    def status(self) -> Optional[int]: ...
    @property
    def fetched_at(self) -> Optional[str]: ...
    @property
    def skipped(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]:
        """The CLI's JSONL record of this page, as a dict."""
    @staticmethod
    def from_dict(record: Mapping[str, Any]) -> "Extraction":
        """The Extraction a ``to_dict()`` dict (or a JSONL record) describes."""
    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any]]]: ...

class Extractor:
    def __init__(
        self,
        config: Union[None, Mapping[str, Any], str, "PathLike[str]"] = None,
        *,
        mode: Optional[str] = None,
        format: Optional[str] = None,
    ) -> None: ...
    @property
    def mode(self) -> str: ...
    @property
    def format(self) -> str: ...
    def extract(
        self,
        page: Page,
        url: Optional[str] = None,
        *,
        id: Optional[str] = None,
        charset: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> Extraction: ...
    def clean_text(
        self,
        text: Union[str, bytes],
        url: Optional[str] = None,
        *,
        id: Optional[str] = None,
        charset: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> Extraction: ...
    def extract_many(
        self,
        pages: Iterable[Page],
        urls: Optional[Iterable[Optional[str]]] = None,
        *,
        ids: Optional[Iterable[Optional[str]]] = None,
        threads: Optional[int] = None,
        charset: Optional[str] = None,
        timeout: Optional[float] = None,
        clean: bool = False,
    ) -> List[Extraction]: ...
    def extract_files(
        self,
        inputs: List[str],
        output: Union[str, "PathLike[str]"],
        *,
        threads: Optional[int] = None,
        include_skipped: bool = False,
        inline: bool = False,
    ) -> Dict[str, Any]:
        """The CLI's batch run over files (pages, WARC, JSONL) into one JSONL file; the summary."""
