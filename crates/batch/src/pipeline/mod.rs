//! Pipeline: the streaming batch runner behind `gleaner extract`.
//!
//! ```text
//! reader (this thread) ──records──▶ rayon pool (--jobs) ──results──▶ writer thread
//!     frames records in input order   read, decode, extract        input order (or
//!     waits while too many are        each under the time          --unordered), --dedup,
//!     in flight                       budget, panics caught        progress, summary
//! ```
//!
//! With `Options::inline` there is no pool: the reader extracts each record itself, so a run
//! keeps one core busy (the writer thread only serialises), which is what an engine that runs
//! one task per core (Spark, datatrove) expects of a task.
//!
//! A bounded number of records and bytes is in flight (`[batch]` in config.toml), so memory
//! does not grow with the input. Every input record gives exactly one output record
//! (skipped ones only with `--include-skipped`): an unreadable record or a panic becomes a
//! record with an `error`, an overrun of the time budget a `degraded` record with the
//! fallback text, and the run goes on.
//!
//! A stop request (`Options::stop`, which the CLI sets on SIGTERM or SIGINT) ends the run
//! gracefully: the reader takes no new record, the ones in flight (each bounded by its time
//! budget) are written in order, and the summary says it was interrupted, so that every
//! record it counts is in the output and `--resume` carries on from there. Stdin is read
//! through `input::stdin`, which gives up waiting on a stop: a silent pipe cannot hold the
//! run, and the record it was giving is neither written nor counted.

pub mod dedup;
mod flight;
pub mod resume;
mod writer;

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use crate::input::ReadLimits;
use crate::input::{self, Content, InputFormat, Item, Source};
use crate::output::{Format, Record};
pub use crate::progress::Summary;
use crate::{BatchConfig, Error};
use flight::InFlight;
use gleaner::{Deadline, Extraction, Extractor, PageInfo};

/// What the command line asked for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Files, directories, or `-` for stdin.
    pub inputs: Vec<String>,
    /// Overrides the format that file extensions say (needed for stdin).
    pub input_format: Option<InputFormat>,
    /// Output format; by default text for web-page files, JSONL when any input is WARC or JSONL.
    pub format: Option<Format>,
    /// The URL of a single web-page input.
    pub url: Option<String>,
    /// Worker threads; all cores when None.
    pub jobs: Option<usize>,
    /// No worker pool: each record is extracted on the reading thread, one after another
    /// (`jobs` is then ignored). The records and their order are the same.
    pub inline: bool,
    /// Write records as they finish instead of in input order.
    pub unordered: bool,
    /// Write to this file instead of stdout.
    pub output: Option<PathBuf>,
    /// Skip the records already in `output`, and append.
    pub resume: bool,
    /// Drop paragraphs repeated across many pages of a host.
    pub dedup: bool,
    /// Write a record for each skipped (non-HTML) input record, too.
    pub include_skipped: bool,
    /// Plain text output: title, author and date lines before the text.
    pub with_metadata: bool,
    /// Show a progress line on stderr.
    pub progress: bool,
    /// Read-ahead, `--dedup` and line limits (`[batch]` in config.toml).
    pub batch: BatchConfig,
    /// Set from elsewhere (a signal handler) to stop taking new records; the ones in flight
    /// are still written, and the summary says `interrupted`.
    pub stop: Arc<AtomicBool>,
}

impl Options {
    /// The output format these inputs get when none is asked for.
    pub fn output_format(&self, sources: &[(Source, InputFormat)]) -> Format {
        self.format
            .unwrap_or(if sources.iter().any(|(_, f)| f.holds_many()) {
                Format::Jsonl
            } else {
                Format::Text
            })
    }
}

/// Expands the inputs and gives each its format: `--input-format`, else the extension, else
/// a web page (so `gleaner extract notes.txt` still treats the file as one).
pub fn sources(options: &Options) -> Vec<(Source, InputFormat)> {
    input::expand(&options.inputs, options.input_format)
        .into_iter()
        .map(|source| {
            let format = options.input_format.unwrap_or_else(|| match &source {
                Source::File(path) => InputFormat::of_path(path).unwrap_or(InputFormat::Html),
                Source::Stdin => InputFormat::Html,
            });
            (source, format)
        })
        .collect()
}

/// The output the pipeline writes to, which `run_and_then` lends to a caller afterwards.
pub type Output = crate::output::Writer<Box<dyn Write + Send>>;

/// Runs the whole batch. Errors are about the run itself (bad options, an output that
/// cannot be written); bad inputs are records, counted in the summary.
pub fn run(extractor: &Extractor, options: &Options) -> anyhow::Result<Summary> {
    run_and_then(extractor, options, 0, |_| Ok(()))
}

/// [`run`], then `more` writes `more_records` further records (the fetcher's) to the same
/// output before it is closed.
pub fn run_and_then(
    extractor: &Extractor,
    options: &Options,
    more_records: usize,
    more: impl FnOnce(&mut Output) -> anyhow::Result<()>,
) -> anyhow::Result<Summary> {
    let config = extractor.config();
    let sources = sources(options);
    let format = options.output_format(&sources);
    let holds_many = sources.iter().any(|(_, f)| f.holds_many());
    // Anything but exactly one page is a list (an empty directory gives `[]` in JSON).
    let many = sources.len() + more_records != 1 || holds_many;
    // A summary line and a progress line are for batches of local inputs.
    let batch =
        sources.len() > 1 || holds_many || (options.output.is_some() && !sources.is_empty());
    if options.url.is_some() && many {
        bail!(
            "--url sets the URL of a single web-page input, but the inputs hold more than one page"
        );
    }
    if options.resume && (options.output.is_none() || format != Format::Jsonl) {
        bail!("--resume needs --output FILE and JSONL output (--format jsonl)");
    }

    let mut dedup = options.dedup.then(|| dedup::Dedup::new(&options.batch));
    let done = previous_run(options, &mut dedup)?;
    let out = open_output(options)?;

    let pool = if options.inline {
        None
    } else {
        let jobs = options.jobs.unwrap_or(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(|i| format!("gleaner-worker-{i}"))
            .build()?;
        Some(pool)
    };
    let workers = pool
        .as_ref()
        .map_or(1, rayon::ThreadPool::current_num_threads);
    let flight = InFlight::new(
        options.batch.queue_per_job * workers,
        options.batch.queue_bytes,
    );
    let work = Work {
        extractor,
        budget: Duration::from_millis(config.limits.time_budget_ms),
        limits: ReadLimits::new(&config.limits, &options.batch),
        url: options.url.clone(),
        include_skipped: options.include_skipped,
        done: &done,
    };
    let sink = writer::Sink {
        out: crate::output::Writer::new(out, format, many).with_metadata(options.with_metadata),
        ordered: !options.unordered,
        dedup: dedup.take(),
        // A single page is done before a progress line would show.
        progress: options.progress && batch,
    };

    let (results, received) = mpsc::channel::<writer::Finished>();
    let (mut summary, mut out) = std::thread::scope(|threads| {
        let writer = threads.spawn(|| writer::write_all(sink, received, &flight));
        let stop = &options.stop;
        let stopped = match &pool {
            Some(pool) => pool.in_place_scope(|scope| {
                read_inputs(sources, &work, &flight, &results, stop, Some(scope))
            }),
            None => read_inputs(sources, &work, &flight, &results, stop, None),
        };
        drop(results);
        let written = writer.join().unwrap_or_else(|p| {
            std::panic::resume_unwind(p);
        });
        written.map(|(summary, out)| {
            (
                Summary {
                    // The writer's own flag: a record that a stop cut short.
                    interrupted: stopped || summary.interrupted,
                    ..summary
                },
                out,
            )
        })
    })?;
    // A stopped run takes no more records from anywhere.
    if !summary.interrupted {
        more(&mut out)?;
    }
    out.finish().context("cannot write the output")?;
    summary.batch = batch;
    Ok(summary)
}

/// With `--resume`: the records the output file holds already (their paragraphs replayed
/// into `dedup`, so that it counts as if the run had not stopped).
fn previous_run(
    options: &Options,
    dedup: &mut Option<dedup::Dedup>,
) -> anyhow::Result<resume::Done> {
    match (&options.output, options.resume) {
        (Some(path), true) => resume::load(path, |record| {
            if let Some(d) = dedup.as_mut() {
                d.replay(
                    record["url"].as_str(),
                    record["text"].as_str().unwrap_or(""),
                );
            }
        }),
        _ => Ok(resume::Done::default()),
    }
}

/// `--output FILE` (appended to with `--resume`), or stdout; buffered.
fn open_output(options: &Options) -> anyhow::Result<Box<dyn Write + Send>> {
    Ok(match &options.output {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(options.resume)
                .truncate(!options.resume)
                .open(path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            Box::new(BufWriter::with_capacity(256 * 1024, file))
        }
        None => Box::new(BufWriter::with_capacity(256 * 1024, std::io::stdout())),
    })
}

/// The reader: frames the records of every input in order and hands each to a worker of
/// `scope` (or, without one, extracts it itself), waiting while too many are in flight (or
/// stopping when the writer has failed). Returns true when `stop` ended it before the
/// inputs did.
fn read_inputs<'s>(
    sources: Vec<(Source, InputFormat)>,
    work: &'s Work<'s>,
    flight: &InFlight,
    results: &mpsc::Sender<writer::Finished>,
    stop: &Arc<AtomicBool>,
    scope: Option<&rayon::Scope<'s>>,
) -> bool {
    let mut seq = 0u64;
    for (source, format) in sources {
        let mut records = input::records(source.clone(), format, &work.limits, stop);
        let mut reading = true;
        while reading {
            if stop.load(Ordering::SeqCst) {
                return true;
            }
            // A panic in a reader abandons that input, with an error record for it.
            let next = catch_unwind(AssertUnwindSafe(|| records.next())).unwrap_or_else(|p| {
                reading = false;
                Some(reader_panic(&source, p))
            });
            let Some(item) = next else {
                break;
            };
            let held = match &item.content {
                Content::Page(pending) => pending.held_bytes(),
                _ => 0,
            };
            if !flight.enter(held) {
                return false;
            }
            // A stop that came while waiting for room: this record was read, not started,
            // and is not written, so --resume reads it again.
            if stop.load(Ordering::SeqCst) {
                flight.leave(held);
                return true;
            }
            let results = results.clone();
            let job = move || {
                let outcome = work.guarded(item);
                // The writer is gone only when the output failed; its error is reported.
                let _ = results.send(writer::Finished { seq, held, outcome });
            };
            match scope {
                Some(scope) => scope.spawn(move |_| job()),
                None => job(),
            }
            seq += 1;
        }
    }
    false
}

fn reader_panic(source: &Source, panic: Box<dyn std::any::Any + Send>) -> Item {
    Item {
        source: source.name().into(),
        id: source.id(),
        url: None,
        status: None,
        fetched_at: None,
        content: Content::Failed(Error::Extract(gleaner::Error::Panic(format!(
            "in the reader of this input (the rest of it is lost): {}",
            gleaner::panic_message(panic.as_ref())
        )))),
    }
}

/// What a worker needs.
struct Work<'a> {
    extractor: &'a Extractor,
    budget: Duration,
    limits: ReadLimits,
    url: Option<String>,
    include_skipped: bool,
    done: &'a resume::Done,
}

/// What became of one record.
pub(crate) enum Outcome {
    /// A record to write: extracted, empty, failed, or skipped with `--include-skipped`.
    Record(Box<Record>, u64),
    /// Skipped (not a page) and not written.
    Skipped,
    /// Already in the output file (`--resume`).
    AlreadyDone,
    /// Its reading was cut short by a stop request: not written, not counted.
    Stopped,
}

impl Work<'_> {
    /// `process`, with a panic anywhere in it turned into an error record.
    fn guarded(&self, item: Item) -> Outcome {
        let (source, id, url) = (item.source.clone(), item.id.clone(), item.url.clone());
        catch_unwind(AssertUnwindSafe(|| self.process(item))).unwrap_or_else(|p| {
            let panic = gleaner::Error::Panic(gleaner::panic_message(p.as_ref()));
            let record = Record::new(id, source.to_string(), url, Err(panic.into()));
            Outcome::Record(Box::new(record), 0)
        })
    }

    /// Finishes reading the record and extracts it, within the time budget, which starts
    /// when a worker picks the record up.
    fn process(&self, item: Item) -> Outcome {
        let deadline = Deadline::after(self.budget);
        let Item {
            source,
            id,
            url,
            status,
            fetched_at,
            content,
        } = item;
        let url = self.url.clone().or(url);
        let (mut record, page_bytes) = match content {
            Content::Page(pending) => match self.extract(pending, &source, id, url, deadline) {
                Ok(extracted) => extracted,
                Err(outcome) => return outcome,
            },
            Content::Skipped(_) | Content::Failed(_) if self.done.contains(&source, &id) => {
                return Outcome::AlreadyDone;
            }
            Content::Skipped(_) if !self.include_skipped => return Outcome::Skipped,
            Content::Skipped(reason) => {
                let mut record =
                    Record::new(id, source.to_string(), url, Ok(Extraction::default()));
                record.skipped = Some(reason);
                (record, 0)
            }
            Content::Failed(e) => (Record::new(id, source.to_string(), url, Err(e)), 0),
        };
        record.status = status;
        record.fetched_at = fetched_at;
        Outcome::Record(Box::new(record), page_bytes)
    }

    /// Finishes reading a page and extracts it; the outcome instead when there is nothing
    /// to write (the output holds it already, or a stop cut its reading short).
    fn extract(
        &self,
        pending: input::Pending,
        source: &str,
        id: String,
        url: Option<String>,
        deadline: Deadline,
    ) -> Result<(Record, u64), Outcome> {
        let opened = pending.open(&self.limits);
        if opened.page.as_ref().is_err_and(Error::is_stopped) {
            return Err(Outcome::Stopped);
        }
        let id = opened.id.unwrap_or(id);
        let url = opened.url.or(url);
        if self.done.contains(source, &id) {
            return Err(Outcome::AlreadyDone);
        }
        let mut page_bytes = 0;
        let is_text = opened.is_text;
        let result = opened.page.and_then(|(bytes, charset)| {
            page_bytes = bytes.len() as u64;
            let info = PageInfo::new()
                .url(url.as_deref())
                .charset(charset.as_deref())
                .deadline(deadline);
            let extracted = if is_text {
                self.extractor.clean_text_bytes(&bytes, &info)
            } else {
                self.extractor.extract(&bytes, &info)
            };
            extracted.map_err(Error::from)
        });
        let mut record = Record::new(id, source.to_string(), url, result);
        record.passthrough = passthrough(opened.passthrough);
        Ok((record, page_bytes))
    }
}

/// Input fields pass through under their own names, except those the output record has
/// itself (`title`, `text`, `source`…), which become `input_title` and so on: nothing the
/// input said is lost, and no output field is written twice.
fn passthrough(fields: Map<String, Value>) -> Map<String, Value> {
    static OWN: OnceLock<HashSet<String>> = OnceLock::new();
    let own = OWN.get_or_init(|| {
        let blank = Record::new(
            String::new(),
            String::new(),
            None,
            Err(Error::Extract(gleaner::Error::Empty)),
        );
        match serde_json::to_value(blank) {
            Ok(Value::Object(map)) => map.keys().cloned().collect(),
            _ => HashSet::new(),
        }
    });
    let mut out = Map::with_capacity(fields.len());
    for (mut key, value) in fields {
        while own.contains(&key) || out.contains_key(&key) {
            key = format!("input_{key}");
        }
        out.insert(key, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passthrough_renames_fields_the_record_has() {
        let fields: Map<String, Value> = serde_json::from_str(
            r#"{"lang": "fr", "title": "theirs", "input_title": "also theirs", "text": 1}"#,
        )
        .unwrap();
        let out = passthrough(fields);
        let keys: Vec<&str> = out.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["lang", "input_title", "input_input_title", "input_text"]
        );
        assert_eq!(out["input_title"], "theirs");
    }
}
