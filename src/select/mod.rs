//! Select: which blocks of the chosen container are the article.
//!
//! Each block is classified on its own (jusText's context-free pass, Pomikálek 2011): bad
//! (link-dense, or a known clutter line such as "Share this" or "12 hours ago"), short, good
//! (long, or mid-length with sentence punctuation standing in for jusText's stop-word density),
//! or near-good. Then neighbours decide the doubtful ones: a short block between good ones is
//! content (a one-line paragraph in a story), a short block between bad ones is clutter (a
//! teaser line in a "Recent Posts" list), and a heading is kept when good text follows it.

use regex::RegexSet;

use crate::config::SelectConfig;
use crate::score::{Block, BlockKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Good,
    NearGood,
    Short,
    Bad,
}

/// Classifies `blocks` (the candidates, in reading order) and returns which to keep.
pub fn keep_blocks(blocks: &[&Block], lines: &RegexSet, cfg: &SelectConfig) -> Vec<bool> {
    let first: Vec<Class> = blocks.iter().map(|b| classify(b, lines, cfg)).collect();
    let is_heading = |i: usize| matches!(blocks[i].kind, BlockKind::Heading(_));
    let edge = if cfg.edges_are_bad {
        Some(Class::Bad)
    } else {
        None
    };

    // The nearest neighbour (skipping headings, and near-good ones when asked) in one
    // direction; `None` past the container's edge when edges are neutral.
    let neighbour = |i: usize, forward: bool, skip_near_good: bool| -> Option<Class> {
        let mut j = i;
        loop {
            if forward {
                j += 1;
                if j >= blocks.len() {
                    return edge;
                }
            } else {
                if j == 0 {
                    return edge;
                }
                j -= 1;
            }
            let c = first[j];
            if is_heading(j) || c == Class::Short || (skip_near_good && c == Class::NearGood) {
                continue;
            }
            return Some(c);
        }
    };

    let mut fin = first.clone();
    for i in 0..blocks.len() {
        if is_heading(i) && first[i] != Class::Bad {
            continue; // decided last, by what follows
        }
        fin[i] = match first[i] {
            Class::Short => {
                let prev = neighbour(i, false, true);
                let next = neighbour(i, true, true);
                match (prev, next) {
                    (Some(Class::Good), Some(Class::Good)) => Class::Good,
                    (Some(Class::Bad), Some(Class::Bad)) => Class::Bad,
                    // A neutral edge takes the other side's word; with none, the container
                    // (chosen as the page's best region) vouches for it.
                    (None, Some(c)) | (Some(c), None) => c,
                    (None, None) => Class::Good,
                    _ => {
                        // good on one side, bad on the other: jusText keeps it only when the
                        // bad side is softened by a near-good block in between.
                        let prev_ng = neighbour(i, false, false) == Some(Class::NearGood);
                        let next_ng = neighbour(i, true, false) == Some(Class::NearGood);
                        if (prev == Some(Class::Bad) && prev_ng)
                            || (next == Some(Class::Bad) && next_ng)
                        {
                            Class::Good
                        } else {
                            Class::Bad
                        }
                    }
                }
            }
            Class::NearGood if cfg.keep_near_good => Class::Good,
            Class::NearGood => {
                let prev = neighbour(i, false, true);
                let next = neighbour(i, true, true);
                if prev != Some(Class::Good)
                    && next != Some(Class::Good)
                    && (prev.is_some() || next.is_some())
                {
                    Class::Bad
                } else {
                    Class::Good
                }
            }
            c => c,
        };
    }

    // Headings: kept when a kept block follows within `max_heading_distance` characters.
    for i in (0..blocks.len()).rev() {
        if !is_heading(i) || first[i] == Class::Bad {
            continue;
        }
        let mut distance = 0usize;
        let mut keep = false;
        for j in i + 1..blocks.len() {
            if fin[j] == Class::Good && !is_heading(j) {
                keep = true;
                break;
            }
            distance += blocks[j].chars as usize;
            if distance > cfg.max_heading_distance {
                break;
            }
        }
        fin[i] = if keep { Class::Good } else { Class::Bad };
    }
    fin.iter().map(|c| *c == Class::Good).collect()
}

fn classify(b: &Block, lines: &RegexSet, cfg: &SelectConfig) -> Class {
    let chars = b.chars as usize;
    // Clutter lines are short; testing long blocks against them would only cost time.
    if chars < 200 && is_clutter_line(&b.text, lines) {
        return Class::Bad;
    }
    if b.link_density() > cfg.max_link_density {
        return Class::Bad;
    }
    if b.kind == BlockKind::Pre {
        return Class::Good;
    }
    if chars < cfg.length_low {
        return Class::Short;
    }
    if chars >= cfg.length_high {
        return Class::Good;
    }
    // Mid-length: sentences mark running text (jusText uses stop-word density here).
    if b.sentence_ends > 0 && b.link_density() < cfg.max_link_density / 2.0 {
        Class::Good
    } else {
        Class::NearGood
    }
}

fn is_clutter_line(text: &str, lines: &RegexSet) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || lines.is_match(l)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn block(text: &str, link_chars: u32, kind: BlockKind) -> Block {
        let chars = text.chars().filter(|c| !c.is_whitespace()).count() as u32;
        Block {
            kind,
            node: 0,
            text: text.to_string(),
            markdown: String::new(),
            in_quote: false,
            chars,
            link_chars: link_chars.min(chars),
            words: text.split_whitespace().count() as u32,
            sentence_ends: text.matches(". ").count() as u32 + text.ends_with('.') as u32,
        }
    }

    fn keep(blocks: &[Block]) -> Vec<bool> {
        let cfg = Config::default();
        let lines = RegexSet::new(
            cfg.clean
                .boilerplate_lines
                .iter()
                .map(|l| format!("(?i){l}")),
        )
        .unwrap();
        let refs: Vec<&Block> = blocks.iter().collect();
        keep_blocks(&refs, &lines, &cfg.select.balanced)
    }

    const LONG: &str = "This is a long paragraph of running text, the kind a story is made of. It goes on for a while so that it is plainly content and not a label.";

    #[test]
    fn short_line_between_good_paragraphs_is_kept() {
        let p = BlockKind::Paragraph;
        let b = [
            block(LONG, 0, p),
            block("He said no.", 0, p),
            block(LONG, 0, p),
        ];
        assert_eq!(keep(&b), [true, true, true]);
    }

    #[test]
    fn teaser_lines_after_a_recent_posts_heading_go() {
        let p = BlockKind::Paragraph;
        let b = [
            block(LONG, 0, p),
            block("Recent Posts", 0, BlockKind::Heading(2)),
            block("Teaser headline one about something", 35, p),
            block("12 hours ago", 0, p),
            block("Teaser headline two about another", 33, p),
            block("12 hours ago", 0, p),
        ];
        assert_eq!(keep(&b), [true, false, false, false, false, false]);
    }

    #[test]
    fn heading_followed_by_text_is_kept() {
        let b = [
            block(LONG, 0, BlockKind::Paragraph),
            block("A sub-heading", 0, BlockKind::Heading(2)),
            block(LONG, 0, BlockKind::Paragraph),
        ];
        assert_eq!(keep(&b), [true, true, true]);
    }

    #[test]
    fn inline_link_paragraph_is_kept() {
        let text = "The agency said more. (RELATED: Officials Confirm The Report) The sources spoke on condition of anonymity because the matter is sensitive.";
        let b = [block(text, 35, BlockKind::Paragraph)];
        assert_eq!(keep(&b), [true]);
    }
}
