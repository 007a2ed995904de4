//! Score: how much each element looks like the article's container.
//!
//! Each block gets a weight: its text outside links counts for it, its text inside links and a
//! fixed per-block cost count against it (so link lists and piles of tiny fragments weigh
//! negative). An element's score is the sum of the weights of the blocks inside it, times
//! structural evidence from the page itself (`<article>`, `<main>`, `itemprop=articleBody`,
//! Readability-style class names). The best element is the one whose inside is most text and
//! least clutter: the tree analogue of Finn et al.'s body-text extraction (BTE, 2001).
//! All sums are one reverse pass over the flat document.

pub mod blocks;

use crate::clean::Cleaned;
use crate::config::ScoreConfig;
use crate::parse::dom::{Dom, NO_PARENT, Tag, flags};
pub use blocks::{Block, BlockKind, segment};

/// A block's weight in the container score.
pub fn block_weight(b: &Block, cfg: &ScoreConfig) -> f64 {
    let outside_links = (b.chars - b.link_chars) as f64;
    // Running text is made of sentences; navigation and labels are not.
    let sentence = if b.sentence_ends > 0 && b.link_density() < 0.5 {
        cfg.sentence_bonus
    } else {
        1.0
    };
    outside_links * sentence - cfg.link_penalty * b.link_chars as f64 - cfg.block_cost
}

/// Returns the index of the element that best contains the main content, or None when the
/// page has no block with positive weight.
pub fn best_container(
    dom: &Dom,
    cleaned: &Cleaned,
    blocks: &[Block],
    cfg: &ScoreConfig,
) -> Option<usize> {
    let n = dom.nodes.len();
    let mut sum = vec![0f64; n];
    for b in blocks {
        sum[b.node as usize] += block_weight(b, cfg);
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent;
        if p != NO_PARENT && !cleaned.removed[i] {
            sum[p as usize] += sum[i];
        }
    }
    let mut best: Option<(usize, f64)> = None;
    for i in 0..n {
        if cleaned.removed[i] || dom.nodes[i].tag == Tag::Text || sum[i] <= 0.0 {
            continue;
        }
        let score = sum[i] * structure_weight(dom, cleaned, i, cfg);
        // `>=`: on a tie the later (deeper) element wins: same content, tighter container.
        if best.is_none_or(|(_, s)| score >= s) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

fn structure_weight(dom: &Dom, cleaned: &Cleaned, i: usize, cfg: &ScoreConfig) -> f64 {
    let node = &dom.nodes[i];
    let mut w = match node.tag {
        Tag::Article => cfg.article_weight,
        Tag::Main => cfg.main_weight,
        _ => 1.0,
    };
    if node.flags & flags::CONTENT_MARK != 0 {
        w *= cfg.content_mark_weight;
    }
    w * match cleaned.hint[i] {
        1 => cfg.positive_weight,
        -1 => cfg.negative_weight,
        _ => 1.0,
    }
}
