//! The paragraph classifier: clutter told by the words alone, with no markup to go by.
//!
//! It serves twice. On plain text (a scrape already flattened, a WET record) it is the whole
//! extractor: the text is cut into paragraphs, each is classified by the shapes clutter
//! takes once flattened, and jusText's context smoothing settles the doubtful ones. After
//! HTML extraction it runs as a last pass over the kept blocks and cuts the clutter that the
//! markup did not give away: a "Related articles" section inside the article's own
//! container, a lone timestamp, a cookie sentence.

use regex::RegexSet;

use crate::config::{CleanConfig, SelectConfig};
use crate::error::Error;
use crate::score::{Block, BlockKind, text_stats};

use super::{ClutterText, keep_blocks};

/// Longest line (in words) that can stand as a headline in plain text.
const HEADLINE_MAX_WORDS: usize = 20;

pub struct Paragraphs {
    /// Headings that open a section of clutter: "Recent Posts", "Ähnliche Beiträge".
    section_starts: RegexSet,
    section_heading_max_chars: u32,
}

impl Paragraphs {
    pub fn new(cfg: &CleanConfig) -> Result<Paragraphs, Error> {
        let section_starts = RegexSet::new(
            cfg.clutter_section_headings
                .iter()
                .map(|p| format!("(?i)^{p}\\W*$")),
        )
        .map_err(|e| Error::Config {
            source_name: "clean.clutter_section_headings".into(),
            message: e.to_string(),
        })?;
        Ok(Paragraphs {
            section_starts,
            section_heading_max_chars: 60,
        })
    }

    fn opens_clutter_section(&self, b: &Block) -> bool {
        // A list item is an entry, never a section's heading.
        matches!(b.kind, BlockKind::Heading(_) | BlockKind::Paragraph)
            && b.chars <= self.section_heading_max_chars
            && self.section_starts.is_match(b.text.trim())
    }

    /// Last pass after HTML extraction: drops clutter sections (a "Related articles" heading
    /// and the teasers under it, up to the next story paragraph) from the kept blocks.
    pub fn cut_clutter_sections(&self, kept: &mut Vec<&Block>, cfg: &SelectConfig) {
        let mut keep = vec![true; kept.len()];
        self.mark_clutter_sections(kept, &mut keep, cfg);
        let mut flags = keep.into_iter();
        kept.retain(|_| flags.next().unwrap_or(true));
    }

    fn mark_clutter_sections(&self, blocks: &[&Block], keep: &mut [bool], cfg: &SelectConfig) {
        let mut in_section = false;
        for (i, b) in blocks.iter().enumerate() {
            if self.opens_clutter_section(b) {
                in_section = true;
            } else if in_section && is_story_paragraph(b, cfg) {
                in_section = false;
            }
            if in_section {
                keep[i] = false;
            }
        }
    }

    /// Plain-text mode: which paragraphs are the main content.
    pub fn keep_text(
        &self,
        blocks: &[&Block],
        clutter: &ClutterText,
        cfg: &SelectConfig,
    ) -> Vec<bool> {
        // Flattened text has no container around the story: its edges are where the clutter
        // sits (site name, "Recent Posts"), so they count as bad, as in jusText.
        let text_cfg = SelectConfig {
            edges_are_bad: true,
            ..cfg.clone()
        };
        let mut keep = keep_blocks(blocks, clutter, &text_cfg);
        for (i, b) in blocks.iter().enumerate() {
            // A teaser's first line, cut off by the site with an ellipsis.
            if is_truncated(b) {
                keep[i] = false;
            }
        }
        self.mark_clutter_sections(blocks, &mut keep, cfg);
        keep
    }
}

/// Running text that ends a clutter section: long, made of sentences, not a cut-off teaser.
fn is_story_paragraph(b: &Block, cfg: &SelectConfig) -> bool {
    b.kind == BlockKind::Paragraph
        && b.chars as usize >= cfg.length_high
        && b.sentence_ends > 0
        && b.link_density() < 0.2
        && !is_truncated(b)
}

fn is_truncated(b: &Block) -> bool {
    let t = b.text.trim_end();
    t.ends_with('…') || t.ends_with("...") || t.ends_with("[…]")
}

/// Cuts plain text into paragraph blocks: blank lines separate paragraphs (or, in text with
/// no blank lines at all, each line is one). A short line without closing punctuation that
/// stands alone is taken for a heading, so that it is kept only when text follows it.
pub fn text_blocks(text: &str) -> Vec<Block> {
    let has_blank_lines = text.lines().any(|l| l.trim().is_empty())
        && text.lines().filter(|l| !l.trim().is_empty()).count() > 1;
    let paragraphs: Vec<String> = if has_blank_lines {
        text.split("\n\n")
            .flat_map(|p| p.split("\r\n\r\n"))
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        text.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect()
    };
    paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let (chars, sentence_ends) = text_stats(&text);
            let words = text.split_whitespace().count();
            let kind = if sentence_ends == 0
                && words <= HEADLINE_MAX_WORDS
                && !text.ends_with([',', ':', '…'])
            {
                BlockKind::Heading(2)
            } else {
                BlockKind::Paragraph
            };
            Block {
                kind,
                node: i as u32,
                markdown: String::new(),
                in_quote: false,
                chars,
                link_chars: 0,
                words: words as u32,
                sentence_ends,
                text,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn clean_text(text: &str) -> String {
        let cfg = Config::default();
        let clutter = ClutterText::new(&cfg.clean).unwrap();
        let paragraphs = Paragraphs::new(&cfg.clean).unwrap();
        let blocks = text_blocks(text);
        let refs: Vec<&Block> = blocks.iter().collect();
        let keep = paragraphs.keep_text(&refs, &clutter, &cfg.select.balanced);
        blocks
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(b, _)| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    const P1: &str = "The council voted on Tuesday to close the old bridge to traffic, citing a report that found serious corrosion in its steel supports.";
    const P2: &str = "Repairs are expected to take at least eighteen months, and a temporary footbridge will open in the spring for people who walk or cycle.";

    #[test]
    fn text_without_clutter_comes_through() {
        let text = format!("Bridge to close for repairs\n\n{P1}\n\nIt will cost more.\n\n{P2}\n");
        assert_eq!(
            clean_text(&text),
            format!("Bridge to close for repairs\n{P1}\nIt will cost more.\n{P2}")
        );
    }

    #[test]
    fn recent_posts_teasers_go_whole() {
        let text = format!(
            "{P1}\n\n{P2}\n\nThe Daily Bugle\n\nRecent Posts\n\nMayor opens new library\n\n\
             CITY (Staff): The mayor opened the new central library on Monday with a…\n\n\
             12 hours ago\n\nFloods close the coast road\n\nCOAST (Staff): Heavy rain closed…\n\n\
             1 day ago\n\nThis website uses cookies."
        );
        assert_eq!(clean_text(&text), format!("{P1}\n{P2}"));
    }

    #[test]
    fn german_teaser_block_goes() {
        let text = format!(
            "{P1}\n\n{P2}\n\nÄhnliche Beiträge\n\nNeue Brücke für die Altstadt\n\n\
             Der Stadtrat hat am Dienstag beschlossen, die alte Brücke zu schließen, weil…\n\n\
             vor 3 Stunden\n\nDiese Website verwendet Cookies."
        );
        assert_eq!(clean_text(&text), format!("{P1}\n{P2}"));
    }

    #[test]
    fn empty_and_blank_input_give_nothing() {
        assert_eq!(clean_text(""), "");
        assert_eq!(clean_text("  \n\n \t \n"), "");
    }
}
