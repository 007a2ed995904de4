//! Runner: drives a whole run. URLs wait in one queue per host; hosts take turns (round
//! robin), each with at most `per_host_concurrency` pages started, and at most `concurrency`
//! pages are in flight in all, so a list sorted by host never starves the other hosts.
//! Finished pages go to the caller's sink at once, or in input order with `keep_order`.
//! Ctrl-C: the first stops starting pages, a second abandons those in flight; every URL not
//! done still gets its record, and every record made is handed over before returning.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use reqwest::Url;
use tokio::task::JoinSet;

use super::hosts::{Hosts, host_key};
use super::page::{self, Context};
use super::retry::RetryPolicy;
use super::robots::RobotsCache;
use super::settings::Settings;
use super::warc::WarcWriter;
use super::{RunError, RunOptions, Summary, client, failed_record};
use gleaner::Extractor;
use gleaner_batch::output::Record;
use gleaner_batch::progress::Progress;

/// Fetches every URL in `urls` and extracts it with `extractor` (`options.config` sets the
/// politeness, retries and limits), handing one record per URL to `sink`.
/// Blocks until the run is done; it runs its own tokio runtime.
pub fn run(
    urls: Vec<String>,
    extractor: Arc<Extractor>,
    options: &RunOptions,
    sink: impl FnMut(Record) -> std::io::Result<()>,
) -> Result<Summary, RunError> {
    let settings = Settings::new(&options.config).map_err(RunError::Config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    let result = runtime.block_on(async {
        let warc = match &options.warc {
            Some(path) => Some(WarcWriter::create(path).map_err(|error| RunError::Warc {
                path: path.clone(),
                error,
            })?),
            None => None,
        };
        let ctx = Arc::new(Context {
            client: client::build(&settings, options.guard.as_ref())?,
            hosts: Hosts::new(settings.per_host_concurrency, settings.per_host_delay),
            robots: RobotsCache::default(),
            retry: RetryPolicy {
                tries: settings.tries,
                backoff_base: settings.backoff_base,
                backoff_max: settings.backoff_max,
                max_retry_after: settings.max_retry_after,
            },
            warc,
            warc_error: Mutex::new(None),
            extractor,
            guard: options.guard.clone(),
            settings,
        });
        let mut summary = drive(&ctx, &urls, options, sink).await?;
        if let Some(warc) = &ctx.warc {
            let flushed = warc.flush();
            let mut first = ctx.warc_error.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(error) = first.take().or(flushed.err()) {
                summary.warc_error = Some(format!("{}: {error}", warc.path().display()));
            }
        }
        Ok(summary)
    });
    // Abandoned work (a DNS lookup on a blocking thread after a second Ctrl-C) must not hold
    // the process: let it finish or die in the background.
    runtime.shutdown_background();
    result
}

async fn drive(
    ctx: &Arc<Context>,
    urls: &[String],
    options: &RunOptions,
    sink: impl FnMut(Record) -> std::io::Result<()>,
) -> Result<Summary, RunError> {
    let progress = Progress::new(options.progress, Some(urls.len() as u64));
    let mut out = Output::new(sink, options.keep_order, progress);
    let mut queues = HostQueues::new(ctx.settings.per_host_concurrency);
    for (i, given) in urls.iter().enumerate() {
        match Url::parse(given) {
            Ok(url) if url.host_str().is_some() => queues.push(host_key(&url), i),
            // The page task names what is wrong with it; no host to queue it under.
            _ => queues.push(String::new(), i),
        }
    }
    let mut live: JoinSet<Record> = JoinSet::new();
    let mut live_ids = HashMap::new();
    let mut ctrl_c = ctrl_c_signal(options.handle_ctrl_c);
    let mut stopping = false;
    loop {
        while !stopping
            && live.len() < ctx.settings.concurrency
            && let Some((i, host)) = queues.next()
        {
            let task = live.spawn(page::fetch_page(ctx.clone(), urls[i].clone()));
            live_ids.insert(task.id(), (i, host));
        }
        out.progress.in_flight(live.len());
        if live.is_empty() {
            break;
        }
        tokio::select! {
            joined = live.join_next_with_id() => {
                let Some(joined) = joined else { continue };
                let (id, record) = match joined {
                    Ok((id, record)) => (id, record),
                    Err(e) => {
                        let (i, _) = live_ids[&e.id()];
                        let why = if e.is_cancelled() {
                            "interrupted while being fetched (Ctrl-C)".to_string()
                        } else {
                            format!("internal error: the page task failed: {e}")
                        };
                        (e.id(), failed_record(&urls[i], None, why))
                    }
                };
                let (i, host) = live_ids.remove(&id).expect("every task is registered");
                queues.finished(host);
                out.emit(i, record)?;
            }
            _ = &mut ctrl_c => {
                if stopping {
                    out.progress.note("abandoning the pages in flight");
                    live.abort_all();
                    ctrl_c = ctrl_c_signal(false);
                } else {
                    stopping = true;
                    out.progress.note(&format!(
                        "stopping: finishing the {} pages in flight; Ctrl-C again to abandon them",
                        live.len()
                    ));
                    ctrl_c = ctrl_c_signal(true);
                }
            }
        }
    }
    for i in queues.drain() {
        let record = failed_record(
            &urls[i],
            None,
            "interrupted before it was fetched (Ctrl-C)".into(),
        );
        out.emit(i, record)?;
    }
    let mut summary = out.finish();
    summary.interrupted = stopping;
    Ok(summary)
}

/// Resolves on Ctrl-C when `listen`; never otherwise (nor when signals cannot be caught).
fn ctrl_c_signal(listen: bool) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async move {
        if !listen || tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}

/// Hands records to the sink, in input order when asked (holding early ones back).
struct Output<S> {
    sink: S,
    keep_order: bool,
    held: BTreeMap<usize, Record>,
    next: usize,
    summary: Summary,
    progress: Progress,
}

impl<S: FnMut(Record) -> std::io::Result<()>> Output<S> {
    fn new(sink: S, keep_order: bool, progress: Progress) -> Self {
        Output {
            sink,
            keep_order,
            held: BTreeMap::new(),
            next: 0,
            summary: Summary::default(),
            progress,
        }
    }

    fn emit(&mut self, index: usize, record: Record) -> Result<(), RunError> {
        if !self.keep_order {
            return self.hand_over(record);
        }
        self.held.insert(index, record);
        while let Some(record) = self.held.remove(&self.next) {
            self.next += 1;
            self.hand_over(record)?;
        }
        Ok(())
    }

    fn hand_over(&mut self, record: Record) -> Result<(), RunError> {
        self.summary.counts.count(&record);
        self.progress.show(&self.summary.counts);
        let sink = &mut self.sink;
        self.progress
            .suspend(|| sink(record))
            .map_err(RunError::Output)
    }

    fn finish(mut self) -> Summary {
        debug_assert!(self.held.is_empty(), "every index is emitted once");
        self.summary.counts.seconds = self.progress.seconds();
        self.progress.finish();
        self.summary
    }
}

/// URLs waiting to start, one queue per host, and the hosts whose turn may come.
struct HostQueues {
    hosts: Vec<HostQueue>,
    by_key: HashMap<String, usize>,
    /// Hosts with waiting URLs and room for another page, in turn order.
    ready: VecDeque<usize>,
    per_host: usize,
}

#[derive(Default)]
struct HostQueue {
    waiting: VecDeque<usize>,
    started: usize,
    is_ready: bool,
}

impl HostQueues {
    fn new(per_host: usize) -> HostQueues {
        HostQueues {
            hosts: Vec::new(),
            by_key: HashMap::new(),
            ready: VecDeque::new(),
            per_host,
        }
    }

    fn push(&mut self, key: String, index: usize) {
        let next_id = self.hosts.len();
        let host = *self.by_key.entry(key).or_insert(next_id);
        if host == next_id {
            self.hosts.push(HostQueue::default());
        }
        self.hosts[host].waiting.push_back(index);
        self.requeue(host);
    }

    /// The next URL to start (its index and its host), taking hosts in turn.
    fn next(&mut self) -> Option<(usize, usize)> {
        let host = self.ready.pop_front()?;
        let queue = &mut self.hosts[host];
        queue.is_ready = false;
        let index = queue.waiting.pop_front()?;
        queue.started += 1;
        self.requeue(host);
        Some((index, host))
    }

    fn finished(&mut self, host: usize) {
        self.hosts[host].started -= 1;
        self.requeue(host);
    }

    fn requeue(&mut self, host: usize) {
        let queue = &mut self.hosts[host];
        if !queue.is_ready && !queue.waiting.is_empty() && queue.started < self.per_host {
            queue.is_ready = true;
            self.ready.push_back(host);
        }
    }

    /// Every URL never started, in input order.
    fn drain(&mut self) -> Vec<usize> {
        let mut left: Vec<usize> = self
            .hosts
            .iter_mut()
            .flat_map(|q| q.waiting.drain(..))
            .collect();
        left.sort_unstable();
        left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_take_turns_and_each_has_a_limit() {
        let mut q = HostQueues::new(2);
        for i in 0..4 {
            q.push("a:80".into(), i);
        }
        q.push("b:80".into(), 4);
        let mut started = Vec::new();
        while let Some((i, _)) = q.next() {
            started.push(i);
        }
        // a gets two (its limit), b gets its one; a's others wait for a page of a to finish.
        assert_eq!(started, [0, 4, 1]);
        q.finished(0);
        assert_eq!(q.next(), Some((2, 0)));
        assert_eq!(q.next(), None);
        assert_eq!(q.drain(), [3]);
    }
}
