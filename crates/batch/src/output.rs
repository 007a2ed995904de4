//! Output: one record per input, written as plain text, Markdown, JSON or JSON Lines.
//! Every input yields exactly one record; a failed one carries its error instead of text.

use std::io::Write;

use serde::Serialize;

use crate::front_matter;
use gleaner::Extraction;
use gleaner::Metadata;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    Jsonl,
}

#[derive(Debug, Serialize)]
pub struct Record {
    pub id: String,
    pub source: String,
    pub url: Option<String>,
    /// title, authors, date, date_modified, sitename, description, language, canonical_url,
    /// categories, tags, image, page_type.
    #[serde(flatten)]
    pub metadata: Metadata,
    pub text: String,
    pub encoding: Option<&'static str>,
    pub truncated: bool,
    /// The time budget ran out and `text` is the cheap fallback (the page's visible text,
    /// cleaned as plain text), not the full extraction.
    pub degraded: bool,
    /// The final HTTP status, for a fetched URL (None for local inputs).
    pub status: Option<u16>,
    /// When the final response arrived (RFC 3339, UTC), for a fetched URL.
    pub fetched_at: Option<String>,
    pub error: Option<String>,
    /// Why the record was not extracted (not HTML, a WARC `request` record…); such records
    /// are written only with `--include-skipped`.
    pub skipped: Option<String>,
    /// The other fields of a JSONL input record, passed through unchanged.
    #[serde(flatten)]
    pub passthrough: serde_json::Map<String, serde_json::Value>,
}

impl Record {
    pub fn new(
        id: String,
        source: String,
        url: Option<String>,
        result: Result<Extraction, crate::Error>,
    ) -> Record {
        let mut record = Record {
            id,
            source,
            url,
            metadata: Metadata::default(),
            text: String::new(),
            encoding: None,
            truncated: false,
            degraded: false,
            status: None,
            fetched_at: None,
            error: None,
            skipped: None,
            passthrough: serde_json::Map::new(),
        };
        match result {
            Ok(x) => {
                record.metadata = x.metadata;
                record.text = x.text;
                record.encoding = x.encoding;
                record.truncated = x.truncated;
                record.degraded = x.degraded;
            }
            Err(e) => record.error = Some(e.to_string()),
        }
        record
    }
}

/// Writes records in one format. `many` says whether more than one record will be written
/// (text formats then put a `==> source <==` header before each, as `head` does).
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    many: bool,
    written: usize,
    with_metadata: bool,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: Format, many: bool) -> Self {
        Writer {
            out,
            format,
            many,
            written: 0,
            with_metadata: false,
        }
    }

    /// Plain text gets `title:`/`author:`/`date:` lines before the text (Markdown always
    /// has its front matter; JSON always has the fields).
    pub fn with_metadata(mut self, on: bool) -> Self {
        self.with_metadata = on;
        self
    }

    pub fn write(&mut self, r: &Record) -> std::io::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, r)?;
                writeln!(self.out)?;
            }
            Format::Json => {
                let sep = match (self.many, self.written) {
                    (true, 0) => "[\n",
                    (true, _) => ",\n",
                    (false, _) => "",
                };
                write!(self.out, "{sep}")?;
                serde_json::to_writer_pretty(&mut self.out, r)?;
                if !self.many {
                    writeln!(self.out)?;
                }
            }
            Format::Text | Format::Markdown => {
                if self.many {
                    if self.written > 0 {
                        writeln!(self.out)?;
                    }
                    writeln!(self.out, "==> {} <==", r.source)?;
                }
                if let Some(e) = &r.error {
                    eprintln!("gleaner: {}: {e}", r.source);
                } else {
                    let header = match self.format {
                        Format::Markdown => front_matter::yaml(&r.metadata),
                        _ if self.with_metadata => front_matter::lines(&r.metadata),
                        _ => String::new(),
                    };
                    if !header.is_empty() {
                        writeln!(self.out, "{header}")?;
                    }
                    if !r.text.is_empty() {
                        writeln!(self.out, "{}", r.text)?;
                    }
                }
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Pushes buffered output out (between records: a reader downstream sees whole lines).
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        if self.format == Format::Json && self.many {
            if self.written == 0 {
                write!(self.out, "[")?;
            }
            writeln!(self.out, "\n]")?;
        }
        self.out.flush()
    }
}
