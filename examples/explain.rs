//! Developer aid: why a page came out as it did. Shows what the cleaner removed, which
//! container the score chose, and every block with the rules' verdict, the learned model's
//! score and the final verdict; `--features` adds each block's feature row.
//!
//!     cargo run --release --features internals --example explain -- page.html [--features]
//!         [--url URL] [--model FILE]

use std::io::Read;

use gleaner::clean::{Patterns, clean};
use gleaner::parse::dom::Tag;
use gleaner::select::features::NAMES;
use gleaner::{Config, Deadline, Extractor, PageInfo, score};

/// The page's bytes, gunzipped when they are gzip.
fn read(path: &str) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(raw);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
    Ok(out)
}

/// The value after `--name`, if given.
fn option(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .ok_or_else(|| {
            anyhow::anyhow!("usage: explain FILE [--features] [--url URL] [--model FILE]")
        })?;
    let bytes = read(path)?;
    let url = option(&args, "--url");
    let mut config = Config::default();
    if let Some(model) = option(&args, "--model") {
        config = config.with_model(&std::fs::read_to_string(model)?);
    }
    removed_and_container(&bytes, &config)?;
    let extractor = Extractor::new(config)?;
    let page = PageInfo::new().url(url.as_deref()).deadline(Deadline::NONE);
    let report = extractor.block_report(&bytes, &page)?;
    let show_features = args.iter().any(|a| a == "--features");
    println!(
        "blocks: rules verdict, model score (threshold {:?}), kind, text",
        report.threshold
    );
    for (i, text) in report.texts.iter().enumerate() {
        let rules = if report.kept_by_rules[i] {
            "keep"
        } else {
            "drop"
        };
        let score = report.scores.as_ref().map(|s| s[i]);
        let verdict = match (score, report.threshold) {
            (Some(s), Some(t)) if s > t => "KEPT",
            (Some(_), Some(_)) => "gone",
            _ => rules,
        };
        let score = score.map_or("-".to_string(), |s| format!("{s:.3}"));
        let preview: String = text.chars().take(70).collect();
        println!(
            "#{i:<4} {rules} {score:>5} {verdict} {:<22} | {preview}",
            report.kinds[i]
        );
        if show_features {
            let row = &report.rows[i * NAMES.len()..(i + 1) * NAMES.len()];
            let pairs: Vec<String> = NAMES
                .iter()
                .zip(row)
                .filter(|(_, v)| **v != 0.0)
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            println!("       {}", pairs.join(" "));
        }
    }
    Ok(())
}

/// What the cleaner removed (subtree roots with text) and the container the score chose.
fn removed_and_container(bytes: &[u8], config: &Config) -> anyhow::Result<()> {
    let cfg = gleaner::internals::rules(config);
    let text = gleaner::decode::decode(bytes, None, None, &cfg.decode)?.text;
    let dom = gleaner::parse::parse(&text, config.limits.max_nesting, Deadline::NONE);
    let cleaned = clean(
        &dom,
        &Patterns::new(&cfg.clean),
        &cfg.clean,
        None,
        Deadline::NONE,
    );
    for (i, node) in dom.nodes.iter().enumerate() {
        let parent_removed = node.parent != u32::MAX && cleaned.removed[node.parent as usize];
        if cleaned.removed[i] && !parent_removed && cleaned.text_bytes[i] > 0 {
            println!(
                "removed #{i} {:?} [{}] text={}",
                node.tag,
                dom.hints(i).trim(),
                cleaned.text_bytes[i]
            );
        }
    }
    let blocks = score::segment(&dom, &cleaned, false, Deadline::NONE);
    if let Some(c) = score::best_container(&dom, &cleaned, &blocks, &cfg.score) {
        println!(
            "container #{c} {:?} [{}]",
            dom.nodes[c].tag,
            dom.hints(c).trim()
        );
        let mut p = dom.nodes[c].parent;
        while p != u32::MAX && dom.nodes[p as usize].tag != Tag::Html {
            let parent = &dom.nodes[p as usize];
            println!(
                "  inside #{p} {:?} [{}]",
                parent.tag,
                dom.hints(p as usize).trim()
            );
            p = parent.parent;
        }
    }
    Ok(())
}
