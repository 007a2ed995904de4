//! The `gleaner` command line: `gleaner extract INPUT...`. A thin front end: it reads the
//! options and the config, and hands local inputs to `gleaner_batch::pipeline` and URLs to
//! `gleaner_fetch`, both writing to one output. SIGTERM and SIGINT end a local batch
//! gracefully (see `Stop`).

mod args;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use clap::{Parser, Subcommand};

use gleaner::{Extractor, Style};
use gleaner_batch::output::Format;
use gleaner_batch::pipeline::{self, Options};

use args::{FormatArg, InputFormatArg, ModeArg, Settings};

// The command's allocator (the library sets none): fewer instructions per allocation than
// the system's, and per-thread heaps for the workers.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gleaner",
    version,
    about = "Turns web pages into clean article text."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract the main content of web pages.
    Extract(ExtractArgs),
    /// Serve extraction over HTTP (POST /extract, /extract/batch; GET /health, /metrics,
    /// /openapi.json).
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The address to listen on (overrides config.toml's serve.listen; port 0 picks one).
    #[arg(long)]
    listen: Option<String>,
    /// A config file; its keys override the built-in defaults (see config.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Extraction threads (default: all cores).
    #[arg(long)]
    workers: Option<usize>,
    /// Pages waiting for a thread before requests get 503.
    #[arg(long)]
    queue: Option<usize>,
    /// The largest request body in bytes.
    #[arg(long)]
    max_body_bytes: Option<usize>,
    /// How much to keep when in doubt, unless a request says (overrides extract.mode).
    #[arg(long, value_enum)]
    mode: Option<ModeArg>,
    /// Fetch `url` for requests without a body (public addresses only).
    #[arg(long)]
    allow_fetch: bool,
    /// With --allow-fetch: also fetch loopback, private and link-local addresses.
    #[arg(long)]
    allow_private: bool,
    /// With --allow-fetch: fetch this private address or network all the same (10.0.0.7,
    /// 10.1.0.0/16); repeatable, added to serve.allow_addresses.
    #[arg(long = "allow-address", value_name = "IP[/BITS]")]
    allow_addresses: Vec<String>,
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Web-page files (.html, .htm, .xhtml), WARC files (.warc), JSON Lines files (.jsonl), any
    /// of them .gz; directories (walked recursively for those); - for stdin; or http(s) URLs
    /// to fetch.
    #[arg(required_unless_present = "urls")]
    inputs: Vec<String>,
    /// Fetch the URLs listed in FILE (or - for stdin), one per line; blank lines and # comments skipped.
    #[arg(long, value_name = "FILE")]
    urls: Option<String>,
    /// Pages fetched at once over all hosts (overrides config.toml's fetch.concurrency).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Fetch pages that robots.txt disallows for us.
    #[arg(long)]
    ignore_robots: bool,
    /// Print fetched pages in input order instead of as they finish.
    #[arg(long)]
    keep_order: bool,
    /// Also archive every fetched request and response to FILE.warc.gz (WARC/1.1).
    #[arg(long, value_name = "FILE")]
    warc: Option<PathBuf>,
    /// Plain text: put title, author and date lines before the text.
    #[arg(long)]
    with_metadata: bool,
    /// Output format [default: text for web pages, jsonl when an input is WARC or JSONL].
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// What the inputs hold, whatever their names say (needed for stdin, which is otherwise
    /// one web page).
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// How much to keep when in doubt (overrides config.toml's extract.mode).
    #[arg(long, value_enum)]
    mode: Option<ModeArg>,
    /// Decide blocks with the learned model instead of the rules (config.toml's
    /// extract.learned).
    #[arg(long)]
    learned: bool,
    /// The page URL, for a single web-page input.
    #[arg(long)]
    url: Option<String>,
    /// A config file; its keys override the built-in defaults (see config.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// Write local records as they finish instead of in input order (faster when a slow page
    /// would hold the others up).
    #[arg(long)]
    unordered: bool,
    /// Write the output to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// With --output: skip the records already in FILE and append the rest (after a kill).
    #[arg(long, requires = "output")]
    resume: bool,
    /// Drop paragraphs repeated on many pages of the same host (site-wide boilerplate).
    #[arg(long)]
    dedup: bool,
    /// Also write a record (with `skipped` saying why) for each input record that is not a
    /// web page: PDFs, images, WARC request and metadata records.
    #[arg(long)]
    include_skipped: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => match serve(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("gleaner: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Extract(args) => match extract(args) {
            Ok(Ended::Done(true)) => ExitCode::SUCCESS,
            Ok(Ended::Done(false)) => ExitCode::from(1),
            // The shell's status for a death by that signal, so scripts see what happened.
            Ok(Ended::Signal(sig)) => ExitCode::from(128u8.saturating_add(sig)),
            Err(e) => {
                let broken_pipe = e.chain().any(|c| {
                    c.downcast_ref::<std::io::Error>()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                });
                // A reader that stopped early (`| head`) is not an error worth a message.
                if !broken_pipe {
                    eprintln!("gleaner: {e:#}");
                }
                ExitCode::from(2)
            }
        },
    }
}

/// Runs the HTTP server until SIGTERM or SIGINT.
fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let Settings {
        mut extractor,
        fetch,
        mut serve,
        ..
    } = Settings::load(args.config.as_deref())?;
    if let Some(mode) = args.mode {
        extractor.mode = mode.into();
    }
    if let Some(listen) = args.listen {
        serve.listen = listen;
    }
    if let Some(n) = args.workers {
        serve.workers = n;
    }
    if let Some(n) = args.queue {
        serve.queue = n;
    }
    if let Some(n) = args.max_body_bytes {
        serve.max_body_bytes = n;
    }
    serve.allow_fetch |= args.allow_fetch;
    serve.allow_private |= args.allow_private;
    serve.allow_addresses.extend(args.allow_addresses);
    gleaner_serve::run(serve, extractor, fetch)
}

/// How an `extract` run ended.
enum Ended {
    /// Every input was read; true when every record succeeded.
    Done(bool),
    /// A signal (its number) stopped it; the records written are whole and counted.
    Signal(u8),
}

/// SIGTERM and SIGINT, caught for a local batch: the first sets `stop`, which the pipeline
/// reads before taking each record (the ones in flight are finished and written), and
/// `signal` says which it was; a second one ends the process at once, with the signal's
/// status (the output then holds whole records and at most one cut line, as after a kill).
struct Stop {
    stop: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

impl Stop {
    fn install() -> anyhow::Result<Stop> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::flag;
        let stop = Arc::new(AtomicBool::new(false));
        let signal = Arc::new(AtomicUsize::new(0));
        for sig in [SIGTERM, SIGINT] {
            // Registered first, so it sees `stop` as the previous signal left it.
            flag::register_conditional_shutdown(sig, 128 + sig, stop.clone())?;
            flag::register_usize(sig, signal.clone(), sig as usize)?;
            flag::register(sig, stop.clone())?;
        }
        Ok(Stop { stop, signal })
    }

    /// The signal that stopped the run, if one came.
    fn received(&self) -> Option<u8> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            sig => Some(u8::try_from(sig).unwrap_or(u8::MAX)),
        }
    }
}

/// Runs extraction over all inputs; says whether every record succeeded, or which signal
/// stopped the run.
fn extract(args: ExtractArgs) -> anyhow::Result<Ended> {
    let Settings {
        mut extractor,
        batch,
        mut fetch,
        ..
    } = Settings::load(args.config.as_deref())?;
    if let Some(mode) = args.mode {
        extractor.mode = mode.into();
    }
    extractor.learned |= args.learned;
    if let Some(n) = args.concurrency {
        fetch.concurrency = n;
    }
    fetch.obey_robots &= !args.ignore_robots;
    let format = args.format.map(Format::from);
    if format == Some(Format::Markdown) {
        extractor.style = Style::Markdown;
    }
    let extractor = Arc::new(Extractor::new(extractor)?);
    let (mut urls, locals): (Vec<String>, Vec<String>) = args
        .inputs
        .iter()
        .cloned()
        .partition(|i| gleaner_fetch::is_url(i));
    if let Some(list) = &args.urls {
        if list == "-" && locals.iter().any(|i| i == "-") {
            anyhow::bail!("stdin cannot be both a page (-) and the URL list (--urls -)");
        }
        let read = if list == "-" {
            gleaner_fetch::read_url_list(std::io::stdin().lock())
        } else {
            std::fs::File::open(list)
                .and_then(|f| gleaner_fetch::read_url_list(std::io::BufReader::new(f)))
        };
        urls.extend(read.map_err(|e| anyhow::anyhow!("{list}: cannot read the URL list: {e}"))?);
    }
    if args.warc.is_some() && urls.is_empty() {
        anyhow::bail!("--warc archives fetched pages, but no URL was given");
    }
    if args.url.is_some() && !urls.is_empty() {
        anyhow::bail!("--url sets the URL of a local input; fetched pages know their own");
    }
    if args.resume && !urls.is_empty() {
        anyhow::bail!("--resume works on local inputs; fetched URLs are not resumed");
    }
    if let (Some(jobs), false) = (args.jobs, urls.is_empty()) {
        // The fetcher extracts on rayon's global pool (local inputs get a pool of their own).
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global()?;
    }
    // Fetched URLs keep the fetcher's own Ctrl-C handling (finish or abandon the pages in
    // flight, an `interrupted` record for each URL not done); local batches get `Stop`.
    let signals = if urls.is_empty() {
        Some(Stop::install()?)
    } else {
        None
    };
    let options = Options {
        stop: signals
            .as_ref()
            .map_or_else(Default::default, |s| s.stop.clone()),
        inputs: locals,
        input_format: args.input_format.map(Into::into),
        format,
        url: args.url,
        jobs: args.jobs,
        inline: false,
        unordered: args.unordered,
        output: args.output,
        resume: args.resume,
        dedup: args.dedup,
        include_skipped: args.include_skipped,
        with_metadata: args.with_metadata,
        progress: std::io::stderr().is_terminal(),
        batch,
    };
    let started = std::time::Instant::now();
    let mut fetched = gleaner_batch::Summary::default();
    let fetch_count = urls.len();
    let fetch = |out: &mut pipeline::Output| -> anyhow::Result<()> {
        if urls.is_empty() {
            return Ok(());
        }
        let fetch_options = gleaner_fetch::RunOptions {
            config: fetch.clone(),
            keep_order: args.keep_order,
            warc: args.warc.clone(),
            progress: true,
            handle_ctrl_c: true,
            guard: None,
        };
        let summary = gleaner_fetch::run(urls, extractor.clone(), &fetch_options, |r| {
            // Fetched pages stream out as they finish.
            out.write(&r)?;
            out.flush()
        })?;
        fetched = summary.counts;
        if let Some(e) = summary.warc_error {
            anyhow::bail!("cannot write the WARC archive {e}");
        }
        Ok(())
    };
    let mut summary = pipeline::run_and_then(&extractor, &options, fetch_count, fetch)?;
    // One summary line for the whole run: local records and fetched ones.
    summary.add(&fetched);
    summary.seconds = started.elapsed().as_secs_f64();
    let signal = signals.as_ref().and_then(Stop::received);
    if summary.batch || fetch_count > 1 || signal.is_some() {
        eprintln!("gleaner: {}", summary.line());
    }
    let Some(signal) = signal else {
        return Ok(Ended::Done(summary.failed == 0));
    };
    let name = if i32::from(signal) == signal_hook::consts::SIGINT {
        "SIGINT"
    } else {
        "SIGTERM"
    };
    let what = if summary.interrupted {
        "stopped before the end of the input"
    } else {
        "every input was read"
    };
    let how = match &options.output {
        Some(path) => format!(
            "run the same command with --resume to continue it ({} holds whole records only)",
            path.display()
        ),
        None => "with -o FILE, --resume could have continued it".to_string(),
    };
    eprintln!(
        "gleaner: interrupted by {name} ({what}): the records counted above are all written; {how}"
    );
    Ok(Ended::Signal(signal))
}
