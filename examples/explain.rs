//! Developer aid: shows what the cleaner removed from a page and which container won.
//!
//!     cargo run --release --features internals --example explain -- page.html [--blocks]

use gleaner::clean::{Patterns, clean};
use gleaner::parse::dom::Tag;
use gleaner::{Config, Deadline, score};

/// The page's bytes, gunzipped when they are gzip.
fn read(path: &str) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let raw = std::fs::read(path)?;
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(raw);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).expect("usage: explain FILE");
    let bytes = read(&path)?;
    let config = Config::default();
    let cfg = gleaner::internals::rules(&config);
    let text = gleaner::decode::decode(&bytes, None, None, &cfg.decode)?.text;
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
    if std::env::args().any(|a| a == "--blocks") {
        for b in &blocks {
            let w = score::block_weight(b, &cfg.score);
            println!(
                "block #{} {:?} w={w:.0} chars={} links={} | {}",
                b.node,
                b.kind,
                b.chars,
                b.link_chars,
                b.text.chars().take(70).collect::<String>()
            );
        }
    }
    if let Some(c) = score::best_container(&dom, &cleaned, &blocks, &cfg.score) {
        println!(
            "container #{c} {:?} [{}]",
            dom.nodes[c].tag,
            dom.hints(c).trim()
        );
        let mut p = dom.nodes[c].parent;
        while p != u32::MAX && dom.nodes[p as usize].tag != Tag::Html {
            println!(
                "  inside #{p} {:?} [{}]",
                dom.nodes[p as usize].tag,
                dom.hints(p as usize).trim()
            );
            p = dom.nodes[p as usize].parent;
        }
    }
    Ok(())
}
