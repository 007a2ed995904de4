//! gleaner-serve: `gleaner serve`, extraction over HTTP.
//!
//! ```text
//! POST /extract        a page (raw body or JSON) → the record `gleaner extract --format json` prints
//! POST /extract/batch  JSON Lines in → JSON Lines out, streamed, in input order
//! GET  /health, /metrics (Prometheus text), /openapi.json
//! ```
//!
//! hyper's HTTP/1 server with a header read timeout, axum's router, tower-http's body
//! limit (413 from Content-Length before the body is read) and body timeout; extraction on
//! a bounded rayon pool (503 + Retry-After when full); SIGTERM/SIGINT drain and exit 0.

mod config;
mod fetch;
mod handlers;
mod metrics;
mod pool;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

pub use config::ServeConfig;
use gleaner::{Extractor, Mode, Style};
use gleaner_fetch::FetchConfig;
use metrics::Metrics;
use pool::Pool;

/// What every request shares.
pub struct App {
    /// One extractor per (mode, style): `[balanced, precision, recall]` × `[text, markdown]`.
    extractors: Vec<Arc<Extractor>>,
    default_mode: Mode,
    pool: Pool,
    metrics: Arc<Metrics>,
    config: ServeConfig,
    fetch: FetchConfig,
    /// `allow_addresses`, parsed.
    allowed: Vec<gleaner_fetch::Net>,
    budget: Duration,
    /// Tests only: a page with this URL panics in the pool (`GLEANER_SERVE_PANIC_URL`).
    panic_url: Option<String>,
}

impl App {
    fn extractor(&self, mode: Option<Mode>, style: Style) -> Arc<Extractor> {
        let m = match mode.unwrap_or(self.default_mode) {
            Mode::Precision => 1,
            Mode::Recall => 2,
            _ => 0,
        };
        let s = usize::from(style == Style::Markdown);
        self.extractors[m * 2 + s].clone()
    }
}

/// Builds the router around `app` (the tests of this crate and the server use it).
fn router(app: Arc<App>) -> Router {
    let config = &app.config;
    Router::new()
        .route("/extract", post(handlers::extract))
        .route("/extract/batch", post(handlers::batch))
        .route("/health", get(handlers::health))
        .route("/metrics", get(handlers::metrics))
        .route("/openapi.json", get(handlers::openapi))
        .fallback(handlers::not_found)
        .layer(RequestBodyTimeoutLayer::new(secs(config.body_timeout_secs)))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(CatchPanicLayer::custom(handlers::panicked))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            handlers::json_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            handlers::count,
        ))
        .with_state(app)
}

fn secs(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX)
}

/// Runs the server until SIGTERM or SIGINT, then lets the requests in flight finish (up to
/// `drain_timeout_secs`) and returns.
pub fn run(
    config: ServeConfig,
    extract: gleaner::Config,
    fetch: FetchConfig,
) -> anyhow::Result<()> {
    let metrics = Arc::new(Metrics::default());
    let mut extractors = Vec::new();
    for mode in [Mode::Balanced, Mode::Precision, Mode::Recall] {
        for style in [Style::Text, Style::Markdown] {
            let mut c = extract.clone();
            c.mode = mode;
            c.style = style;
            extractors.push(Arc::new(Extractor::new(c)?));
        }
    }
    let workers = match config.workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let app = Arc::new(App {
        extractors,
        default_mode: extract.mode,
        pool: Pool::new(workers, config.queue, metrics.clone())?,
        metrics,
        budget: Duration::from_millis(extract.limits.time_budget_ms),
        fetch,
        allowed: fetch::allowed(&config.allow_addresses)?,
        panic_url: std::env::var("GLEANER_SERVE_PANIC_URL").ok(),
        config,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(app))
}

async fn serve(app: Arc<App>) -> anyhow::Result<()> {
    let addr: SocketAddr = app
        .config
        .listen
        .parse()
        .map_err(|e| anyhow::anyhow!("--listen {}: {e}", app.config.listen))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    eprintln!("gleaner: serving on http://{}", listener.local_addr()?);
    let service = TowerToHyperService::new(router(app.clone()));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(secs(app.config.header_timeout_secs));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let conn = http.serve_connection(TokioIo::new(stream), service.clone());
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            _ = &mut stop => break,
        }
    }
    drop(listener);
    eprintln!("gleaner: stopping; finishing the requests in flight");
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(secs(app.config.drain_timeout_secs)) => {
            eprintln!("gleaner: drain timeout; requests still in flight were dropped");
        }
    }
    Ok(())
}

/// SIGTERM or SIGINT.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
