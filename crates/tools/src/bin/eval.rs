//! Benchmark runner: extracts every page of a `../shared/bench/<dataset>` folder and writes
//! `{"id","text"}` lines for `score.py`; with `--speed`, measures throughput instead.
//!
//!     cargo run --release -p gleaner-tools --bin eval -- ../shared/bench/wcxb-dev --out /tmp/gleaner-wcxb.jsonl
//!     cargo run --release -p gleaner-tools --bin eval -- ../shared/bench/wcxb-dev --speed
//!     cargo run --release -p gleaner-tools --bin eval -- ../shared/bench/wcxb-dev --as-text text --out t.jsonl
//!     cargo run --release -p gleaner-tools --bin eval -- ../shared/bench/wcxb-dev --meta --out /tmp/meta.jsonl
//!
//! `--meta` writes each page's metadata instead of its text (`{"id", "title", "authors",
//! "date", …}`), for `scripts/meta_eval.py`.
//!
//! `--speed` reports pages/s and MB/s for html5ever's parse alone and for full extraction,
//! single-threaded and on all cores, over the same decoded pages held in memory (so disk and
//! gzip are not measured).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use rayon::prelude::*;

use gleaner::{Config, Deadline, Extractor, Mode, PageInfo};

use gleaner_tools::bench_pages::{BenchPage as Page, load};

#[derive(Parser)]
struct Args {
    /// A benchmark folder holding html/<id>.html.gz and truth.jsonl.
    bench: PathBuf,
    /// Where to write the predictions (JSON Lines).
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long, value_enum)]
    mode: Option<ModeArg>,
    /// Decide blocks with the built-in learned model (config.toml's extract.learned).
    #[arg(long)]
    learned: bool,
    /// A config file whose keys override the built-in defaults.
    #[arg(long)]
    config: Option<PathBuf>,
    /// A rules file whose keys override the built-in tuning rules (rules/*.toml), for
    /// tuning runs.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Measure throughput instead of writing predictions.
    #[arg(long)]
    speed: bool,
    /// Plain-text benchmark: what goes in is each page's whole visible text, not its HTML.
    /// `floor` scores that text as it is; `text` cleans it with the plain-text classifier.
    #[arg(long, value_enum)]
    as_text: Option<AsText>,
    /// Write each page's metadata instead of its text.
    #[arg(long)]
    meta: bool,
    /// A block model file in place of the built-in one (the format of rules/blocks.model;
    /// an empty file: no model, the rules alone).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Out-of-fold figures: DIR/fold-<k>.model is the model trained without fold k, and each
    /// page is extracted with the model of its own fold (needs --folds).
    #[arg(long, requires = "folds")]
    fold_models: Option<PathBuf>,
    /// The folds (`python3 scripts/folds.py --dump FILE`): {dataset: {id: fold}}.
    #[arg(long)]
    folds: Option<PathBuf>,
    /// Write every block's features, the rules' verdict and the model's score instead of the
    /// text, for training (`scripts/train.py`).
    #[arg(long)]
    blocks: bool,
    /// Print the names of the block features, one per line, and stop.
    #[arg(long)]
    feature_names: bool,
    /// Timing repetitions for --speed (the best run is reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ModeArg {
    Precision,
    Balanced,
    Recall,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Precision => Mode::Precision,
            ModeArg::Balanced => Mode::Balanced,
            ModeArg::Recall => Mode::Recall,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AsText {
    Floor,
    Text,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.feature_names {
        gleaner::select::features::NAMES
            .iter()
            .for_each(|n| println!("{n}"));
        return Ok(());
    }
    let pages = load(&args.bench)?;
    let mut config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config::default(),
    };
    if let Some(mode) = args.mode {
        config.mode = mode.into();
    }
    config.learned |= args.learned;
    if let Some(path) = &args.rules {
        let text = std::fs::read_to_string(path)?;
        config = config.with_rules(&path.display().to_string(), &text)?;
    }
    if let Some(path) = &args.model {
        config = config.with_model(&std::fs::read_to_string(path)?);
    }
    let extractor = Extractor::new(config.clone())?;
    if args.speed {
        return speed(&pages, &extractor, args.rounds);
    }
    let by_fold = fold_extractors(&args, &config)?;
    let records: Vec<String> = pages
        .par_iter()
        .map(|p| {
            let extractor = by_fold
                .as_ref()
                .map_or(&extractor, |(folds, extractors)| &extractors[folds[&p.id]]);
            // No time budget: the figures must not depend on how loaded the machine is.
            let info = PageInfo::new()
                .url(p.url.as_deref())
                .deadline(Deadline::NONE);
            if args.blocks {
                return block_record(extractor, p, &info);
            }
            if args.meta {
                let (metadata, error) = match extractor.extract(&p.bytes, &info) {
                    Ok(x) => (x.metadata, None),
                    Err(e) => (gleaner::Metadata::default(), Some(e.to_string())),
                };
                let mut record = serde_json::to_value(&metadata).unwrap_or_default();
                record["id"] = p.id.clone().into();
                record["error"] = error.into();
                return record.to_string();
            }
            let result = match args.as_text {
                None => extractor.extract(&p.bytes, &info).map(|x| x.text),
                Some(AsText::Floor) => extractor.visible_text(&p.bytes, &info),
                Some(AsText::Text) => extractor
                    .visible_text(&p.bytes, &info)
                    .and_then(|all| extractor.clean_text(&all, &info))
                    .map(|x| x.text),
            };
            let (text, error) = match result {
                Ok(text) => (text, None),
                Err(e) => (String::new(), Some(e.to_string())),
            };
            serde_json::json!({"id": p.id, "text": text, "error": error}).to_string()
        })
        .collect();
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(std::io::stdout().lock()),
    };
    for r in records {
        writeln!(out, "{r}")?;
    }
    Ok(())
}

/// With `--fold-models`: each page's fold, and one extractor per fold with the model trained
/// without that fold.
type FoldExtractors = (HashMap<String, usize>, Vec<Extractor>);

fn fold_extractors(args: &Args, config: &Config) -> anyhow::Result<Option<FoldExtractors>> {
    let (Some(dir), Some(folds)) = (&args.fold_models, &args.folds) else {
        return Ok(None);
    };
    let all: HashMap<String, HashMap<String, usize>> =
        serde_json::from_str(&std::fs::read_to_string(folds)?)?;
    let dataset = args
        .bench
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folds = all
        .get(&dataset)
        .with_context(|| format!("{}: no folds for {dataset}", folds.display()))?
        .clone();
    let k = folds.values().max().map_or(0, |m| m + 1);
    let extractors = (0..k)
        .map(|fold| {
            let path = dir.join(format!("fold-{fold}.model"));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            Ok(Extractor::new(config.clone().with_model(&text))?)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some((folds, extractors)))
}

/// One page's blocks for training: texts, kinds, the rules' verdicts, feature rows, and the
/// model's scores when there is a model.
fn block_record(extractor: &Extractor, p: &Page, info: &PageInfo) -> String {
    match extractor.block_report(&p.bytes, info) {
        Ok(r) => serde_json::json!({
            "id": p.id,
            "texts": r.texts,
            "kinds": r.kinds,
            "kept_by_rules": r.kept_by_rules,
            "rows": r.rows,
            "scores": r.scores,
        })
        .to_string(),
        Err(e) => serde_json::json!({"id": p.id, "error": e.to_string()}).to_string(),
    }
}

/// Throughput of parse-only vs. full extraction, one thread and all threads.
fn speed(pages: &[Page], extractor: &Extractor, rounds: usize) -> anyhow::Result<()> {
    let rules = gleaner::internals::rules(extractor.config());
    // Decode once up front: both measurements start from the same text.
    let texts: Vec<String> = pages
        .iter()
        .map(|p| {
            gleaner::decode::decode(&p.bytes, None, p.url.as_deref(), &rules.decode)
                .map(|d| d.text)
                .unwrap_or_default()
        })
        .collect();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let parse = |t: &String| {
        let doc = scraper::Html::parse_document(t);
        std::hint::black_box(doc.tree.nodes().len());
    };
    let full = |t: &String| {
        let r = extractor.extract_html(t, &PageInfo::new().deadline(Deadline::NONE));
        std::hint::black_box(r.map(|x| x.text.len()).unwrap_or(0));
    };
    let best = |f: &(dyn Fn() + Sync)| {
        (0..rounds.max(1))
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let threads = rayon::current_num_threads();
    let rows = [
        (
            "html5ever parse only, 1 thread",
            best(&|| texts.iter().for_each(parse)),
        ),
        (
            "full extraction, 1 thread",
            best(&|| texts.iter().for_each(full)),
        ),
        (
            "html5ever parse only, all threads",
            best(&|| texts.par_iter().for_each(parse)),
        ),
        (
            "full extraction, all threads",
            best(&|| texts.par_iter().for_each(full)),
        ),
    ];
    println!(
        "{} pages, {:.1} MB decoded, {} threads, best of {} rounds",
        texts.len(),
        mb,
        threads,
        rounds
    );
    println!("| run | seconds | pages/s | MB/s |");
    println!("|---|---:|---:|---:|");
    for (name, secs) in rows {
        println!(
            "| {name} | {secs:.2} | {:.0} | {:.1} |",
            texts.len() as f64 / secs,
            mb / secs
        );
    }
    println!(
        "full / parse-only throughput, 1 thread: {:.2}",
        rows[0].1 / rows[1].1
    );
    Ok(())
}
