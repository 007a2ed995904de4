//! The `gleaner` command line: `gleaner extract INPUT...`.

use std::io::{BufWriter, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use rayon::prelude::*;

use gleaner::input::{self, Source};
use gleaner::output::{Format, Record, Writer};
use gleaner::{Config, Extractor, Mode, PageInfo, Style};

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
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Files (.html, .htm, .xhtml, any of them .gz), directories (walked recursively), - for
    /// stdin, or http(s) URLs to fetch.
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
    warc: Option<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// How much to keep when in doubt (overrides config.toml's extract.mode).
    #[arg(long, value_enum)]
    mode: Option<Mode>,
    /// The page URL, for a single input.
    #[arg(long)]
    url: Option<String>,
    /// A config file; its keys override the built-in defaults (see config.toml).
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// Plain text: put title, author and date lines before the text.
    #[arg(long)]
    with_metadata: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => match extract(args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                eprintln!("gleaner: {e:#}");
                ExitCode::from(2)
            }
        },
    }
}

/// Runs extraction over all inputs; returns whether every input succeeded.
fn extract(args: ExtractArgs) -> anyhow::Result<bool> {
    let mut config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config::default(),
    };
    if let Some(mode) = args.mode {
        config.extract.mode = mode;
    }
    if let Some(n) = args.concurrency {
        config.fetch.concurrency = n;
    }
    config.fetch.obey_robots &= !args.ignore_robots;
    let style = if args.format == Format::Markdown {
        Style::Markdown
    } else {
        Style::Text
    };
    let extractor = Arc::new(Extractor::new(config)?.with_style(style));
    let (mut urls, locals): (Vec<String>, Vec<String>) = args
        .inputs
        .iter()
        .cloned()
        .partition(|i| gleaner::fetch::is_url(i));
    if let Some(list) = &args.urls {
        if list == "-" && locals.iter().any(|i| i == "-") {
            anyhow::bail!("stdin cannot be both a page (-) and the URL list (--urls -)");
        }
        let read = if list == "-" {
            gleaner::fetch::read_url_list(std::io::stdin().lock())
        } else {
            std::fs::File::open(list)
                .and_then(|f| gleaner::fetch::read_url_list(std::io::BufReader::new(f)))
        };
        urls.extend(read.map_err(|e| anyhow::anyhow!("{list}: cannot read the URL list: {e}"))?);
    }
    if args.warc.is_some() && urls.is_empty() {
        anyhow::bail!("--warc archives fetched pages, but no URL was given");
    }
    if args.url.is_some() && !urls.is_empty() {
        anyhow::bail!("--url sets the URL of a local input; fetched pages know their own");
    }
    let sources = input::expand(&locals);
    if args.url.is_some() && sources.len() > 1 {
        anyhow::bail!(
            "--url sets the URL of a single input, but {} inputs were given",
            sources.len()
        );
    }
    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global()?;
    }
    let stdout = std::io::stdout();
    // Anything but exactly one input is a list (an empty directory gives `[]` in JSON).
    let many = sources.len() + urls.len() != 1;
    // Fetched pages stream out as they finish (stdout itself is line-buffered); local files
    // are written in big buffered chunks.
    let out: Box<dyn std::io::Write> = if urls.is_empty() {
        Box::new(BufWriter::new(stdout.lock()))
    } else {
        Box::new(stdout.lock())
    };
    let mut writer = Writer::new(out, args.format, many).with_metadata(args.with_metadata);
    let mut all_ok = true;
    // Extract in parallel a chunk at a time, writing each chunk in input order.
    for chunk in sources.chunks(64) {
        let records: Vec<Record> = chunk
            .par_iter()
            .map(|source| extract_one(&extractor, source, args.url.as_deref()))
            .collect();
        for r in &records {
            all_ok &= r.error.is_none();
            writer.write(r)?;
        }
    }
    if !urls.is_empty() {
        let options = gleaner::fetch::RunOptions {
            keep_order: args.keep_order,
            warc: args.warc.clone(),
            progress: true,
            handle_ctrl_c: true,
        };
        let summary = gleaner::fetch::run(urls, extractor, &options, |r| {
            all_ok &= r.error.is_none();
            writer.write(&r)
        })?;
        if let Some(e) = summary.warc_error {
            writer.finish()?;
            anyhow::bail!("cannot write the WARC archive {e}");
        }
    }
    writer.finish()?;
    if !all_ok && std::io::stderr().is_terminal() && args.format != Format::Text {
        eprintln!("gleaner: some inputs failed; see the error fields");
    }
    Ok(all_ok)
}

fn extract_one(extractor: &Extractor, source: &Source, url: Option<&str>) -> Record {
    let limit = extractor.config().limits.max_page_bytes;
    let result = input::read(source, limit)
        .and_then(|bytes| extractor.extract_bytes(&bytes, &PageInfo { url, charset: None }));
    Record::new(source.id(), source.name(), url.map(str::to_string), result)
}
