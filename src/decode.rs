//! Decode: page bytes to text, choosing the encoding the way browsers do (WHATWG "encoding
//! sniffing algorithm", HTML §13.2.3.2): byte-order mark, then the transport's charset (an HTTP
//! header), then a `<meta charset>` / `http-equiv` prescan, then detection with chardetng.

// Input-derived data: no indexing or string slicing that could panic on a hostile page.
#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::rules::DecodeRules;
use crate::error::Error;

/// Where the chosen encoding came from (reported in JSON output; useful when a page is garbled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EncodingSource {
    /// A byte-order mark at the start of the bytes.
    Bom,
    /// The transport's charset ([`PageInfo::charset`](crate::PageInfo::charset)).
    Header,
    /// A `<meta charset>` or `http-equiv` declaration in the page.
    Meta,
    /// Nothing declared one: chardetng guessed it from the bytes.
    Detected,
}

pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: EncodingSource,
}

/// Decodes `bytes`. `header_charset` is a charset label from the transport, if any;
/// `url` helps the detector (its top-level domain hints at the likely legacy encoding).
pub fn decode(
    bytes: &[u8],
    header_charset: Option<&str>,
    url: Option<&str>,
    cfg: &DecodeRules,
) -> Result<Decoded, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let (encoding, source) = sniff(bytes, header_charset, url, cfg);
    if encoding != UTF_16LE && encoding != UTF_16BE {
        check_not_binary(bytes)?;
    }
    // Decoding never fails: malformed sequences become U+FFFD, as in a browser.
    let (text, _, _) = encoding.decode(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
        source,
    })
}

fn sniff(
    bytes: &[u8],
    header_charset: Option<&str>,
    url: Option<&str>,
    cfg: &DecodeRules,
) -> (&'static Encoding, EncodingSource) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return (enc, EncodingSource::Bom);
    }
    if let Some(enc) = header_charset.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        return (
            prefer_utf8_if_valid(bytes, ascii_compatible(enc)),
            EncodingSource::Header,
        );
    }
    let head = prefix(bytes, cfg.prescan_bytes);
    if let Some(enc) = prescan_meta(head) {
        return (
            prefer_utf8_if_valid(bytes, ascii_compatible(enc)),
            EncodingSource::Meta,
        );
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = prefix(bytes, cfg.detect_bytes);
    detector.feed(sample, sample.len() == bytes.len());
    let tld = url.and_then(top_level_domain);
    let tld = tld.as_deref().map(str::as_bytes);
    (
        detector.guess(tld, chardetng::Utf8Detection::Allow),
        EncodingSource::Detected,
    )
}

/// A declared UTF-16 in a byte stream that reached the meta prescan is really UTF-8 (HTML
/// §13.2.3.3 "changing the encoding"); x-user-defined likewise means windows-1252.
fn ascii_compatible(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else if enc.name() == "x-user-defined" {
        WINDOWS_1252
    } else {
        enc
    }
}

/// Pages that declare a legacy charset (windows-1252, GBK, Shift_JIS…) but are valid UTF-8
/// with non-ASCII text are mislabelled UTF-8: decoding them as declared turns every "é" into
/// "Ã©" and every Chinese page into mojibake. Legacy text is almost never valid multi-byte
/// UTF-8 by accident, so the bytes' own evidence wins.
fn prefer_utf8_if_valid(bytes: &[u8], declared: &'static Encoding) -> &'static Encoding {
    if declared == UTF_8 || declared == UTF_16LE || declared == UTF_16BE {
        return declared;
    }
    if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        declared
    }
}

/// The WHATWG prescan, simplified: finds `<meta charset=…>` or
/// `<meta http-equiv=content-type content="…charset=…">` in the first bytes.
fn prescan_meta(head: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0;
    let from = |i: usize| head.get(i..).unwrap_or_default();
    while let Some(off) = memchr::memmem::find(from(pos), b"<") {
        let at = pos + off;
        pos = at + 1;
        let rest = from(at + 1);
        if rest.starts_with(b"!--") {
            pos = memchr::memmem::find(from(at), b"-->").map_or(head.len(), |e| at + e + 3);
            continue;
        }
        let Some(body) = meta_body(rest) else {
            continue;
        };
        let tag = String::from_utf8_lossy(body).to_ascii_lowercase();
        if let Some(label) = attr_value(&tag, "charset")
            && let Some(enc) = Encoding::for_label(label.as_bytes())
        {
            return Some(enc);
        }
        if let Some(content) = attr_value(&tag, "content")
            && let Some((_, after)) = content.split_once("charset")
        {
            let label = after
                .trim_start()
                .trim_start_matches('=')
                .trim_start()
                .trim_matches(|c| c == '"' || c == '\'');
            let label: String = label
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ';' && *c != '"' && *c != '\'')
                .collect();
            if let Some(enc) = Encoding::for_label(label.as_bytes()) {
                return Some(enc);
            }
        }
    }
    None
}

/// After a `<`: the body of a `<meta …>` tag, from the whitespace or `/` after its name up
/// to its `>` (or the end of the bytes); None for any other tag.
fn meta_body(rest: &[u8]) -> Option<&[u8]> {
    let (name, body) = rest.split_at_checked(4)?;
    let first = *body.first()?;
    if !name.eq_ignore_ascii_case(b"meta") || !(first.is_ascii_whitespace() || first == b'/') {
        return None;
    }
    let end = memchr::memchr(b'>', body).unwrap_or(body.len());
    body.get(..end)
}

/// Value of attribute `name` inside a lower-cased tag body (quoted or bare).
fn attr_value<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = tag.get(from..).and_then(|t| t.find(name)) {
        let at = from + i;
        from = at + name.len();
        // The name starts the attribute: nothing of a longer name (`data-charset`) before it.
        let before_ok = at
            .checked_sub(1)
            .and_then(|b| tag.as_bytes().get(b))
            .is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'-');
        let rest = tag.get(from..).unwrap_or_default().trim_start();
        let Some(value) = rest.strip_prefix('=').filter(|_| before_ok) else {
            continue;
        };
        let value = value.trim_start();
        let mut chars = value.chars();
        return Some(match chars.next() {
            Some(q @ ('"' | '\'')) => chars.as_str().split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
                .next()
                .unwrap_or(""),
        });
    }
    None
}

/// The first `n` bytes (all of them when there are fewer).
fn prefix(bytes: &[u8], n: usize) -> &[u8] {
    bytes.get(..n).unwrap_or(bytes)
}

fn top_level_domain(url: &str) -> Option<String> {
    let host = url
        .split("://")
        .nth(1)?
        .split(['/', ':', '?', '#'])
        .next()?;
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty() && tld.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| tld.to_ascii_lowercase())
}

/// Rejects inputs that are plainly not text: NUL bytes or a high share of control bytes in
/// the first kilobytes (images, PDFs, archives, truncated binaries).
fn check_not_binary(bytes: &[u8]) -> Result<(), Error> {
    let head = prefix(bytes, 4096);
    if head.starts_with(b"%PDF") {
        return Err(Error::Binary("a PDF file"));
    }
    let nul = head.iter().filter(|b| **b == 0).count();
    let control = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    // One NUL in a real page is a glitch; 2% of control bytes is binary data: compressed or
    // random data has about 11% (28 of the 256 byte values), too close to a 10% limit.
    if nul * 100 > head.len() || control * 50 > head.len() {
        return Err(Error::Binary("control bytes in the first 4 KB"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> DecodeRules {
        crate::rules::Rules::default().decode
    }

    #[test]
    fn bom_wins_over_meta() {
        let mut page = vec![0xEF, 0xBB, 0xBF];
        page.extend_from_slice("<meta charset=windows-1252><p>é</p>".as_bytes());
        let d = decode(&page, None, None, &cfg()).unwrap();
        assert_eq!(d.source, EncodingSource::Bom);
        assert!(d.text.contains("<p>é</p>"));
    }

    #[test]
    fn header_charset_beats_meta() {
        let (bytes, _, _) =
            encoding_rs::SHIFT_JIS.encode("<meta charset=utf-8><p>日本語のテキスト</p>");
        let d = decode(&bytes, Some("Shift_JIS"), None, &cfg()).unwrap();
        assert_eq!(d.encoding, encoding_rs::SHIFT_JIS);
        assert!(d.text.contains("日本語のテキスト"));
    }

    #[test]
    fn http_equiv_prescan() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><p>Привет, мир</p>",
        );
        let d = decode(&bytes, None, None, &cfg()).unwrap();
        assert_eq!(
            (d.encoding, d.source),
            (encoding_rs::WINDOWS_1251, EncodingSource::Meta)
        );
        assert!(d.text.contains("Привет, мир"));
    }

    #[test]
    fn undeclared_legacy_text_is_detected() {
        let text = "<p>Die Straßenbahn fährt über die Brücke, während die Fußgänger größtenteils warten.</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let d = decode(&bytes, None, None, &cfg()).unwrap();
        assert_eq!(d.source, EncodingSource::Detected);
        assert!(d.text.contains("Straßenbahn fährt über"), "{}", d.text);
    }

    #[test]
    fn mislabelled_utf8_is_read_as_utf8() {
        let page = "<meta charset=iso-8859-1><p>café crème</p>".as_bytes();
        let d = decode(page, None, None, &cfg()).unwrap();
        assert!(d.text.contains("café crème"));
    }

    #[test]
    fn binary_and_empty_inputs_are_errors() {
        assert!(matches!(decode(b"", None, None, &cfg()), Err(Error::Empty)));
        let png = [
            0x89, b'P', b'N', b'G', 0, 0, 0, 0x0d, 0, 0, 0, 0, 1, 2, 3, 4,
        ];
        assert!(matches!(
            decode(&png, None, None, &cfg()),
            Err(Error::Binary(_))
        ));
    }

    #[test]
    fn compressed_looking_bytes_are_binary_at_any_length() {
        // Bytes spread evenly over all 256 values, as in a JPEG body or a zip member (an
        // xorshift stream, so the test is the same on every run).
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let noise: Vec<u8> = (0..8192)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 56) as u8
            })
            .collect();
        for len in [100, 1000, 4096, 8192] {
            assert!(
                matches!(
                    decode(&noise[..len], None, None, &cfg()),
                    Err(Error::Binary(_))
                ),
                "{len} noise bytes were taken for a page"
            );
        }
    }
}
