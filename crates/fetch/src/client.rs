//! Client: one HTTP exchange with reqwest. Sends a GET (redirects are not followed here: the
//! page logic follows them one hop at a time, so that each hop is polite, obeys robots.txt and
//! is archived), names a failure the way a user needs it (DNS, refused, TLS, timeout), and
//! reads the body up to the size cap. Also: Content-Type parsing and HTML sniffing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode, Url, Version};

use super::guard::{Guard, GuardedResolver};
use super::settings::Settings;

/// What we ask for: HTML first, anything else accepted (and then judged by its type).
pub const ACCEPT_VALUE: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";
/// What reqwest sends with the gzip, brotli, zstd and deflate features on.
pub const ACCEPT_ENCODING_VALUE: &str = "gzip, br, zstd, deflate";

/// Builds the one client of a run: connection pooling, HTTP/2 where the server offers it.
/// Under a guard, names resolve through it, and no proxy is used (a proxy would resolve
/// and connect out of the guard's sight).
pub fn build(settings: &Settings, guard: Option<&Arc<Guard>>) -> reqwest::Result<Client> {
    let builder = Client::builder()
        .user_agent(&settings.user_agent)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.timeout);
    match guard {
        Some(g) => builder
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver(g.clone())))
            .build(),
        None => builder.build(),
    }
}

/// Why a request got no response.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("DNS lookup failed for {host}: {detail}")]
    Dns { host: String, detail: String },
    #[error("connection refused by {0}")]
    Refused(String),
    #[error("TLS error with {host}: {detail}")]
    Tls { host: String, detail: String },
    #[error("timed out after {secs} s ({what})")]
    Timeout { secs: String, what: &'static str },
    #[error("cannot connect to {host}: {detail}")]
    Connect { host: String, detail: String },
    #[error("connection to {host} broke: {detail}")]
    Broken { host: String, detail: String },
    #[error("request failed: {0}")]
    Other(String),
}

impl FetchError {
    /// Connection failures are tried again; a name that does not resolve, a TLS failure or a
    /// server too slow for the timeout will most likely do the same again.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            FetchError::Refused(_) | FetchError::Connect { .. } | FetchError::Broken { .. }
        )
    }
}

/// A response whose body is not read yet.
pub struct Sent {
    pub response: Response,
    pub requested_at: DateTime<Utc>,
}

/// A finished exchange: the response with its body (content-decoded, at most the cap).
pub struct Exchange {
    pub url: Url,
    pub status: StatusCode,
    pub version: Version,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body was longer than the cap and was cut.
    pub body_cut: bool,
    pub remote_addr: Option<SocketAddr>,
    pub requested_at: DateTime<Utc>,
}

/// Sends one GET for `url`.
pub async fn send(client: &Client, url: &Url, settings: &Settings) -> Result<Sent, FetchError> {
    let requested_at = Utc::now();
    let response = client
        .get(url.clone())
        .header(ACCEPT, HeaderValue::from_static(ACCEPT_VALUE))
        .send()
        .await
        .map_err(|e| classify(&e, url, settings))?;
    Ok(Sent {
        response,
        requested_at,
    })
}

/// The `Location` header of a response, if it has a readable one.
pub fn location(response: &Response) -> Option<String> {
    let value = response.headers().get(reqwest::header::LOCATION)?;
    Some(String::from_utf8_lossy(value.as_bytes()).trim().to_string()).filter(|l| !l.is_empty())
}

/// Reads the body of `sent` up to `cap` bytes; a longer body is cut there and flagged.
pub async fn read_body(
    sent: Sent,
    cap: usize,
    settings: &Settings,
) -> Result<Exchange, FetchError> {
    let Sent {
        mut response,
        requested_at,
    } = sent;
    let url = response.url().clone();
    // Content-Length is only a hint (bodies are content-decoded), but it saves regrowing.
    let hint = response.content_length().unwrap_or(0).min(cap as u64) as usize;
    let mut body = Vec::with_capacity(hint);
    let mut body_cut = false;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| classify(&e, &url, settings))?
    {
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            body_cut = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Exchange {
        status: response.status(),
        version: response.version(),
        headers: response.headers().clone(),
        remote_addr: response.remote_addr(),
        url,
        body,
        body_cut,
        requested_at,
    })
}

/// Names a reqwest failure by its cause, looking through the error's source chain.
fn classify(error: &reqwest::Error, url: &Url, settings: &Settings) -> FetchError {
    let host = super::hosts::host_key(url);
    let mut messages: Vec<String> = Vec::new();
    let mut io_kind = None;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
        }
        let message = e.to_string();
        // Wrappers often repeat their source's text; keep each message once.
        if !messages.iter().any(|m| m.contains(&message)) {
            messages.push(message);
        }
        source = e.source();
    }
    let innermost = messages.last().cloned().unwrap_or_default();
    let chain = messages.join(": ");
    let lower = chain.to_ascii_lowercase();
    use std::io::ErrorKind;
    if error.is_timeout() || io_kind == Some(ErrorKind::TimedOut) {
        let (limit, what) = if error.is_connect() {
            (settings.connect_timeout, "connecting")
        } else {
            (settings.timeout, "whole request")
        };
        return FetchError::Timeout {
            secs: secs(limit),
            what,
        };
    }
    if lower.contains("dns error") {
        return FetchError::Dns {
            host,
            detail: innermost,
        };
    }
    if io_kind == Some(ErrorKind::ConnectionRefused) {
        return FetchError::Refused(host);
    }
    // rustls failures reach us as io::Error(InvalidData) from the TLS stream, as certificate
    // or handshake messages, or as the peer hanging up mid-handshake (an https URL on a
    // server that does not speak TLS).
    let tls_words = ["tls", "certificate", "handshake", "corrupt message"];
    let tls_kinds = [ErrorKind::InvalidData, ErrorKind::UnexpectedEof];
    if error.is_connect()
        && url.scheme() == "https"
        && (io_kind.is_some_and(|k| tls_kinds.contains(&k))
            || tls_words.iter().any(|w| lower.contains(w)))
    {
        return FetchError::Tls {
            host,
            detail: innermost,
        };
    }
    if matches!(
        io_kind,
        Some(
            ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof
        )
    ) {
        return FetchError::Broken {
            host,
            detail: innermost,
        };
    }
    if error.is_connect() {
        return FetchError::Connect {
            host,
            detail: innermost,
        };
    }
    if lower.contains("connection closed") || lower.contains("incomplete") {
        return FetchError::Broken {
            host,
            detail: innermost,
        };
    }
    FetchError::Other(chain)
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s}")
    }
}

/// A parsed `Content-Type`: the lowercase `type/subtype` and the charset parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentType {
    pub essence: String,
    pub charset: Option<String>,
}

pub fn content_type(headers: &HeaderMap) -> Option<ContentType> {
    let value = headers.get(reqwest::header::CONTENT_TYPE)?;
    let value = String::from_utf8_lossy(value.as_bytes());
    let mut parts = value.split(';');
    let essence = parts.next()?.trim().to_ascii_lowercase();
    if essence.is_empty() {
        return None;
    }
    let charset = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
    });
    Some(ContentType { essence, charset })
}

/// Whether a body with no declared type is HTML (the WHATWG sniffing rule, shared with the
/// WARC reader).
pub use gleaner_batch::input::http::looks_like_html;

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::CONTENT_TYPE;

    fn ct(value: &str) -> Option<ContentType> {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        content_type(&h)
    }

    #[test]
    fn content_types_parse_with_their_charset() {
        let c = ct("Text/HTML; Charset=\"Shift_JIS\"").unwrap();
        assert_eq!(c.essence, "text/html");
        assert_eq!(c.charset.as_deref(), Some("Shift_JIS"));
        assert_eq!(ct("application/pdf").unwrap().charset, None);
        assert_eq!(ct(";charset=utf-8"), None);
        assert_eq!(content_type(&HeaderMap::new()), None);
    }

    #[test]
    fn html_is_sniffed_by_its_first_tag() {
        assert!(looks_like_html(b"  \n<!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<HTML lang=en>"));
        assert!(looks_like_html(b"\xef\xbb\xbf<p>hi"));
        assert!(looks_like_html(b"<!-- x -->"));
        assert!(!looks_like_html(b"%PDF-1.7"));
        assert!(!looks_like_html(b"<bogus>"));
        assert!(!looks_like_html(b"{\"json\": true}"));
        assert!(!looks_like_html(b""));
    }
}
