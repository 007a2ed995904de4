//! JSONL: one page per line, `{"id", "url", "html"}`, or `html_base64` for the raw bytes of
//! a page in any encoding. Every other field of the object is passed through to the output
//! record unchanged. Lines are read with a length cap, so a huge or endless line becomes an
//! error record instead of filling memory; the JSON is parsed by the worker threads.

use std::io::BufRead;
use std::sync::Arc;

use base64::Engine;
use serde_json::{Map, Value};

use super::{Content, Item, Opened, Pending};
use crate::error::Error;
use crate::input::ReadLimits;

/// The lines of a JSONL input as items. Blank lines are not records; a line's number is its
/// 1-based position in the input (blank lines counted), and stands as its id until the line
/// is parsed.
pub struct JsonlItems<R: BufRead> {
    reader: R,
    source: Arc<str>,
    max_line_bytes: usize,
    line: u64,
    done: bool,
}

impl<R: BufRead> JsonlItems<R> {
    pub fn new(reader: R, source: Arc<str>, limits: &ReadLimits) -> JsonlItems<R> {
        JsonlItems {
            reader,
            source,
            max_line_bytes: limits.max_line_bytes,
            line: 0,
            done: false,
        }
    }

    fn item(&self, content: Content) -> Item {
        Item {
            source: self.source.clone(),
            id: self.line.to_string(),
            url: None,
            status: None,
            fetched_at: None,
            content,
        }
    }

    /// Discards the rest of an over-long line, up to and including its newline.
    fn skip_line(&mut self) -> std::io::Result<()> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    self.reader.consume(i + 1);
                    return Ok(());
                }
                None => {
                    let n = buf.len();
                    self.reader.consume(n);
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonlItems<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.line += 1;
            let mut bytes = Vec::new();
            let cap = self.max_line_bytes as u64 + 1;
            let read = std::io::Read::take(&mut self.reader, cap).read_until(b'\n', &mut bytes);
            let failure = |message: String| Error::Jsonl {
                line: self.line,
                message,
            };
            match read {
                Ok(0) => self.done = true,
                Ok(_) if bytes.len() as u64 == cap && !bytes.ends_with(b"\n") => {
                    let error = failure(format!(
                        "line longer than {} bytes (batch.max_line_bytes)",
                        self.max_line_bytes
                    ));
                    if let Err(e) = self.skip_line() {
                        self.done = true;
                        return Some(self.item(Content::Failed(e.into())));
                    }
                    return Some(self.item(Content::Failed(error)));
                }
                Ok(_) if bytes.trim_ascii().is_empty() => continue,
                Ok(_) => {
                    let line = self.line;
                    return Some(self.item(Content::Page(Pending::JsonLine { line, bytes })));
                }
                Err(e) => {
                    // A read error (a corrupt .gz) ends this input: there is no next line to
                    // find in a broken compressed stream.
                    self.done = true;
                    let error = failure(format!("cannot read further: {e}"));
                    return Some(self.item(Content::Failed(error)));
                }
            }
        }
        None
    }
}

/// Parses one line: its `id` (a string or a number), `url`, and the page from `html` (text,
/// so UTF-8 whatever its `<meta>` says) or `html_base64` (bytes, decoded like a file).
pub fn parse_line(line: u64, bytes: &[u8]) -> Opened {
    let failure = |message: String| Error::Jsonl { line, message };
    let mut object = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            return opened_error(failure(format!(
                "not a JSON object but {}",
                json_kind(&other)
            )));
        }
        Err(e) => return opened_error(failure(format!("invalid JSON: {e}"))),
    };
    let id = match object.shift_remove("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            return opened_error(failure(format!(
                "\"id\" must be a string or a number, not {}",
                json_kind(&other)
            )));
        }
    };
    // A `url` that is not a string is not ours to read: it passes through (as `input_url`).
    let url = match object.get("url") {
        Some(Value::String(_)) | Some(Value::Null) => match object.shift_remove("url") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    };
    // A record that carries scraped `text` instead of a page is cleaned as plain text.
    let is_text = !object.contains_key("html")
        && !object.contains_key("html_base64")
        && matches!(object.get("text"), Some(Value::String(_)));
    if is_text && let Some(Value::String(text)) = object.shift_remove("text") {
        return Opened {
            id,
            url,
            passthrough: object,
            page: Ok((text.into_bytes(), Some("utf-8".to_string()))),
            is_text: true,
        };
    }
    let page = match (
        object.shift_remove("html"),
        object.shift_remove("html_base64"),
    ) {
        (Some(Value::String(html)), _) => Ok((html.into_bytes(), Some("utf-8".to_string()))),
        (_, Some(Value::String(b64))) => base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map(|bytes| (bytes, None))
            .map_err(|e| failure(format!("\"html_base64\" is not base64: {e}"))),
        (Some(other), _) | (_, Some(other)) => Err(failure(format!(
            "the page must be a string, not {}",
            json_kind(&other)
        ))),
        (None, None) => Err(failure(
            "no \"html\", \"html_base64\" or \"text\" field".into(),
        )),
    };
    Opened {
        id,
        url,
        passthrough: object,
        page,
        is_text: false,
    }
}

fn opened_error(error: Error) -> Opened {
    Opened {
        id: None,
        url: None,
        passthrough: Map::new(),
        page: Err(error),
        is_text: false,
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(input: &[u8], max_line_bytes: usize) -> Vec<Item> {
        let limits = ReadLimits {
            max_line_bytes,
            ..ReadLimits::default()
        };
        JsonlItems::new(input, "in.jsonl".into(), &limits).collect()
    }

    #[test]
    fn lines_blank_lines_and_numbers() {
        let input = b"{\"id\":\"a\",\"html\":\"<p>x</p>\"}\n\n  \n{\"html\":\"y\"}";
        let items = items(input, 1000);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].id, "1");
        assert_eq!(items[1].id, "4", "blank lines count in line numbers");
        assert!(matches!(
            items[1].content,
            Content::Page(Pending::JsonLine { line: 4, .. })
        ));
    }

    #[test]
    fn an_over_long_line_is_one_error_and_the_next_line_is_read() {
        let long = format!("{{\"html\":\"{}\"}}\n", "x".repeat(5000));
        let input = format!("{long}{{\"id\":\"after\",\"html\":\"<p>ok</p>\"}}\n");
        let items = items(input.as_bytes(), 100);
        assert_eq!(items.len(), 2);
        match &items[0].content {
            Content::Failed(e) => assert!(e.to_string().contains("longer than 100 bytes"), "{e}"),
            _ => panic!("expected an error"),
        }
        assert!(matches!(
            items[1].content,
            Content::Page(Pending::JsonLine { line: 2, .. })
        ));
    }

    #[test]
    fn fields_and_pass_through() {
        let o = parse_line(
            7,
            br#"{"id": 42, "url": "https://a.example/x", "html": "<p>caf\u00e9</p>", "lang": "fr", "meta": {"k": [1, 2]}}"#,
        );
        assert_eq!(o.id.as_deref(), Some("42"));
        assert_eq!(o.url.as_deref(), Some("https://a.example/x"));
        let (bytes, charset) = o.page.unwrap();
        assert_eq!(bytes, "<p>café</p>".as_bytes());
        assert_eq!(charset.as_deref(), Some("utf-8"));
        let keys: Vec<&str> = o.passthrough.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["lang", "meta"],
            "input order kept, page fields taken out"
        );
        assert_eq!(o.passthrough["meta"]["k"][1], 2);
    }

    #[test]
    fn base64_pages_are_raw_bytes() {
        let o = parse_line(1, br#"{"id":"b","html_base64":"PHA+Y2Fm6TwvcD4="}"#);
        let (bytes, charset) = o.page.unwrap();
        assert_eq!(bytes, b"<p>caf\xe9</p>");
        assert_eq!(charset, None, "bytes are decoded like a file");
    }

    #[test]
    fn errors_name_the_line_and_keep_what_was_readable() {
        let err = |line: &[u8]| parse_line(3, line).page.unwrap_err().to_string();
        assert!(err(b"{not json").contains("JSONL line 3: invalid JSON"));
        assert!(err(b"[1,2]").contains("not a JSON object but an array"));
        assert!(err(br#"{"id":"x"}"#).contains("no \"html\", \"html_base64\" or \"text\""));
        assert!(err(br#"{"html":5}"#).contains("must be a string"));
        assert!(err(br#"{"html_base64":"***"}"#).contains("not base64"));
        assert!(err(br#"{"id":[1],"html":""}"#).contains("\"id\" must be"));
        let o = parse_line(3, br#"{"id":"x","keep":true,"url":{"host":"a"}}"#);
        assert_eq!(o.id.as_deref(), Some("x"));
        assert_eq!(o.passthrough["keep"], true);
        assert_eq!(o.url, None);
        assert_eq!(
            o.passthrough["url"]["host"], "a",
            "a url we cannot read passes through"
        );
    }
}
