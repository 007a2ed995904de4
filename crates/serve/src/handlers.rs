//! The endpoints.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::{mpsc, oneshot};

use crate::App;
use gleaner::{Deadline, Mode, PageInfo, Style};
use gleaner_batch::output::Record;

/// A JSON error answer: `{"error": "..."}`.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// Every error answer carries a JSON `error`: those the layers and the router make without
/// one (413 from the body limit, 405 for a method a path does not take) get one here.
pub async fn json_errors(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(response.headers()) {
        return response;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => too_large_message(app.config.max_body_bytes),
        StatusCode::METHOD_NOT_ALLOWED => format!("{path} does not take {method}"),
        s => s.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let mut fresh = error(status, message);
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().append(name, value.clone());
        }
    }
    fresh
}

fn too_large_message(limit: usize) -> String {
    format!("the body is over the size limit ({limit} bytes)")
}

/// Counts every answer by status.
pub async fn count(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    app.metrics.request(response.status().as_u16());
    response
}

/// A panic outside the pool (the pool catches its own): 500 for this request only.
pub fn panicked(p: Box<dyn std::any::Any + Send + 'static>) -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("internal error: {}", gleaner::panic_message(p.as_ref())),
    )
}

pub async fn not_found(request: Request) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!(
            "no such endpoint: {} {}",
            request.method(),
            request.uri().path()
        ),
    )
}

pub async fn health() -> Response {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") })).into_response()
}

pub async fn metrics(State(app): State<Arc<App>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    )
        .into_response()
}

pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FormatParam {
    Text,
    Markdown,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModeParam {
    Precision,
    Balanced,
    Recall,
}

impl From<ModeParam> for Mode {
    fn from(m: ModeParam) -> Mode {
        match m {
            ModeParam::Precision => Mode::Precision,
            ModeParam::Balanced => Mode::Balanced,
            ModeParam::Recall => Mode::Recall,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    url: Option<String>,
    format: Option<FormatParam>,
    mode: Option<ModeParam>,
}

/// The JSON form of a page: `/extract` with `Content-Type: application/json`, and each
/// line of `/extract/batch`.
#[derive(Debug, Deserialize)]
struct JsonPage {
    id: Option<String>,
    url: Option<String>,
    html: Option<String>,
    html_base64: Option<String>,
    format: Option<FormatParam>,
    mode: Option<ModeParam>,
}

/// One page to extract.
struct Page {
    id: String,
    url: Option<String>,
    bytes: Vec<u8>,
    charset: Option<String>,
    style: Style,
    mode: Option<Mode>,
}

fn style(format: Option<FormatParam>) -> Style {
    match format {
        Some(FormatParam::Markdown) => Style::Markdown,
        _ => Style::Text,
    }
}

impl JsonPage {
    fn into_page(self, id: String, params: &Params) -> Result<Page, String> {
        let bytes = match (self.html, self.html_base64) {
            (Some(html), None) => html.into_bytes(),
            (None, Some(b64)) => base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|e| format!("html_base64 is not base64: {e}"))?,
            (Some(_), Some(_)) => return Err("give one of html and html_base64, not both".into()),
            (None, None) => return Err("no page: give html or html_base64".into()),
        };
        Ok(Page {
            id: self.id.unwrap_or(id),
            url: self.url.or_else(|| params.url.clone()),
            bytes,
            charset: None,
            style: style(self.format.or(params.format)),
            mode: self.mode.or(params.mode).map(Into::into),
        })
    }
}

/// The charset parameter of a Content-Type header.
fn charset(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads a whole body; a body over `limit` is 413, one too slow or broken 408/400.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, usize::MAX).await.map_err(|e| {
        let text = format!("{e:#}");
        let inner = std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_default();
        let all = format!("{text} {inner}").to_lowercase();
        if all.contains("length limit") {
            error(StatusCode::PAYLOAD_TOO_LARGE, too_large_message(limit))
        } else if all.contains("timed out") || all.contains("timeout") {
            error(StatusCode::REQUEST_TIMEOUT, "the body came too slowly")
        } else {
            error(
                StatusCode::BAD_REQUEST,
                format!("cannot read the body: {text}"),
            )
        }
    })
}

/// Extracts one page on the pool into its record; the bool says it panicked.
fn extract_page(app: &App, page: Page, started: Instant) -> (Record, bool) {
    let extractor = app.extractor(page.mode, page.style);
    let deadline = Deadline::after(app.budget);
    if app.panic_url.is_some() && page.url == app.panic_url {
        panic!("a test page that panics");
    }
    let info = PageInfo::new()
        .url(page.url.as_deref())
        .charset(page.charset.as_deref())
        .deadline(deadline);
    let result = extractor.extract(&page.bytes, &info);
    let panicked = matches!(result, Err(gleaner::Error::Panic(_)));
    app.metrics.extraction(started.elapsed());
    let record = Record::new(
        page.id,
        "request".to_string(),
        page.url,
        result.map_err(Into::into),
    );
    (record, panicked)
}

fn panic_record(id: String, url: Option<String>, message: String) -> Record {
    Record::new(
        id,
        "request".to_string(),
        url,
        Err(gleaner::Error::Panic(message).into()),
    )
}

fn busy() -> Response {
    let mut r = error(
        StatusCode::SERVICE_UNAVAILABLE,
        "the extraction queue is full; try again",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

fn record_response(status: StatusCode, record: &Record) -> Response {
    match serde_json::to_vec(record) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// `POST /extract`.
pub async fn extract(
    State(app): State<Arc<App>>,
    params: Result<Query<Params>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Query(params) = match params {
        Ok(p) => p,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("bad query: {}", e.body_text()),
            );
        }
    };
    let body = match read_body(body, app.config.max_body_bytes).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    app.metrics.bytes_in(body.len());
    let page = if body.is_empty() {
        let Some(url) = params.url.clone() else {
            return error(
                StatusCode::BAD_REQUEST,
                "empty body: send the page as the body (or, with --allow-fetch, only ?url=)",
            );
        };
        return fetch(app, url, params).await;
    } else if is_json(&headers) {
        let json: JsonPage = match serde_json::from_slice(&body) {
            Ok(j) => j,
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("bad JSON body: {e}")),
        };
        match json.into_page("request".to_string(), &params) {
            Ok(p) => p,
            Err(e) => return error(StatusCode::BAD_REQUEST, e),
        }
    } else {
        Page {
            id: params.url.clone().unwrap_or_else(|| "request".to_string()),
            url: params.url.clone(),
            bytes: body.into(),
            charset: charset(&headers),
            style: style(params.format),
            mode: params.mode.map(Into::into),
        }
    };
    let Some(slot) = app.pool.try_slot() else {
        return busy();
    };
    let started = Instant::now();
    let (id, url) = (page.id.clone(), page.url.clone());
    let job_app = app.clone();
    match app
        .pool
        .run(slot, move || extract_page(&job_app, page, started))
        .await
    {
        Ok((record, false)) => record_response(StatusCode::OK, &record),
        Ok((record, true)) => record_response(StatusCode::INTERNAL_SERVER_ERROR, &record),
        Err(message) => record_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &panic_record(id, url, message),
        ),
    }
}

/// `POST /extract?url=...` with no body: fetched, when `--allow-fetch` is on.
async fn fetch(app: Arc<App>, url: String, params: Params) -> Response {
    if !app.config.allow_fetch {
        return error(
            StatusCode::BAD_REQUEST,
            "empty body: fetching url is off on this server (--allow-fetch)",
        );
    }
    if let Err(e) = crate::fetch::check_url(&url) {
        return error(StatusCode::BAD_REQUEST, e);
    }
    let Some(slot) = app.pool.try_slot() else {
        return busy();
    };
    let extractor = app.extractor(params.mode.map(Into::into), style(params.format));
    let guard = crate::fetch::guard(app.config.allow_private, &app.allowed);
    let options = gleaner_fetch::RunOptions {
        config: app.fetch.clone(),
        guard: guard.clone(),
        ..Default::default()
    };
    let given = url.clone();
    let done = tokio::task::spawn_blocking(move || {
        let mut out = None;
        let run = gleaner_fetch::run(vec![url], extractor, &options, |r| {
            out = Some(r);
            Ok(())
        });
        drop(slot);
        run.map(|_| out)
    })
    .await;
    // A refused hop (the first URL, a redirect, robots.txt) is the client's to hear as such.
    if let Some(why) = guard.and_then(|g| g.refusal()) {
        return error(StatusCode::FORBIDDEN, format!("url {given:?}: {why}"));
    }
    match done {
        Ok(Ok(Some(record))) => record_response(StatusCode::OK, &record),
        Ok(Ok(None)) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the fetch gave no record",
        ),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// `POST /extract/batch`: each line a JSON page; each answer line its record, in order.
/// A line that is not a page gets a record with `error`.
pub async fn batch(
    State(app): State<Arc<App>>,
    params: Result<Query<Params>, QueryRejection>,
    body: Body,
) -> Response {
    let Query(params) = match params {
        Ok(p) => p,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("bad query: {}", e.body_text()),
            );
        }
    };
    let params = Arc::new(params);
    let workers = 2 * app.config.queue.max(1);
    let (tx, rx) = mpsc::channel::<oneshot::Receiver<Vec<u8>>>(workers);
    let feeder = app.clone();
    tokio::spawn(async move {
        let mut stream = body.into_data_stream();
        let mut pending: Vec<u8> = Vec::new();
        let mut line_no = 0usize;
        let mut ended = false;
        while !ended {
            let chunk = match stream.next().await {
                Some(Ok(c)) => c,
                Some(Err(e)) => {
                    let (otx, orx) = oneshot::channel();
                    let _ = otx.send(line(
                        &json!({ "error": format!("cannot read the body: {e}") }),
                    ));
                    let _ = tx.send(orx).await;
                    return;
                }
                None => {
                    ended = true;
                    Bytes::new()
                }
            };
            feeder.metrics.bytes_in(chunk.len());
            pending.extend_from_slice(&chunk);
            let mut lines: Vec<Vec<u8>> = Vec::new();
            while let Some(nl) = memchr_newline(&pending) {
                let rest = pending.split_off(nl + 1);
                lines.push(std::mem::replace(&mut pending, rest));
            }
            if ended && !pending.is_empty() {
                lines.push(std::mem::take(&mut pending));
            }
            for raw in lines {
                if raw.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                line_no += 1;
                let (otx, orx) = oneshot::channel();
                if tx.send(orx).await.is_err() {
                    return;
                }
                let id = line_no.to_string();
                let page = serde_json::from_slice::<JsonPage>(&raw)
                    .map_err(|e| format!("line {line_no}: bad JSON: {e}"))
                    .and_then(|j| {
                        j.into_page(id.clone(), &params)
                            .map_err(|e| format!("line {line_no}: {e}"))
                    });
                let page = match page {
                    Ok(p) => p,
                    Err(e) => {
                        let mut r = Record::new(id, "batch".into(), None, Ok(Default::default()));
                        r.error = Some(e);
                        let _ = otx.send(record_line(&r));
                        continue;
                    }
                };
                let slot = feeder.pool.slot().await;
                let job_app = feeder.clone();
                let pool_app = feeder.clone();
                let (id, url) = (page.id.clone(), page.url.clone());
                tokio::spawn(async move {
                    let started = Instant::now();
                    let record = match pool_app
                        .pool
                        .run(slot, move || extract_page(&job_app, page, started).0)
                        .await
                    {
                        Ok(mut r) => {
                            r.source = "batch".into();
                            r
                        }
                        Err(message) => panic_record(id, url, message),
                    };
                    let _ = otx.send(record_line(&record));
                });
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let next = rx.recv().await?;
        let bytes = next
            .await
            .unwrap_or_else(|_| line(&json!({ "error": "lost" })));
        Some((Ok::<_, std::convert::Infallible>(Bytes::from(bytes)), rx))
    });
    (
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response()
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

fn line(v: &serde_json::Value) -> Vec<u8> {
    let mut out = serde_json::to_vec(v).unwrap_or_default();
    out.push(b'\n');
    out
}

fn record_line(r: &Record) -> Vec<u8> {
    let mut out = serde_json::to_vec(r).unwrap_or_default();
    out.push(b'\n');
    out
}
