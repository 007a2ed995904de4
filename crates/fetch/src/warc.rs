//! WARC: archives every exchange as WARC/1.1 records (ISO 28500:2017), a `request` and a
//! `response` per exchange after one `warcinfo`, each record its own gzip member (the
//! `.warc.gz` convention, so a reader can seek to any record).
//!
//! reqwest hands us bodies with their content coding already removed, so the archived payload
//! is the decoded body, and the headers say so the way Common Crawl's archives do: the
//! original `Content-Encoding`, `Content-Length` and `Transfer-Encoding` are kept under
//! `X-Crawler-…` names and `Content-Length` is the stored length. A body cut at the size cap
//! is marked `WARC-Truncated: length`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, TRANSFER_ENCODING};

use super::client::{ACCEPT_ENCODING_VALUE, ACCEPT_VALUE, Exchange};

/// A `.warc.gz` file being written; shared by all tasks of a run.
pub struct WarcWriter {
    path: PathBuf,
    out: Mutex<BufWriter<File>>,
}

impl WarcWriter {
    /// Creates (or truncates) `path` and writes the `warcinfo` record.
    pub fn create(path: &Path) -> std::io::Result<WarcWriter> {
        let writer = WarcWriter {
            path: path.to_path_buf(),
            out: Mutex::new(BufWriter::new(File::create(path)?)),
        };
        let fields = format!(
            "software: gleaner/{}\r\nformat: WARC File Format 1.1\r\n\
             conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
            env!("CARGO_PKG_VERSION")
        );
        let filename = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let header = [
            ("WARC-Type", "warcinfo".to_string()),
            ("WARC-Record-ID", record_id()),
            ("WARC-Date", warc_date(Utc::now())),
            ("WARC-Filename", filename),
            ("Content-Type", "application/warc-fields".to_string()),
        ];
        writer.write_record(&header, fields.as_bytes())?;
        Ok(writer)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Archives one exchange: the request we sent, then the response we got.
    pub fn write_exchange(&self, x: &Exchange, user_agent: &str) -> std::io::Result<()> {
        let date = warc_date(x.requested_at);
        let target = x.url.as_str().to_string();
        let response_id = record_id();
        let mut response_header = vec![
            ("WARC-Type", "response".to_string()),
            ("WARC-Record-ID", response_id.clone()),
            ("WARC-Date", date.clone()),
            ("WARC-Target-URI", target.clone()),
        ];
        if let Some(addr) = x.remote_addr {
            response_header.push(("WARC-IP-Address", addr.ip().to_string()));
        }
        if x.body_cut {
            response_header.push(("WARC-Truncated", "length".to_string()));
        }
        response_header.push((
            "Content-Type",
            "application/http;msgtype=response".to_string(),
        ));
        let request_header = [
            ("WARC-Type", "request".to_string()),
            ("WARC-Record-ID", record_id()),
            ("WARC-Date", date),
            ("WARC-Target-URI", target),
            ("WARC-Concurrent-To", response_id),
            (
                "Content-Type",
                "application/http;msgtype=request".to_string(),
            ),
        ];
        self.write_record(&request_header, &http_request(x, user_agent))?;
        self.write_record(&response_header, &http_response(x))
    }

    /// Writes one record as its own gzip member. The Content-Length field is added here.
    fn write_record(&self, fields: &[(&str, String)], block: &[u8]) -> std::io::Result<()> {
        let mut head = String::from("WARC/1.1\r\n");
        for (name, value) in fields {
            head.push_str(&format!("{name}: {}\r\n", one_line(value)));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
        let mut gz = GzEncoder::new(
            Vec::with_capacity(block.len() / 3 + 512),
            Compression::default(),
        );
        gz.write_all(head.as_bytes())?;
        gz.write_all(block)?;
        gz.write_all(b"\r\n\r\n")?;
        let member = gz.finish()?;
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        out.write_all(&member)?;
        Ok(())
    }

    /// Flushes buffered records to the file.
    pub fn flush(&self) -> std::io::Result<()> {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        out.flush()?;
        out.get_ref().sync_data()
    }
}

/// The request as we sent it: method, target, Host, and the headers we and reqwest set.
fn http_request(x: &Exchange, user_agent: &str) -> Vec<u8> {
    let mut target = x.url.path().to_string();
    if let Some(q) = x.url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host = match x.url.port() {
        Some(port) => format!("{}:{port}", x.url.host_str().unwrap_or_default()),
        None => x.url.host_str().unwrap_or_default().to_string(),
    };
    format!(
        "GET {target} {}\r\nHost: {host}\r\nUser-Agent: {}\r\nAccept: {ACCEPT_VALUE}\r\n\
         Accept-Encoding: {ACCEPT_ENCODING_VALUE}\r\n\r\n",
        http_version(x.version),
        one_line(user_agent)
    )
    .into_bytes()
}

/// The response: status line, headers (see the module header), the stored body.
fn http_response(x: &Exchange) -> Vec<u8> {
    let mut out = format!(
        "{} {} {}\r\n",
        http_version(x.version),
        x.status.as_u16(),
        x.status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in &x.headers {
        let renamed = [CONTENT_ENCODING, CONTENT_LENGTH, TRANSFER_ENCODING].contains(name);
        if renamed {
            out.extend_from_slice(b"X-Crawler-");
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", x.body.len()).as_bytes());
    out.extend_from_slice(&x.body);
    out
}

fn http_version(v: reqwest::Version) -> &'static str {
    match v {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
}

/// WARC-Date: UTC, ISO 8601, seconds precision.
fn warc_date(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A random (version 4) UUID as a WARC-Record-ID.
fn record_id() -> String {
    let mut bytes = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Header values must not break the record's line structure.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_v4_uuids() {
        let id = record_id();
        assert_eq!(id.len(), "<urn:uuid:>".len() + 36, "{id}");
        assert_eq!(&id[24..25], "4", "{id}");
        assert_ne!(id, record_id());
    }
}
