//! Input: turns the command line's INPUTs into records to extract: web-page files (any of
//! them `.gz`), WARC files (`warc.rs`), JSON Lines files (`jsonl.rs`), directories (walked
//! recursively, in name order, for those files), and `-` for stdin.
//!
//! The reader only frames records ([`records`]); the work that can run in parallel (reading a
//! page file, decoding an HTTP body, parsing a JSON line) is left in a [`Pending`] for the
//! worker threads. Reading is bounded: no page is read past the configured page size.

// Input-derived data: no indexing or string slicing that could panic on a hostile page
// (here and in every submodule).
#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

pub mod http;
pub mod jsonl;
pub mod stdin;
pub mod warc;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::error::Error;

/// How much of a record is read: pages are cut at `max_page_bytes` (and reported as
/// truncated), JSONL lines longer than `max_line_bytes` are error records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    pub max_page_bytes: usize,
    pub max_line_bytes: usize,
}

impl ReadLimits {
    pub fn new(limits: &gleaner::Limits, batch: &crate::BatchConfig) -> ReadLimits {
        ReadLimits {
            max_page_bytes: limits.max_page_bytes,
            max_line_bytes: batch.max_line_bytes,
        }
    }
}

impl Default for ReadLimits {
    fn default() -> ReadLimits {
        ReadLimits::new(&gleaner::Limits::default(), &crate::BatchConfig::default())
    }
}

/// What an input holds. Chosen by file extension, or by `--input-format` (needed for stdin).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// One web page per file.
    Html,
    /// WARC/1.0 or 1.1 records, plain or gzip per record (Common Crawl's `.warc.gz`).
    Warc,
    /// One JSON object per line: `{"id", "url", "html"}` or `html_base64`, or `text` for
    /// text that was scraped already.
    Jsonl,
    /// Plain text scraped already (`.txt`): cleaned by the paragraph classifier.
    Text,
}

impl InputFormat {
    /// The format a file name says (case-insensitively, `.gz` or not): `.html`, `.htm`,
    /// `.xhtml`; `.warc`; `.jsonl`. None for anything else.
    pub fn of_path(path: &Path) -> Option<InputFormat> {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_lowercase());
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = |e: &str| name.ends_with(e);
        if ext(".html") || ext(".htm") || ext(".xhtml") {
            Some(InputFormat::Html)
        } else if ext(".warc") {
            Some(InputFormat::Warc)
        } else if ext(".jsonl") {
            Some(InputFormat::Jsonl)
        } else if ext(".txt") {
            Some(InputFormat::Text)
        } else {
            None
        }
    }

    /// Whether an input of this format holds many records (so output is a stream of them).
    pub fn holds_many(self) -> bool {
        matches!(self, InputFormat::Warc | InputFormat::Jsonl)
    }
}

/// Where a page comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    /// The name shown in output and errors: the path, or "-" for stdin.
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
        }
    }

    /// The record id: the file name without `.gz` and without `.html`/`.htm`/`.xhtml`.
    pub fn id(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            Source::File(p) => {
                let name = p
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                let stem = strip_extension(&name, ".gz").unwrap_or(&name);
                [".html", ".htm", ".xhtml"]
                    .iter()
                    .find_map(|ext| strip_extension(stem, ext))
                    .unwrap_or(stem)
                    .to_string()
            }
        }
    }
}

/// `name` without the extension `ext` (compared case-insensitively, as the directory walk
/// does); None when it does not end so, or is nothing but the extension.
fn strip_extension<'a>(name: &'a str, ext: &str) -> Option<&'a str> {
    let cut = name.len().checked_sub(ext.len())?;
    let (stem, tail) = name.split_at_checked(cut)?;
    (!stem.is_empty() && tail.eq_ignore_ascii_case(ext)).then_some(stem)
}

/// Expands INPUT arguments into sources. Directories are walked for the files whose
/// extension names an input format (only `only`'s, when given; `.txt` files only when text
/// is asked for, since a folder of pages holds notes and expected outputs too). A path that does not exist is
/// still returned (as a file), so that it yields a record with an error instead of vanishing.
pub fn expand(inputs: &[String], only: Option<InputFormat>) -> Vec<Source> {
    let wanted = |path: &Path| {
        InputFormat::of_path(path).is_some_and(|f| match only {
            Some(only) => only == f,
            None => f != InputFormat::Text,
        })
    };
    let mut out = Vec::new();
    for input in inputs {
        if input == "-" {
            out.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(input);
        if path.is_dir() {
            let walk = walkdir::WalkDir::new(&path)
                .sort_by_file_name()
                .follow_links(true);
            for entry in walk {
                match entry {
                    Ok(e) if e.file_type().is_file() && wanted(e.path()) => {
                        out.push(Source::File(e.into_path()))
                    }
                    Ok(_) => {}
                    // An unreadable directory entry becomes a record with its error.
                    Err(e) => out.push(Source::File(
                        e.path().map_or_else(|| path.clone(), Path::to_path_buf),
                    )),
                }
            }
        } else {
            out.push(Source::File(path));
        }
    }
    out
}

/// Reads a source's bytes, unpacking gzip (by extension or magic bytes), at most `limit` + 1
/// bytes so the caller can tell that a page was cut.
pub fn read(source: &Source, limit: usize) -> Result<Vec<u8>, Error> {
    match source {
        Source::Stdin => read_from(std::io::stdin().lock(), limit, 0),
        Source::File(p) => {
            let file = std::fs::File::open(p)?;
            let size = file.metadata().map_or(0, |m| m.len());
            read_from(file, limit, size)
        }
    }
}

/// [`read`] from an open reader, `size_hint` bytes long if known (0 if not). The buffers are
/// sized up front (growing them by doubling copied every page about twice).
fn read_from(input: impl Read, limit: usize, size_hint: u64) -> Result<Vec<u8>, Error> {
    let cap = limit as u64 + 1;
    let mut raw = Vec::with_capacity(size_hint.min(cap) as usize);
    input.take(cap).read_to_end(&mut raw)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(gzip_size_hint(&raw).min(cap) as usize);
        flate2::read::MultiGzDecoder::new(&raw[..])
            .take(cap)
            .read_to_end(&mut out)
            .map_err(Error::Gzip)?;
        return Ok(out);
    }
    Ok(raw)
}

/// Deflate packs at most this many bytes into one.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// The unpacked size a gzip file claims (its last member's ISIZE field, the last four bytes),
/// trusted only as far as deflate can pack: a hint for the buffer, never a promise.
fn gzip_size_hint(gz: &[u8]) -> u64 {
    let Some(&tail) = gz.last_chunk::<4>() else {
        return 0;
    };
    u64::from(u32::from_le_bytes(tail)).min((gz.len() as u64).saturating_mul(MAX_DEFLATE_RATIO))
}

/// Opens a file, or stdin that `stop` ends, for reading.
fn open_raw(source: &Source, stop: &Arc<AtomicBool>) -> Result<Box<dyn Read + Send>, Error> {
    Ok(match source {
        Source::Stdin => Box::new(stdin::Stdin::new(stop.clone())),
        Source::File(p) => Box::new(std::fs::File::open(p)?),
    })
}

/// Buffers a file or stdin for streaming, unpacking gzip when the data starts with its magic
/// bytes (whatever the name says).
pub fn open_stream(raw: Box<dyn Read + Send>) -> Result<Box<dyn BufRead + Send>, Error> {
    let mut reader = BufReader::with_capacity(256 * 1024, raw);
    if reader.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(reader);
        return Ok(Box::new(BufReader::with_capacity(256 * 1024, gz)));
    }
    Ok(Box::new(reader))
}

/// One record read from an input, not yet extracted.
pub struct Item {
    /// The input it came from, as named on the command line (or found in a directory).
    pub source: Arc<str>,
    /// The record id: a page file's name, the `WARC-Record-ID`, a JSONL line's `id` (or, until
    /// the line is parsed, its line number).
    pub id: String,
    pub url: Option<String>,
    /// For a WARC record: the HTTP status of the response, and when it was archived
    /// (`WARC-Date`).
    pub status: Option<u16>,
    pub fetched_at: Option<String>,
    pub content: Content,
}

/// What became of a record at reading time.
pub enum Content {
    /// A page to extract, after the worker's part of the reading.
    Page(Pending),
    /// Not a page (a PDF, a WARC `request` record, …): counted, and written only with
    /// `--include-skipped`. The string says why.
    Skipped(String),
    /// Unreadable: an error record.
    Failed(Error),
}

/// The part of reading a record that a worker thread does.
pub enum Pending {
    /// A web-page file (or stdin), read whole up to the page cap.
    File(Source),
    /// A plain-text file (or stdin), read whole up to the page cap.
    TextFile(Source),
    /// Stdin (a web page, or plain text when `is_text`), read whole up to the page cap
    /// unless a stop request comes first.
    Stdin { stdin: stdin::Stdin, is_text: bool },
    /// A WARC `response` record's HTTP body, still chunked or compressed as the server sent
    /// it; `cut` says the reader stopped at the page cap.
    Http {
        head: http::ResponseHead,
        body: Vec<u8>,
        cut: bool,
    },
    /// A page's bytes as they are (a WARC `resource` record), with the charset its
    /// Content-Type declares.
    Bytes {
        bytes: Vec<u8>,
        charset: Option<String>,
    },
    /// One line of a JSONL input.
    JsonLine { line: u64, bytes: Vec<u8> },
}

/// A record ready for the extractor, or the error that stopped it.
pub struct Opened {
    /// A JSONL line's own `id` and `url` (they replace the item's).
    pub id: Option<String>,
    pub url: Option<String>,
    /// A JSONL line's other fields, passed through to the output unchanged.
    pub passthrough: serde_json::Map<String, serde_json::Value>,
    /// The page's bytes and the transport charset, if one is known.
    pub page: Result<(Vec<u8>, Option<String>), Error>,
    /// The bytes are plain text scraped already, not a web page.
    pub is_text: bool,
}

impl Pending {
    /// The bytes this record holds in memory while it waits for a worker.
    pub fn held_bytes(&self) -> usize {
        match self {
            Pending::File(_) | Pending::TextFile(_) | Pending::Stdin { .. } => 0,
            Pending::Http { body, .. } => body.len(),
            Pending::Bytes { bytes, .. } => bytes.len(),
            Pending::JsonLine { bytes, .. } => bytes.len(),
        }
    }

    /// Finishes reading: reads the file, decodes the HTTP body, or parses the JSON line.
    pub fn open(self, limits: &ReadLimits) -> Opened {
        let plain = |page| Opened {
            id: None,
            url: None,
            passthrough: serde_json::Map::new(),
            page,
            is_text: false,
        };
        match self {
            Pending::File(source) => plain(read(&source, limits.max_page_bytes).map(|b| (b, None))),
            Pending::TextFile(source) => Opened {
                is_text: true,
                ..plain(read(&source, limits.max_page_bytes).map(|b| (b, None)))
            },
            Pending::Stdin { stdin, is_text } => Opened {
                is_text,
                ..plain(read_from(stdin, limits.max_page_bytes, 0).map(|b| (b, None)))
            },
            Pending::Http { head, body, cut } => plain(
                http::decode_body(body, &head, cut, limits.max_page_bytes)
                    .map(|b| (b, head.charset.clone())),
            ),
            Pending::Bytes { bytes, charset } => plain(Ok((bytes, charset))),
            Pending::JsonLine { line, bytes } => jsonl::parse_line(line, &bytes),
        }
    }
}

/// The records of one input, in order: a web-page file is one record; a WARC or JSONL input
/// holds many. An input that cannot be opened is one failed record. A read of stdin that
/// waits when `stop` is set fails (see [`stdin::is_stopped`]).
pub fn records(
    source: Source,
    format: InputFormat,
    limits: &ReadLimits,
    stop: &Arc<AtomicBool>,
) -> Box<dyn Iterator<Item = Item> + Send> {
    let name: Arc<str> = source.name().into();
    if matches!(format, InputFormat::Html | InputFormat::Text) {
        let id = source.id();
        let is_text = format == InputFormat::Text;
        let pending = match source {
            Source::Stdin => Pending::Stdin {
                stdin: stdin::Stdin::new(stop.clone()),
                is_text,
            },
            _ if is_text => Pending::TextFile(source),
            _ => Pending::File(source),
        };
        let item = Item {
            source: name,
            id,
            url: None,
            status: None,
            fetched_at: None,
            content: Content::Page(pending),
        };
        return Box::new(std::iter::once(item));
    }
    let opened = match format {
        InputFormat::Warc => open_raw(&source, stop).map(|r| {
            Box::new(warc::WarcItems::new(r, name.clone(), limits))
                as Box<dyn Iterator<Item = Item> + Send>
        }),
        _ => open_raw(&source, stop).and_then(open_stream).map(|r| {
            Box::new(jsonl::JsonlItems::new(r, name.clone(), limits))
                as Box<dyn Iterator<Item = Item> + Send>
        }),
    };
    opened.unwrap_or_else(|e| {
        Box::new(std::iter::once(Item {
            source: name,
            id: source.id(),
            url: None,
            status: None,
            fetched_at: None,
            content: Content::Failed(e),
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        let of = |p: &str| InputFormat::of_path(Path::new(p));
        assert_eq!(of("a/CC-MAIN-1.warc.gz"), Some(InputFormat::Warc));
        assert_eq!(of("x.WARC"), Some(InputFormat::Warc));
        assert_eq!(of("pages.jsonl.gz"), Some(InputFormat::Jsonl));
        assert_eq!(of("page.HTM"), Some(InputFormat::Html));
        assert_eq!(of("notes.txt"), Some(InputFormat::Text));
        assert_eq!(of("notes.md"), None);
        assert_eq!(of("archive.gz"), None);
    }

    #[test]
    fn ids_drop_page_extensions() {
        assert_eq!(Source::File("a/b/page.html.gz".into()).id(), "page");
        assert_eq!(Source::File("x.xhtml".into()).id(), "x");
        assert_eq!(Source::File("notes.txt".into()).id(), "notes.txt");
        assert_eq!(Source::File("PAGE.HTML".into()).id(), "PAGE");
    }

    #[test]
    fn a_gzip_file_claims_its_size_only_as_far_as_deflate_can_pack() {
        use std::io::Write;
        let page = "<p>same words again</p>".repeat(2000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(page.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(gzip_size_hint(&gz), page.len() as u64);
        assert_eq!(
            read_from(&gz[..], 1 << 20, gz.len() as u64).unwrap(),
            page.as_bytes()
        );
        // A hostile tail claims 4 GB of a 20-byte file: the hint stays within deflate's reach.
        let mut lie = gz[..16].to_vec();
        lie.extend([0xff; 4]);
        assert_eq!(gzip_size_hint(&lie), 20 * MAX_DEFLATE_RATIO);
        assert_eq!(gzip_size_hint(&[0x1f, 0x8b]), 0);
    }
}
