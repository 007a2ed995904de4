//! Page: one URL from start to record. Each hop asks robots.txt, passes its host's gate, is
//! tried again when the answer says so, and is archived; redirects are followed by hand (at
//! most `max_redirects`, a URL seen twice is a loop); the final answer must be 2xx and HTML
//! (declared or sniffed); its body goes to the extractor with the header's charset. Under a
//! guard, each hop's IP-address host is checked before robots.txt is asked.

use std::sync::{Arc, Mutex};

use chrono::{SecondsFormat, Utc};
use reqwest::header::RETRY_AFTER;
use reqwest::{Client, Url};
use tokio::sync::OwnedSemaphorePermit;

use super::client::{self, Exchange, FetchError, Sent};
use super::failed_record;
use super::hosts::Hosts;
use super::retry::{RetryPolicy, is_retryable_status};
use super::robots::{RobotsCache, Verdict};
use super::settings::Settings;
use super::warc::WarcWriter;
use gleaner::{Extraction, Extractor, PageInfo};
use gleaner_batch::output::Record;

/// What every page of a run shares.
pub struct Context {
    pub settings: Settings,
    pub client: Client,
    pub hosts: Hosts,
    pub robots: RobotsCache,
    pub retry: RetryPolicy,
    pub warc: Option<WarcWriter>,
    /// The first WARC write error; the run reports it at the end.
    pub warc_error: Mutex<Option<std::io::Error>>,
    pub extractor: Arc<Extractor>,
    /// Only public or allowed addresses (see `guard`).
    pub guard: Option<Arc<super::Guard>>,
}

impl Context {
    /// Sends a GET for `url` through its host's gate, trying again on 429, 5xx and
    /// connection failures. Returns the last answer with its host permit: hold the permit
    /// until the body is read.
    pub async fn request(&self, url: &Url) -> Result<(Sent, OwnedSemaphorePermit), FetchError> {
        let gate = self.hosts.gate(url);
        let mut failed = 0;
        loop {
            let permit = gate.turn().await;
            let last_try = failed + 1 >= self.retry.tries;
            match client::send(&self.client, url, &self.settings).await {
                Ok(sent) if !last_try && is_retryable_status(sent.response.status()) => {
                    failed += 1;
                    let headers = sent.response.headers().clone();
                    let Some(wait) = self.retry.wait_for(failed, &headers) else {
                        // Retry-After asks for longer than we wait: this is the answer.
                        return Ok((sent, permit));
                    };
                    let answer =
                        client::read_body(sent, self.settings.max_body_bytes, &self.settings).await;
                    drop(permit);
                    if let Ok(x) = answer {
                        self.archive(&x);
                    }
                    if headers.contains_key(RETRY_AFTER) {
                        // The host asked everyone to wait, not just this request.
                        gate.hold_until(tokio::time::Instant::now() + wait).await;
                    } else {
                        tokio::time::sleep(wait).await;
                    }
                }
                Ok(sent) => return Ok((sent, permit)),
                Err(e) if !last_try && e.is_retryable() => {
                    failed += 1;
                    drop(permit);
                    tokio::time::sleep(self.retry.backoff(failed)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Archives an exchange when a WARC file is being written. Compressing is CPU work, so
    /// it runs outside the async workers' polling.
    pub fn archive(&self, exchange: &Exchange) {
        let Some(warc) = &self.warc else { return };
        let result = tokio::task::block_in_place(|| {
            warc.write_exchange(exchange, &self.settings.user_agent)
        });
        if let Err(e) = result {
            let mut first = self.warc_error.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert(e);
        }
    }
}

/// A page that ended without an extraction.
struct Failure {
    url: Url,
    status: Option<u16>,
    error: String,
}

fn fail(url: &Url, status: Option<u16>, error: impl ToString) -> Failure {
    Failure {
        url: url.clone(),
        status,
        error: error.to_string(),
    }
}

/// Fetches and extracts one URL, as given on the command line or in the list.
pub async fn fetch_page(ctx: Arc<Context>, given: String) -> Record {
    let start = match parse_url(&given) {
        Ok(url) => url,
        Err(e) => return failed_record(&given, None, e),
    };
    let (exchange, charset) = match fetch_final(&ctx, start).await {
        Ok(found) => found,
        Err(f) => {
            let mut record = failed_record(&given, Some(f.url.to_string()), f.error);
            record.status = f.status;
            record.fetched_at = f.status.map(|_| now());
            return record;
        }
    };
    let fetched_at = now();
    let Exchange {
        url,
        status,
        body,
        body_cut,
        ..
    } = exchange;
    let final_url = url.to_string();
    let result = extract(&ctx, body, final_url.clone(), charset).await;
    let mut record = Record::new(given.clone(), given, Some(final_url), result);
    record.status = Some(status.as_u16());
    record.fetched_at = Some(fetched_at);
    record.truncated |= body_cut;
    record
}

/// Checks that `given` is an absolute http(s) URL with a host.
pub fn parse_url(given: &str) -> Result<Url, String> {
    let url = Url::parse(given).map_err(|e| format!("not a valid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("not an http(s) URL (scheme {:?})", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("not a valid URL: no host".to_string());
    }
    Ok(url)
}

/// Follows `start` to its final answer: a 2xx HTML body and the charset its header names.
async fn fetch_final(ctx: &Context, start: Url) -> Result<(Exchange, Option<String>), Failure> {
    let settings = &ctx.settings;
    let mut url = start;
    let mut chain = vec![url.clone()];
    loop {
        if let Some(guard) = &ctx.guard {
            guard.check_url(&url).map_err(|e| fail(&url, None, e))?;
        }
        if settings.obey_robots {
            match ctx.robots.verdict(ctx, &url).await {
                Verdict::Allowed => {}
                Verdict::Disallowed => return Err(fail(&url, None, "disallowed by robots.txt")),
                Verdict::Unreachable(why) => return Err(fail(&url, None, why)),
            }
        }
        let (sent, permit) = ctx.request(&url).await.map_err(|e| fail(&url, None, e))?;
        let status = sent.response.status();
        let code = Some(status.as_u16());
        if status.is_redirection()
            && let Some(location) = client::location(&sent.response)
        {
            let hop = client::read_body(sent, settings.max_body_bytes, settings).await;
            drop(permit);
            if let Ok(x) = &hop {
                ctx.archive(x);
            }
            let next = next_hop(&url, &location, &chain, settings.max_redirects)
                .map_err(|e| fail(&url, code, e))?;
            chain.push(next.clone());
            url = next;
            continue;
        }
        if !status.is_success() {
            if let Ok(x) = client::read_body(sent, settings.max_body_bytes, settings).await {
                ctx.archive(&x);
            }
            return Err(fail(&url, code, format!("HTTP {}", status.as_u16())));
        }
        let declared = client::content_type(sent.response.headers());
        if let Some(ct) = &declared
            && !settings.content_types.contains(&ct.essence)
        {
            // Not downloaded: dropping the response closes its connection.
            return Err(fail(
                &url,
                code,
                format!("skipped: content-type {}", ct.essence),
            ));
        }
        let exchange = client::read_body(sent, settings.max_body_bytes, settings)
            .await
            .map_err(|e| fail(&url, code, e))?;
        drop(permit);
        ctx.archive(&exchange);
        if declared.is_none() && !client::looks_like_html(&exchange.body) {
            return Err(fail(
                &url,
                code,
                "skipped: content-type missing and the body does not look like HTML",
            ));
        }
        return Ok((exchange, declared.and_then(|ct| ct.charset)));
    }
}

/// Resolves a redirect's Location against `url`, refusing loops, other schemes and chains
/// longer than `max_redirects`.
fn next_hop(url: &Url, location: &str, chain: &[Url], max_redirects: usize) -> Result<Url, String> {
    let next = url
        .join(location)
        .map_err(|e| format!("redirect to an invalid Location {location:?}: {e}"))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(format!("redirect to a non-http(s) URL: {next}"));
    }
    if chain.contains(&next) {
        let path: Vec<&str> = chain.iter().map(Url::as_str).collect();
        return Err(format!("redirect loop: {} → {next}", path.join(" → ")));
    }
    if chain.len() > max_redirects {
        return Err(format!("too many redirects (more than {max_redirects})"));
    }
    Ok(next)
}

/// Runs the extractor on rayon's pool (CPU work stays off the async workers).
async fn extract(
    ctx: &Context,
    body: Vec<u8>,
    url: String,
    charset: Option<String>,
) -> Result<Extraction, gleaner_batch::Error> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let extractor = ctx.extractor.clone();
    rayon::spawn(move || {
        let page = PageInfo::new()
            .url(url.as_str())
            .charset(charset.as_deref());
        let _ = tx.send(extractor.extract(&body, &page).map_err(Into::into));
    });
    rx.await.unwrap_or_else(|_| {
        let stopped = gleaner::Error::Panic("extraction thread stopped".into());
        Err(stopped.into())
    })
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(parse_url("https://example.org/a").is_ok());
        assert!(
            parse_url("ftp://example.org/")
                .unwrap_err()
                .contains("http(s)")
        );
        assert!(
            parse_url("not a url")
                .unwrap_err()
                .contains("not a valid URL")
        );
        assert!(parse_url("http://").is_err());
    }

    #[test]
    fn redirects_stop_at_loops_and_at_the_limit() {
        let u = |s: &str| Url::parse(s).unwrap();
        let a = u("http://h.test/a");
        let b = u("http://h.test/b");
        assert_eq!(
            next_hop(&a, "/b", std::slice::from_ref(&a), 10),
            Ok(b.clone())
        );
        let looped = next_hop(&b, "/a", &[a.clone(), b.clone()], 10).unwrap_err();
        assert!(
            looped
                .starts_with("redirect loop: http://h.test/a → http://h.test/b → http://h.test/a"),
            "{looped}"
        );
        let chain: Vec<Url> = (0..=10).map(|i| u(&format!("http://h.test/{i}"))).collect();
        let long = next_hop(&chain[10], "/next", &chain, 10).unwrap_err();
        assert_eq!(long, "too many redirects (more than 10)");
        assert!(next_hop(&a, "mailto:x@h.test", std::slice::from_ref(&a), 10).is_err());
    }
}
