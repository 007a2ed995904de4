//! WARC: reads the records of a WARC/1.0 or 1.1 file, plain or gzip-compressed record by
//! record (as Common Crawl writes them), streaming: a record's header and at most a capped
//! prefix of its block are in memory, never the file.
//!
//! Our own reader rather than the `warc` crate: that one decodes a `.warc.gz` as one gzip
//! stream, so a single corrupt member ends the file, and it buffers whole blocks. Here a
//! corrupt member, a malformed header or a truncated record becomes one error and reading
//! goes on at the next gzip member (or, in a plain WARC, at the next `WARC/` version line).
//!
//! [`WarcReader`] frames records; [`WarcItems`] turns them into [`Item`]s: `response` records
//! with an HTML payload (and HTML `resource` records) become pages, everything else is
//! skipped with the reason.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use flate2::bufread::GzDecoder;

use super::http::{self, MAX_HEAD_BYTES};
use super::{Content, Item, Pending};
use crate::error::Error;
use crate::input::ReadLimits;

/// WARC headers longer than this are not headers (Common Crawl's are under 1 KiB).
const MAX_HEADER_BYTES: u64 = 64 * 1024;
/// Read buffer for the raw (compressed) file.
const INPUT_BUFFER: usize = 256 * 1024;
/// Buffer for one gzip member's decompressed bytes.
const MEMBER_BUFFER: usize = 64 * 1024;

/// The header fields of one record that gleaner uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Where the record starts in the file: the offset of its gzip member (what Common
    /// Crawl's index calls `offset`), or its byte offset in a plain WARC.
    pub offset: u64,
    /// `WARC-Type`, lowercased: `response`, `request`, `metadata`, `warcinfo`…
    pub warc_type: String,
    pub record_id: Option<String>,
    pub target_uri: Option<String>,
    /// `WARC-Date`: when the record was captured.
    pub date: Option<String>,
    /// The block's `Content-Type` (`application/http; msgtype=response` for responses).
    pub content_type: Option<String>,
    pub content_length: u64,
}

/// Reads records one at a time: `next_header`, then any number of `read_block` calls, then
/// `finish_record`, which says whether the record was read intact.
pub struct WarcReader<R: Read> {
    stream: Stream<R>,
    /// Unread bytes of the current record's block.
    block_left: u64,
    /// A header was read and `finish_record` not yet called.
    in_record: bool,
    /// Reading failed: the next `next_header` skips ahead to where a record can start, and
    /// does not report the debris it passes on the way (the failure was reported).
    lost: bool,
    /// Where the current record (or its gzip member) starts.
    record_start: u64,
}

/// The decompressed bytes of the file.
enum Stream<R: Read> {
    Plain(Input<R>),
    /// A gzip file between members.
    GzIdle(Input<R>),
    /// Inside the gzip member that starts at the given offset.
    GzMember(Box<BufReader<GzDecoder<Input<R>>>>, u64),
    /// Only while switching states.
    Swapping,
}

impl<R: Read> WarcReader<R> {
    /// A reader over `inner`; gzip or not is told by the first two bytes.
    pub fn new(inner: R) -> WarcReader<R> {
        let mut input = Input::new(inner);
        let gzip = matches!(input.peek(2), Ok(b) if b.starts_with(&[0x1f, 0x8b]));
        WarcReader {
            stream: if gzip {
                Stream::GzIdle(input)
            } else {
                Stream::Plain(input)
            },
            block_left: 0,
            in_record: false,
            lost: false,
            record_start: 0,
        }
    }

    /// Reads the next record's header; None at the end of the input. After an error, the
    /// next call goes on with the record after the damage.
    pub fn next_header(&mut self) -> Option<Result<Header, Error>> {
        if self.in_record {
            // The caller did not finish the last record: its fate is already told.
            let _ = self.finish_record();
        }
        loop {
            if self.lost {
                self.stream.skip_damage(self.record_start);
            }
            let (offset, result) = match self.stream.start_record() {
                Ok(None) => return None,
                Ok(Some(offset)) => (offset, read_header(self.stream.reader(), offset)),
                Err((offset, e)) => (offset, Err(describe(&e))),
            };
            self.record_start = offset;
            match result {
                Ok(header) => {
                    self.lost = false;
                    self.in_record = true;
                    self.block_left = header.content_length;
                    return Some(Ok(header));
                }
                Err(_) if self.lost => continue,
                Err(message) => {
                    self.lost = true;
                    return Some(Err(Error::Warc { offset, message }));
                }
            }
        }
    }

    /// Appends the current record's block to `buf` until `buf` holds `up_to` bytes or the
    /// block ends; returns whether unread block bytes remain.
    pub fn read_block(&mut self, buf: &mut Vec<u8>, up_to: usize) -> Result<bool, Error> {
        let want = (up_to.saturating_sub(buf.len()) as u64).min(self.block_left);
        let got = self
            .stream
            .reader()
            .take(want)
            .read_to_end(buf)
            .map_err(|e| self.fail(describe(&e)))? as u64;
        self.block_left -= got;
        if got < want {
            return Err(self.fail(format!(
                "truncated: the input ends {} bytes before the record does",
                self.block_left
            )));
        }
        Ok(self.block_left > 0)
    }

    /// Skips the rest of the current record and checks that it arrived whole: the block
    /// complete and, in a gzip file, its member's checksum right.
    pub fn finish_record(&mut self) -> Result<(), Error> {
        if !self.in_record {
            return Ok(());
        }
        self.in_record = false;
        let left = self.block_left;
        let skipped = io::copy(&mut self.stream.reader().take(left), &mut io::sink())
            .map_err(|e| self.fail(describe(&e)))?;
        self.block_left = 0;
        if skipped < left {
            return Err(self.fail(format!(
                "truncated: the input ends {} bytes before the record does",
                left - skipped
            )));
        }
        // The two CRLFs after the block (writers that drop them or add more are forgiven),
        // then the start of the next record or the end of the data. Anything else means the
        // Content-Length was wrong or the data garbled: this record is not to be trusted.
        // In a gzip member that ends here, the read also checks the member's CRC.
        match self.stream.after_record() {
            Ok(true) => Ok(()),
            Ok(false) => Err(self.fail(
                "the data after the record is not a WARC record: wrong Content-Length or garbled data"
                    .into(),
            )),
            Err(e) => Err(self.fail(describe(&e))),
        }
    }

    /// Marks the reader lost and builds the error for the current record.
    fn fail(&mut self, message: String) -> Error {
        self.lost = true;
        self.in_record = false;
        Error::Warc {
            offset: self.record_start,
            message,
        }
    }
}

/// What an I/O error while reading means for the reader of a WARC file.
fn describe(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        "truncated: the input ends inside this record".to_string()
    } else {
        format!("corrupt data: {e}")
    }
}

impl<R: Read> Stream<R> {
    /// Moves to where the next record starts; returns its offset, None at the end of input.
    fn start_record(&mut self) -> Result<Option<u64>, (u64, io::Error)> {
        loop {
            match self {
                Stream::Plain(input) => {
                    let offset = input.consumed;
                    let empty = input.fill_buf().map_err(|e| (offset, e))?.is_empty();
                    return Ok((!empty).then_some(offset));
                }
                Stream::GzMember(member, start) => {
                    let start = *start;
                    if !member.fill_buf().map_err(|e| (start, e))?.is_empty() {
                        // Another record in the same member.
                        return Ok(Some(start));
                    }
                    let Stream::GzMember(member, _) = std::mem::replace(self, Stream::Swapping)
                    else {
                        unreachable!()
                    };
                    *self = Stream::GzIdle(member.into_inner().into_inner());
                }
                Stream::GzIdle(input) => {
                    let start = input.consumed;
                    if input.fill_buf().map_err(|e| (start, e))?.is_empty() {
                        return Ok(None);
                    }
                    let Stream::GzIdle(input) = std::mem::replace(self, Stream::Swapping) else {
                        unreachable!()
                    };
                    let member = BufReader::with_capacity(MEMBER_BUFFER, GzDecoder::new(input));
                    *self = Stream::GzMember(Box::new(member), start);
                }
                Stream::Swapping => unreachable!("a stream is never left swapping"),
            }
        }
    }

    /// Consumes the line breaks after a record; says whether what follows is the end of the
    /// data (or of the gzip member) or the start of another record.
    fn after_record(&mut self) -> io::Result<bool> {
        const START: &[u8] = b"WARC/";
        let reader = self.reader();
        for _ in 0..64 {
            match reader.fill_buf()? {
                [b'\r' | b'\n', ..] => reader.consume(1),
                _ => break,
            }
        }
        let next = match self {
            Stream::Plain(input) => input.peek(START.len())?,
            // A member buffer may end inside "WARC/": a prefix is taken as a start.
            Stream::GzMember(member, _) => member.fill_buf()?,
            Stream::GzIdle(_) | Stream::Swapping => return Ok(true),
        };
        // The shorter of the two is a prefix of the other.
        Ok(next.starts_with(START) || START.starts_with(next))
    }

    /// The decompressed bytes of the current record.
    fn reader(&mut self) -> &mut dyn BufRead {
        match self {
            Stream::Plain(input) | Stream::GzIdle(input) => input,
            Stream::GzMember(member, _) => member,
            Stream::Swapping => unreachable!("a stream is never left swapping"),
        }
    }

    /// After damage, moves to the next place a record may start: the next gzip member's
    /// magic bytes, or the next `WARC/` version line. Always moves past `damage_at`, where
    /// the damaged record starts.
    fn skip_damage(&mut self, damage_at: u64) {
        let (mut input, gzip) = match std::mem::replace(self, Stream::Swapping) {
            Stream::Plain(input) => (input, false),
            Stream::GzIdle(input) => (input, true),
            Stream::GzMember(member, _) => (member.into_inner().into_inner(), true),
            Stream::Swapping => unreachable!("a stream is never left swapping"),
        };
        // Look again from just after the damaged record's start while those bytes are still
        // buffered: the damage may have been read past the start of the next record.
        if !input.rewind_to(damage_at + 1) && input.consumed <= damage_at {
            input.consume(1);
        }
        if gzip {
            let _ = input.skip_to(&[0x1f, 0x8b, 0x08]);
            *self = Stream::GzIdle(input);
        } else {
            // A record may start right here (after a header that failed) or after a newline.
            let here = matches!(input.peek(5), Ok(b) if b.starts_with(b"WARC/"));
            if !here && input.skip_to(b"\nWARC/").unwrap_or(false) {
                input.consume(1);
            }
            *self = Stream::Plain(input);
        }
    }
}

/// Reads a record header: the `WARC/` version line, then fields up to a blank line.
fn read_header(reader: &mut dyn BufRead, offset: u64) -> Result<Header, String> {
    let mut header = Header {
        offset,
        ..Header::default()
    };
    let mut limited = reader.take(MAX_HEADER_BYTES);
    let mut line = Vec::new();
    // Blank lines between records (extra CRLFs) are forgiven.
    loop {
        line.clear();
        let n = limited
            .read_until(b'\n', &mut line)
            .map_err(|e| describe(&e))?;
        if n == 0 {
            return Err("truncated: the input ends inside a record header".into());
        }
        if !line.trim_ascii().is_empty() {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        let shown: String = String::from_utf8_lossy(&line).chars().take(40).collect();
        return Err(format!("not a WARC record: {:?}", shown.trim_end()));
    }
    let mut content_length = None;
    loop {
        line.clear();
        let n = limited
            .read_until(b'\n', &mut line)
            .map_err(|e| describe(&e))?;
        if n == 0 {
            return Err(if limited.limit() == 0 {
                format!("header longer than {} KiB", MAX_HEADER_BYTES / 1024)
            } else {
                "truncated: the input ends inside a record header".into()
            });
        }
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            break;
        }
        // A line starting with white space continues the previous field (RFC 822 folding);
        // only the fields below matter, and none of them is folded in practice.
        if text.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => header.warc_type = value.to_ascii_lowercase(),
            "warc-record-id" => header.record_id = Some(value),
            "warc-target-uri" => {
                // WARC/1.0 examples wrap the URI in angle brackets.
                let uri = value.trim_start_matches('<').trim_end_matches('>');
                header.target_uri = Some(uri.to_string());
            }
            "warc-date" => header.date = Some(value),
            "content-type" => header.content_type = Some(value),
            "content-length" => content_length = value.parse::<u64>().ok(),
            _ => {}
        }
    }
    header.content_length =
        content_length.ok_or_else(|| "no valid Content-Length in the header".to_string())?;
    Ok(header)
}

/// A buffered reader that counts consumed bytes (for offsets) and can look ahead several
/// bytes (for finding the next gzip member after damage).
struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    consumed: u64,
    /// The underlying read failed (a bad disk, a closed pipe): after that error is reported
    /// once, the input ends here, instead of failing again at every attempt to move on.
    failed: bool,
}

impl<R: Read> Input<R> {
    fn new(inner: R) -> Input<R> {
        Input {
            inner,
            buf: vec![0; INPUT_BUFFER],
            pos: 0,
            end: 0,
            consumed: 0,
            failed: false,
        }
    }

    /// The next bytes without consuming them: at least `n` (up to the buffer size) unless
    /// the input ends first.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        let n = n.min(self.buf.len());
        if self.end - self.pos < n && !self.failed {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
            while self.end < n {
                let free = self.buf.get_mut(self.end..).unwrap_or_default();
                match self.inner.read(free) {
                    Ok(0) => break,
                    Ok(k) => self.end += k,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.failed = true;
                        return Err(e);
                    }
                }
            }
        }
        Ok(self.buffered())
    }

    /// The bytes read and not yet consumed.
    fn buffered(&self) -> &[u8] {
        self.buf.get(self.pos..self.end).unwrap_or_default()
    }

    /// Goes back to `offset` if the bytes from there are still in the buffer.
    fn rewind_to(&mut self, offset: u64) -> bool {
        match self.consumed.checked_sub(offset) {
            Some(back) if back <= self.pos as u64 => {
                self.pos -= back as usize;
                self.consumed = offset;
                true
            }
            _ => false,
        }
    }

    /// Consumes bytes up to the next occurrence of `pattern` (left unconsumed); false, with
    /// everything consumed, when there is none.
    fn skip_to(&mut self, pattern: &[u8]) -> io::Result<bool> {
        loop {
            let window = self.peek(INPUT_BUFFER)?;
            if window.len() < pattern.len() {
                let n = window.len();
                self.consume(n);
                return Ok(false);
            }
            if let Some(i) = memchr::memmem::find(window, pattern) {
                self.consume(i);
                return Ok(true);
            }
            // Keep the tail: the pattern may straddle the next read.
            let n = window.len() - (pattern.len() - 1);
            self.consume(n);
        }
    }
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        // Reading from the slice copies as much as fits in `out`.
        let n = self.fill_buf()?.read(out)?;
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.end {
            return self.peek(1);
        }
        Ok(self.buffered())
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.pos);
        self.pos += n;
        self.consumed += n as u64;
    }
}

/// The records of a WARC input as items to extract, skip, or report.
pub struct WarcItems<R: Read> {
    reader: WarcReader<R>,
    source: Arc<str>,
    max_page_bytes: usize,
}

impl<R: Read> WarcItems<R> {
    pub fn new(inner: R, source: Arc<str>, limits: &ReadLimits) -> WarcItems<R> {
        WarcItems {
            reader: WarcReader::new(inner),
            source,
            max_page_bytes: limits.max_page_bytes,
        }
    }

    /// Reads what a record needs: the HTTP head of a response, the whole page when it is one.
    /// A response's HTTP status goes to `status`.
    fn content(&mut self, header: &Header, status: &mut Option<u16>) -> Result<Content, Error> {
        let (block_mime, block_charset) = header
            .content_type
            .as_deref()
            .map_or((None, None), http::content_type);
        match header.warc_type.as_str() {
            "response" => {
                let mut block = Vec::new();
                self.reader.read_block(&mut block, MAX_HEAD_BYTES)?;
                let is_http = block_mime.as_deref() == Some("application/http")
                    || block.starts_with(b"HTTP/");
                if !is_http {
                    let what = block_mime.unwrap_or_else(|| "no Content-Type".into());
                    return Ok(Content::Skipped(format!("WARC response of type {what}")));
                }
                let head = http::parse_head(&block).map_err(Error::Http)?;
                *status = Some(head.status);
                if !(200..300).contains(&head.status) {
                    return Ok(Content::Skipped(format!("HTTP status {}", head.status)));
                }
                // A compressed body without a type cannot be sniffed: it goes to the extractor,
                // which rejects binary data with an error.
                let body_start = block.get(head.len..).unwrap_or_default();
                let unsniffable = head.mime.is_none() && !head.encodings.is_empty();
                if !unsniffable && !http::is_html(head.mime.as_deref(), body_start) {
                    let what = head.mime.unwrap_or_else(|| "unrecognised data".into());
                    return Ok(Content::Skipped(format!("not HTML: {what}")));
                }
                let cut = self
                    .reader
                    .read_block(&mut block, head.len + self.max_page_bytes + 1)?;
                block.drain(..head.len.min(block.len()));
                Ok(Content::Page(Pending::Http {
                    head,
                    body: block,
                    cut,
                }))
            }
            "resource" => {
                let mut block = Vec::new();
                self.reader.read_block(&mut block, 1024)?;
                if !http::is_html(block_mime.as_deref(), &block) {
                    let what = block_mime.unwrap_or_else(|| "unrecognised data".into());
                    return Ok(Content::Skipped(format!("not HTML: {what}")));
                }
                self.reader
                    .read_block(&mut block, self.max_page_bytes + 1)?;
                Ok(Content::Page(Pending::Bytes {
                    bytes: block,
                    charset: block_charset,
                }))
            }
            "" => Ok(Content::Skipped("WARC record without WARC-Type".into())),
            other => Ok(Content::Skipped(format!("WARC {other} record"))),
        }
    }
}

impl<R: Read> Iterator for WarcItems<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let header = match self.reader.next_header()? {
            Ok(h) => h,
            Err(e) => {
                let offset = match &e {
                    Error::Warc { offset, .. } => *offset,
                    _ => 0,
                };
                return Some(Item {
                    source: self.source.clone(),
                    id: format!("offset-{offset}"),
                    url: None,
                    status: None,
                    fetched_at: None,
                    content: Content::Failed(e),
                });
            }
        };
        let mut status = None;
        let content = self.content(&header, &mut status);
        // Finish even after a failure: the error to report is the first one.
        let finished = self.reader.finish_record();
        let content = match (content, finished) {
            (Err(e), _) | (Ok(_), Err(e)) => Content::Failed(e),
            (Ok(c), Ok(())) => c,
        };
        Some(Item {
            source: self.source.clone(),
            id: header
                .record_id
                .unwrap_or_else(|| format!("offset-{}", header.offset)),
            url: header.target_uri,
            status,
            fetched_at: header.date,
            content,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, id: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
             WARC-Target-URI: https://example.org/{id}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn response(id: &str, mime: &str, body: &str) -> Vec<u8> {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: {mime}\r\n\r\n{body}");
        record(
            "response",
            id,
            "application/http; msgtype=response",
            http.as_bytes(),
        )
    }

    /// (id, outcome) for every item: "page", "skip: reason" or "fail: error".
    fn read_all(bytes: Vec<u8>) -> Vec<(String, String)> {
        let limits = ReadLimits::default();
        WarcItems::new(&bytes[..], "test.warc".into(), &limits)
            .map(|item| {
                let what = match item.content {
                    Content::Page(_) => "page".to_string(),
                    Content::Skipped(why) => format!("skip: {why}"),
                    Content::Failed(e) => format!("fail: {e}"),
                };
                (item.id, what)
            })
            .collect()
    }

    #[test]
    fn plain_records_in_order() {
        let mut warc = record(
            "warcinfo",
            "0",
            "application/warc-fields",
            b"software: x\r\n",
        );
        warc.extend(response("1", "text/html", "<html><p>one</p></html>"));
        warc.extend(record(
            "request",
            "2",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        warc.extend(response("3", "application/pdf", "%PDF-1.4"));
        warc.extend(record(
            "metadata",
            "4",
            "application/warc-fields",
            b"fetchTimeMs: 1\r\n",
        ));
        let items = read_all(warc);
        let outcomes: Vec<&str> = items.iter().map(|(_, o)| o.as_str()).collect();
        assert_eq!(
            outcomes,
            [
                "skip: WARC warcinfo record",
                "page",
                "skip: WARC request record",
                "skip: not HTML: application/pdf",
                "skip: WARC metadata record"
            ]
        );
        assert_eq!(items[1].0, "<urn:uuid:1>");
    }

    #[test]
    fn gzip_per_record_and_header_fields() {
        let mut warc = gzip(&response(
            "1",
            "text/html; charset=windows-1252",
            "<p>caf&eacute;</p>",
        ));
        let second_offset = warc.len() as u64;
        warc.extend(gzip(&response("2", "text/html", "<p>two</p>")));
        let mut reader = WarcReader::new(&warc[..]);
        let h = reader.next_header().unwrap().unwrap();
        assert_eq!(h.offset, 0);
        assert_eq!(h.warc_type, "response");
        assert_eq!(h.target_uri.as_deref(), Some("https://example.org/1"));
        let mut block = Vec::new();
        assert!(!reader.read_block(&mut block, 1 << 20).unwrap());
        assert!(block.ends_with(b"<p>caf&eacute;</p>"));
        reader.finish_record().unwrap();
        let h = reader.next_header().unwrap().unwrap();
        assert_eq!(
            (h.offset, h.record_id.as_deref()),
            (second_offset, Some("<urn:uuid:2>"))
        );
        assert!(reader.next_header().is_none());
    }

    #[test]
    fn block_reads_are_capped_and_the_rest_is_skipped() {
        let big = "x".repeat(100_000);
        let mut warc = response("1", "text/html", &big);
        warc.extend(response("2", "text/html", "<p>after</p>"));
        let mut reader = WarcReader::new(&warc[..]);
        reader.next_header().unwrap().unwrap();
        let mut block = Vec::new();
        assert!(reader.read_block(&mut block, 1000).unwrap(), "more remains");
        assert_eq!(block.len(), 1000);
        reader.finish_record().unwrap();
        let h = reader.next_header().unwrap().unwrap();
        assert_eq!(h.record_id.as_deref(), Some("<urn:uuid:2>"));
    }

    #[test]
    fn truncated_last_record_is_an_error_and_the_end() {
        for compress in [false, true] {
            let mut warc = response("1", "text/html", "<p>one</p>");
            let last = response("2", "text/html", &"<p>two</p>".repeat(1000));
            warc.extend(&last[..last.len() / 2]);
            let warc = if compress {
                // Per record, the last member cut in half.
                let mut g = gzip(&response("1", "text/html", "<p>one</p>"));
                let last = gzip(&last);
                g.extend(&last[..last.len() / 2]);
                g
            } else {
                warc
            };
            let items = read_all(warc);
            assert_eq!(items.len(), 2, "{items:?}");
            assert_eq!(items[0].1, "page");
            assert!(
                items[1].1.starts_with("fail: ") && items[1].1.contains("truncated"),
                "{items:?}"
            );
        }
    }

    #[test]
    fn a_broken_gzip_member_is_one_error_and_reading_goes_on() {
        let good = |id| {
            gzip(&response(
                id,
                "text/html",
                &format!("<p>{id}</p>").repeat(50),
            ))
        };
        let mut broken = gzip(&response("2", "text/html", &"<p>two</p>".repeat(500)));
        // Garble the middle of the deflate data.
        let mid = broken.len() / 2;
        for b in &mut broken[mid..mid + 40] {
            *b ^= 0x5a;
        }
        let mut warc = good("1");
        warc.extend(&broken);
        warc.extend(good("3"));
        let items = read_all(warc);
        let ids: Vec<&str> = items.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids.first(), Some(&"<urn:uuid:1>"));
        assert_eq!(ids.last(), Some(&"<urn:uuid:3>"));
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(items[1].1.starts_with("fail: "), "{items:?}");
        assert_eq!((items[0].1.as_str(), items[2].1.as_str()), ("page", "page"));
    }

    #[test]
    fn damage_anywhere_in_a_member_loses_only_that_record() {
        let good = |id: &str| {
            gzip(&response(
                id,
                "text/html",
                &format!("<p>{id}</p>").repeat(50),
            ))
        };
        let clean = gzip(&response(
            "2",
            "text/html",
            &"<p>two words</p>".repeat(2000),
        ));
        // Garble 1 to 64 bytes at 60 places, from the gzip header to the CRC.
        for place in 0..60 {
            let mut broken = clean.clone();
            let at = place * (broken.len() - 1) / 59;
            let len = (1 + place % 64).min(broken.len() - at);
            for (k, b) in broken[at..at + len].iter_mut().enumerate() {
                *b ^= 0x5a ^ (k as u8);
            }
            let mut warc = good("1");
            warc.extend(&broken);
            warc.extend(good("3"));
            let items = read_all(warc);
            let first_and_last = (
                items.first().map(|i| &i.1),
                items.last().map(|i| (&i.0, &i.1)),
            );
            assert_eq!(
                first_and_last,
                (
                    Some(&"page".to_string()),
                    Some((&"<urn:uuid:3>".to_string(), &"page".to_string()))
                ),
                "damage at {at}: {items:?}"
            );
            assert!(
                items.len() <= 3,
                "damage at {at}: one error at most: {items:?}"
            );
        }
    }

    #[test]
    fn garbage_after_a_record_fails_that_record_and_reading_goes_on() {
        // Junk after a record, or a Content-Length shorter than the block: either way the
        // record's framing is wrong, and it is one error.
        let mut junk = response("1", "text/html", "<p>one</p>");
        junk.extend(b"this is not a record at all\r\nnor this\r\n");
        let mut short = response("1", "text/html", "<p>one</p>");
        let at = memchr::memmem::find(&short, b"Content-Length: ").unwrap() + 16;
        short[at] -= 1; // "Content-Length: 6x" -> "5x": ten bytes short
        for mut warc in [junk, short] {
            warc.extend(response("2", "text/html", "<p>two</p>"));
            let items = read_all(warc);
            assert_eq!(items.len(), 2, "{items:?}");
            assert!(items[0].1.contains("wrong Content-Length"), "{items:?}");
            assert_eq!(items[1], ("<urn:uuid:2>".to_string(), "page".to_string()));
        }
    }

    #[test]
    fn skips_non_200_and_resources_by_type() {
        let redirect =
            b"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Type: text/html\r\n\r\n<p>moved</p>";
        let mut warc = record(
            "response",
            "1",
            "application/http; msgtype=response",
            redirect,
        );
        warc.extend(record(
            "resource",
            "2",
            "text/html; charset=utf-8",
            b"<html><p>resource</p></html>",
        ));
        warc.extend(record("resource", "3", "image/png", b"\x89PNG"));
        warc.extend(record(
            "response",
            "4",
            "text/dns",
            b"example.org. 60 IN A 1.2.3.4",
        ));
        let outcomes: Vec<String> = read_all(warc).into_iter().map(|(_, o)| o).collect();
        assert_eq!(
            outcomes,
            [
                "skip: HTTP status 301",
                "page",
                "skip: not HTML: image/png",
                "skip: WARC response of type text/dns"
            ]
        );
    }

    #[test]
    fn missing_content_length_is_an_error() {
        let mut warc = b"WARC/1.0\r\nWARC-Type: response\r\n\r\n".to_vec();
        warc.extend(response("2", "text/html", "<p>two</p>"));
        let items = read_all(warc);
        assert!(items[0].1.contains("Content-Length"), "{items:?}");
        assert_eq!(items.last().unwrap().0, "<urn:uuid:2>");
    }

    /// Reads `good` bytes, then fails every read, as a bad disk does.
    struct FailingReader {
        good: Vec<u8>,
        at: usize,
    }

    impl Read for FailingReader {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.at < self.good.len() {
                let n = out.len().min(self.good.len() - self.at).min(100);
                out[..n].copy_from_slice(&self.good[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            Err(io::Error::other("device error"))
        }
    }

    #[test]
    fn a_failing_input_is_one_error_and_the_end() {
        for compress in [false, true] {
            let (one, two) = (
                response("1", "text/html", "<p>one</p>"),
                response("2", "text/html", &"<p>two</p>".repeat(100)),
            );
            let (one, two) = if compress {
                (gzip(&one), gzip(&two))
            } else {
                (one, two)
            };
            let cut = one.len() + two.len() / 2;
            let good = [one, two].concat();
            let reader = FailingReader {
                good: good[..cut].to_vec(),
                at: 0,
            };
            let limits = ReadLimits::default();
            let items: Vec<Item> = WarcItems::new(reader, "bad-disk".into(), &limits).collect();
            assert_eq!(items.len(), 2, "compress {compress}");
            match &items[1].content {
                Content::Failed(e) => assert!(e.to_string().contains("device error"), "{e}"),
                _ => panic!("the second record should fail"),
            }
        }
    }

    #[test]
    fn empty_and_junk_inputs_end() {
        assert!(read_all(Vec::new()).is_empty());
        let items = read_all(vec![0xffu8; 10_000]);
        assert_eq!(items.len(), 1, "{items:?}");
        let items = read_all(vec![0x1f, 0x8b, 0x08, 0, 1, 2, 3]);
        assert_eq!(items.len(), 1, "{items:?}");
    }
}
