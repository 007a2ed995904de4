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
use crate::rules::ScoreRules;
use crate::parse::dom::{Dom, NO_PARENT, Tag, flags};
pub use blocks::{Block, BlockKind, segment, text_stats};

/// A block's weight in the container score.
pub fn block_weight(b: &Block, cfg: &ScoreRules) -> f64 {
    let outside_links = (b.chars - b.link_chars) as f64;
    // Running text is made of sentences; navigation and labels are not.
    let sentence = if b.sentence_ends > 0 && b.link_density() < 0.5 {
        cfg.sentence_bonus
    } else {
        1.0
    };
    outside_links * sentence - cfg.link_penalty * b.link_chars as f64 - cfg.block_cost
}

/// Returns the index of the element that best contains the main content, or None when no
/// element reaches `min_container_score` (the page has no main content).
pub fn best_container(
    dom: &Dom,
    cleaned: &Cleaned,
    blocks: &[Block],
    cfg: &ScoreRules,
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
    for (i, &node_sum) in sum.iter().enumerate() {
        if cleaned.removed[i] || dom.nodes[i].tag == Tag::Text || node_sum <= 0.0 {
            continue;
        }
        let score = node_sum * structure_weight(dom, cleaned, i, cfg);
        // `>=`: on a tie the later (deeper) element wins: same content, tighter container.
        if best.is_none_or(|(_, s)| score >= s) {
            best = Some((i, score));
        }
    }
    best.filter(|(_, score)| *score >= cfg.min_container_score)
        .map(|(i, _)| widen_to_repeats(dom, cleaned, &sum, i))
}

/// Forum posts, answers and product sections repeat one markup pattern; the best single node
/// is then one post of many, with the others cut off by the per-post clutter between them
/// (user names, join dates, "Quote" buttons). Walking up from the winner, the first ancestor
/// whose child on the path has at least one look-alike sibling (same tag, mostly the same
/// class words) that also holds text becomes the container.
fn widen_to_repeats(dom: &Dom, cleaned: &Cleaned, sum: &[f64], best: usize) -> usize {
    let mut child = best;
    let mut parent = dom.nodes[best].parent;
    while parent != NO_PARENT && !matches!(dom.nodes[parent as usize].tag, Tag::Body | Tag::Html) {
        let p = parent as usize;
        let mut twins_with_text = 0;
        let mut c = p + 1;
        while c < dom.nodes[p].end as usize {
            if c != child && !cleaned.removed[c] && sum[c] > 0.0 && look_alike(dom, c, child) {
                twins_with_text += 1;
            }
            c = dom.nodes[c].end as usize;
        }
        if twins_with_text > 0 {
            return p;
        }
        child = p;
        parent = dom.nodes[p].parent;
    }
    best
}

/// Same tag and at least half the same class/id words (ignoring words with digits, which
/// number posts: "post bg1 p9005" and "post bg2 p9000" look alike).
fn look_alike(dom: &Dom, a: usize, b: usize) -> bool {
    if dom.nodes[a].tag != dom.nodes[b].tag || dom.nodes[a].tag == Tag::Text {
        return false;
    }
    let words = |i: usize| {
        dom.hints(i)
            .split_whitespace()
            .filter(|w| !w.bytes().any(|c| c.is_ascii_digit()))
            .collect::<Vec<_>>()
    };
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    let shared = wa.iter().filter(|w| wb.contains(w)).count();
    shared * 2 >= wa.len().max(wb.len())
}

fn structure_weight(dom: &Dom, cleaned: &Cleaned, i: usize, cfg: &ScoreRules) -> f64 {
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
