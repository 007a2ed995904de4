//! HTTP: the response a WARC `response` record stores. Reads the head (status, Content-Type
//! and its charset, Content-Encoding, Transfer-Encoding) and turns the body into what a
//! browser would have seen: de-chunked and decompressed (gzip, deflate, br), never past the
//! page size cap. Tolerant, because archives hold whatever servers sent: odd header lines are
//! skipped, and a body that an archiver already decoded is taken as it is.

use std::io::Read;

use crate::error::Error;

/// HTTP heads longer than this are not heads: servers refuse far smaller ones (nginx: 8 KiB
/// per line, Apache: 8 KiB per field).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// What gleaner needs from an HTTP response head.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseHead {
    pub status: u16,
    /// The media type, lowercased, without parameters (`text/html`).
    pub mime: Option<String>,
    /// The `charset` parameter of Content-Type.
    pub charset: Option<String>,
    /// Content-Encoding codings in the order they were applied (`gzip`, `br`…), lowercased.
    pub encodings: Vec<String>,
    pub chunked: bool,
    /// Bytes of the head, blank line included: the body starts here.
    pub len: usize,
}

/// Parses the head at the start of `block` (a response record's block, or its first
/// `MAX_HEAD_BYTES`). A head without a blank line after it is taken whole when the block is
/// shorter than the cap (a response without a body).
pub fn parse_head(block: &[u8]) -> Result<ResponseHead, String> {
    let end = find_head_end(block);
    let len = match end {
        Some(len) => len,
        None if block.len() >= MAX_HEAD_BYTES => {
            return Err(format!(
                "HTTP head longer than {} KiB",
                MAX_HEAD_BYTES / 1024
            ));
        }
        None => block.len(),
    };
    let text = String::from_utf8_lossy(block.get(..len).unwrap_or(block));
    let mut lines = text.lines();
    let status_line = lines.next().unwrap_or("").trim();
    let mut parts = status_line.split_whitespace();
    let status = match (parts.next(), parts.next().map(str::parse::<u16>)) {
        (Some(v), Some(Ok(code))) if v.starts_with("HTTP/") => code,
        _ => {
            let shown: String = status_line.chars().take(60).collect();
            return Err(format!("not an HTTP response (status line {shown:?})"));
        }
    };
    let mut head = ResponseHead {
        status,
        len,
        ..ResponseHead::default()
    };
    for line in lines {
        // Lines without a colon (folded continuations, garbage) say nothing we use.
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            // The last Content-Type wins, as in browsers.
            "content-type" if !value.is_empty() => {
                (head.mime, head.charset) = content_type(value);
            }
            "content-encoding" => head.encodings.extend(
                value
                    .split(',')
                    .map(|c| c.trim().to_ascii_lowercase())
                    .filter(|c| !c.is_empty() && c != "identity"),
            ),
            "transfer-encoding" => {
                head.chunked |= value.to_ascii_lowercase().contains("chunked");
            }
            _ => {}
        }
    }
    Ok(head)
}

/// The end of the head: just past the first blank line (CRLF CRLF, or bare LF LF).
fn find_head_end(block: &[u8]) -> Option<usize> {
    let crlf = memchr::memmem::find(block, b"\r\n\r\n").map(|i| i + 4);
    let lf = memchr::memmem::find(block, b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Splits a Content-Type value into the media type and the charset parameter.
pub fn content_type(value: &str) -> (Option<String>, Option<String>) {
    let mut parts = value.split(';');
    let mime = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    });
    (mime, charset)
}

/// Whether a payload is a web page: by its media type, or, when there is none (or a
/// meaningless one), by sniffing its first bytes.
pub fn is_html(mime: Option<&str>, body: &[u8]) -> bool {
    match mime {
        Some("text/html" | "application/xhtml+xml") => true,
        None
        | Some("application/octet-stream" | "unknown/unknown" | "application/unknown" | "*/*") => {
            looks_like_html(body)
        }
        Some(_) => false,
    }
}

/// The WHATWG MIME sniffing rule for HTML: after whitespace (and a UTF-8 BOM), one of these
/// tags, case-insensitively, followed by a space or `>`.
pub fn looks_like_html(body: &[u8]) -> bool {
    const TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    // HTML's whitespace (tab, LF, FF, CR, space) is exactly `u8::is_ascii_whitespace`.
    let body = body.trim_ascii_start();
    TAGS.iter().any(|tag| {
        let Some(&next) = body.get(tag.len()) else {
            return false;
        };
        body.get(..tag.len())
            .is_some_and(|open| open.eq_ignore_ascii_case(tag))
            && (tag == b"<!--" || matches!(next, b' ' | b'>'))
    })
}

/// The body as the browser saw it: de-chunked, then decompressed, at most `limit` + 1 bytes
/// (so the extractor can report the cut). `cut` says the reader already stopped at the cap,
/// so a compressed stream that ends early is expected, not corrupt.
pub fn decode_body(
    body: Vec<u8>,
    head: &ResponseHead,
    cut: bool,
    limit: usize,
) -> Result<Vec<u8>, Error> {
    let mut body = if head.chunked {
        // An archiver may have stored the body de-chunked already and kept the header.
        dechunk(&body).unwrap_or(body)
    } else {
        body
    };
    for coding in head.encodings.iter().rev() {
        body = match decompress(&body, coding, cut, limit) {
            Ok(decoded) => decoded,
            // Archivers (Common Crawl among them) often store the decoded payload and keep
            // the header: a body that is already a page is taken as it is.
            Err(_) if looks_like_html(&body) => body,
            Err(e) => return Err(e),
        };
    }
    Ok(body)
}

/// Undoes `Transfer-Encoding: chunked`. None when the body does not start like a chunked one;
/// a body that stops mid-chunk keeps what arrived.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut first = true;
    while let Some(line_end) = memchr::memchr(b'\n', rest) {
        let Some((line, after)) = rest.split_at_checked(line_end) else {
            break;
        };
        let line = std::str::from_utf8(line).ok();
        let size = line.and_then(|l| {
            let hex = l.split(';').next()?.trim();
            usize::from_str_radix(hex, 16).ok()
        });
        let Some(size) = size else {
            if first {
                return None;
            }
            break;
        };
        first = false;
        rest = after.get(1..).unwrap_or_default();
        if size == 0 {
            break;
        }
        // A chunk longer than what is left keeps what arrived.
        let (data, tail) = rest.split_at_checked(size).unwrap_or((rest, &[]));
        out.extend_from_slice(data);
        rest = tail;
        // The CRLF after the chunk data.
        let crlf = rest
            .iter()
            .take(2)
            .take_while(|b| matches!(b, b'\r' | b'\n'));
        rest = rest.get(crlf.count()..).unwrap_or_default();
    }
    (!first).then_some(out)
}

/// Decompresses one Content-Encoding, reading at most `limit` + 1 bytes of output (a small
/// body can expand enormously: a decompression bomb stops at the cap).
fn decompress(body: &[u8], coding: &str, cut: bool, limit: usize) -> Result<Vec<u8>, Error> {
    let cap = limit as u64 + 1;
    let read_all = |mut reader: Box<dyn Read + '_>| -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        match (&mut reader).take(cap).read_to_end(&mut out) {
            Ok(_) => Ok(out),
            // A body cut at the page cap ends mid-stream: keep what it gave.
            Err(_) if cut && !out.is_empty() => Ok(out),
            Err(e) => Err(e),
        }
    };
    let result = match coding {
        "gzip" | "x-gzip" => read_all(Box::new(flate2::read::MultiGzDecoder::new(body))),
        // RFC 9110 says zlib-wrapped; many servers send raw deflate.
        "deflate" => read_all(Box::new(flate2::read::ZlibDecoder::new(body)))
            .or_else(|_| read_all(Box::new(flate2::read::DeflateDecoder::new(body)))),
        "br" => read_all(Box::new(brotli_decompressor::Decompressor::new(body, 4096))),
        other => {
            return Err(Error::Http(format!(
                "unsupported Content-Encoding {other:?}"
            )));
        }
    };
    result.map_err(|e| Error::Http(format!("corrupt {coding} body: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const PAGE: &[u8] = b"<!DOCTYPE html><html><body><p>Hello</p></body></html>";

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn head_fields() {
        let block =
            b"HTTP/1.1 200 OK\r\nServer: x\r\nContent-Type: text/HTML; charset=\"ISO-8859-1\"\r\n\
            Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nbroken line\r\n\r\nBODY";
        let h = parse_head(block).unwrap();
        assert_eq!(h.status, 200);
        assert_eq!(h.mime.as_deref(), Some("text/html"));
        assert_eq!(h.charset.as_deref(), Some("ISO-8859-1"));
        assert_eq!(h.encodings, ["gzip"]);
        assert!(h.chunked);
        assert_eq!(&block[h.len..], b"BODY");
    }

    #[test]
    fn bare_newlines_and_no_body() {
        let h = parse_head(b"HTTP/1.0 404 Not Found\nContent-Type: text/plain\n\nx").unwrap();
        assert_eq!(
            (h.status, h.mime.as_deref(), h.len),
            (404, Some("text/plain"), 49)
        );
        let h = parse_head(b"HTTP/1.1 304 Not Modified\r\nETag: x\r\n").unwrap();
        assert_eq!(h.status, 304);
    }

    #[test]
    fn not_http_is_an_error_that_shows_the_line() {
        let e = parse_head(b"%PDF-1.7 binary\r\n\r\n").unwrap_err();
        assert!(
            e.contains("not an HTTP response") && e.contains("%PDF"),
            "{e}"
        );
        let long = vec![b'a'; MAX_HEAD_BYTES];
        assert!(parse_head(&long).unwrap_err().contains("longer than"));
    }

    #[test]
    fn html_by_type_or_by_sniffing() {
        assert!(is_html(Some("text/html"), b""));
        assert!(is_html(Some("application/xhtml+xml"), b""));
        assert!(!is_html(Some("application/pdf"), PAGE));
        assert!(!is_html(Some("text/plain"), PAGE));
        assert!(is_html(None, b"\xef\xbb\xbf \n<!doctype HTML>"));
        assert!(is_html(Some("application/octet-stream"), b"<p>x"));
        assert!(!is_html(None, b"%PDF-1.4"));
        assert!(
            !is_html(None, b"<pre>x"),
            "<p must be followed by space or >"
        );
        assert!(!is_html(None, b"{\"json\": 1}"));
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n").unwrap(),
            b"Hello, world"
        );
        // Stops mid-chunk: keeps what arrived.
        assert_eq!(dechunk(b"a\r\nHel").unwrap(), b"Hel");
        // Not chunked after all (stored de-chunked).
        assert_eq!(dechunk(b"<html>x</html>"), None);
        let head = ResponseHead {
            chunked: true,
            ..ResponseHead::default()
        };
        assert_eq!(
            decode_body(PAGE.to_vec(), &head, false, 1000).unwrap(),
            PAGE
        );
    }

    #[test]
    fn content_encodings() {
        let head = |c: &str| ResponseHead {
            encodings: vec![c.to_string()],
            ..ResponseHead::default()
        };
        assert_eq!(
            decode_body(gzip(PAGE), &head("gzip"), false, 1000).unwrap(),
            PAGE
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(PAGE).unwrap();
        assert_eq!(
            decode_body(z.finish().unwrap(), &head("deflate"), false, 1000).unwrap(),
            PAGE
        );
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(PAGE).unwrap();
        assert_eq!(
            decode_body(d.finish().unwrap(), &head("deflate"), false, 1000).unwrap(),
            PAGE
        );
        // Stored decoded with the header kept: taken as is.
        assert_eq!(
            decode_body(PAGE.to_vec(), &head("gzip"), false, 1000).unwrap(),
            PAGE
        );
        let e = decode_body(b"\x00\x01garbage".to_vec(), &head("gzip"), false, 1000).unwrap_err();
        assert!(e.to_string().contains("corrupt gzip body"), "{e}");
        let e = decode_body(b"xx".to_vec(), &head("zstd"), false, 1000).unwrap_err();
        assert!(
            e.to_string()
                .contains("unsupported Content-Encoding \"zstd\""),
            "{e}"
        );
    }

    #[test]
    fn brotli_body() {
        let head = ResponseHead {
            encodings: vec!["br".into()],
            ..ResponseHead::default()
        };
        assert_eq!(
            decode_body(BROTLI_P.to_vec(), &head, false, 1000).unwrap(),
            b"<p>brotli</p>"
        );
    }

    /// "<p>brotli</p>" as the reference encoder (Python's `brotli.compress`) writes it.
    const BROTLI_P: [u8; 17] = [
        0x0b, 0x06, 0x80, 0x3c, 0x70, 0x3e, 0x62, 0x72, 0x6f, 0x74, 0x6c, 0x69, 0x3c, 0x2f, 0x70,
        0x3e, 0x03,
    ];

    #[test]
    fn decompression_stops_at_the_cap() {
        let bomb = gzip(&vec![b'a'; 1_000_000]);
        let head = ResponseHead {
            encodings: vec!["gzip".into()],
            ..ResponseHead::default()
        };
        assert_eq!(decode_body(bomb, &head, false, 1000).unwrap().len(), 1001);
        // A compressed body cut by the reader keeps what it decoded.
        let mut cut = gzip(&vec![b'b'; 100_000]);
        cut.truncate(cut.len() / 2);
        let _ = decode_body(cut, &head, true, 1_000_000).unwrap();
    }
}
