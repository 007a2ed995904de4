//! The paragraph classifier: clutter told by the words alone, with no markup to go by.
//!
//! It serves twice. On plain text (a scrape already flattened, a WET record) it is the whole
//! extractor: the text is cut into paragraphs, each is classified by the shapes clutter
//! takes once flattened, and jusText's context smoothing settles the doubtful ones. After
//! HTML extraction it runs as a last pass over the kept blocks and cuts the clutter that the
//! markup did not give away: a "Related articles" section inside the article's own
//! container, a lone timestamp, a cookie sentence.

use std::collections::HashMap;

use crate::rules::PatternSet;

use crate::rules::{CleanRules, ModeRules, ParagraphRules, pattern_set};
use crate::deadline::Deadline;
use crate::error::Error;
use crate::score::{Block, BlockKind, text_stats};

use super::stopwords::{self, StopWords};
use super::{ClutterText, keep_blocks_judged, listing};

pub struct Paragraphs {
    stop_words: StopWords,
    /// Headings that open a section of clutter: "Recent Posts", "Ähnliche Beiträge".
    section_starts: PatternSet,
    /// Headings that open a comment section ("12 Comments", "Leave a Reply").
    comment_starts: PatternSet,
    cfg: ParagraphRules,
}

impl Paragraphs {
    pub fn new(cfg: &CleanRules, paragraphs: &ParagraphRules) -> Result<Paragraphs, Error> {
        // A heading is the whole line, give or take closing punctuation.
        let whole_line = |p: &str| format!("^{p}\\W*$");
        let compile = |name: &str, patterns: &[String]| pattern_set(name, patterns, whole_line);
        let comments = &cfg.comment_section_headings;
        let all: Vec<String> = cfg
            .clutter_section_headings
            .iter()
            .chain(comments)
            .cloned()
            .collect();
        Ok(Paragraphs {
            stop_words: StopWords::new(),
            section_starts: compile("clutter_section_headings", &all)?,
            comment_starts: compile("comment_section_headings", comments)?,
            cfg: paragraphs.clone(),
        })
    }

    fn opens_clutter_section(&self, b: &Block) -> bool {
        Self::is_section_heading(b, self.cfg.section_heading_max_chars)
            && self.section_starts.is_match(b.text.trim())
    }

    fn opens_comments(&self, b: &Block) -> bool {
        Self::is_section_heading(b, self.cfg.comment_heading_max_chars)
            && self.comment_starts.is_match(b.text.trim())
    }

    /// A list item is an entry, never a section's heading.
    fn is_section_heading(b: &Block, max_chars: u32) -> bool {
        matches!(b.kind, BlockKind::Heading(_) | BlockKind::Paragraph) && b.chars <= max_chars
    }

    /// Last pass after HTML extraction: which kept blocks stand outside clutter sections (a "Related articles" heading
    /// and the teasers under it, up to the next story paragraph) from the kept blocks.
    pub fn outside_clutter_sections(&self, kept: &[&Block], cfg: &ModeRules) -> Vec<bool> {
        let mut keep = vec![true; kept.len()];
        self.mark_clutter_sections(kept, &mut keep, cfg);
        keep
    }

    /// The stop-word lists, by language.
    pub fn stop_words(&self) -> &StopWords {
        &self.stop_words
    }

    fn mark_clutter_sections(&self, blocks: &[&Block], keep: &mut [bool], cfg: &ModeRules) {
        let mut in_section = false;
        for (i, b) in blocks.iter().enumerate() {
            if self.opens_clutter_section(b) {
                in_section = true;
            } else if in_section && self.is_story_paragraph(b, cfg) {
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
        cfg: &ModeRules,
    ) -> Vec<bool> {
        // Flattened text has no container around the story: its edges are where the clutter
        // sits (site name, "Recent Posts"), so they count as bad, as in jusText.
        // A headline stands right above its text: in flattened text a short line further
        // off is a menu entry or a teaser title. Short lines are longer than in HTML
        // (`paragraphs.text_length_low`): without markup, length is most of what is left.
        let text_cfg = ModeRules {
            edges_are_bad: true,
            max_heading_distance: 0,
            length_low: self.cfg.text_length_low,
            ..cfg.clone()
        };
        let sample: String = blocks
            .iter()
            .take(200)
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let page_stop_words = self.stop_words.for_text(&sample);
        // The same paragraph twice in one text is a template's (a form's help line, a menu
        // printed at top and bottom), not the author's.
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for b in blocks {
            *seen.entry(b.text.as_str()).or_default() += 1;
        }
        let not_prose = |i: usize| {
            let text = blocks[i].text.as_str();
            if seen[text] > 1 {
                return true;
            }
            if (blocks[i].words as usize) < self.cfg.stop_words_min_words {
                return false;
            }
            // A paragraph in another language than the page's is judged by its own list.
            let list = self.stop_words.for_paragraph(text).or(page_stop_words);
            list.is_some_and(|list| stopwords::density(list, text).0 < self.cfg.stop_words_low)
        };
        let mut keep = keep_blocks_judged(blocks, clutter, &text_cfg, not_prose, Deadline::NONE);
        for (i, b) in blocks.iter().enumerate() {
            // A teaser's first line, cut off by the site with an ellipsis.
            if is_truncated(b) {
                keep[i] = false;
            }
        }
        self.mark_clutter_sections(blocks, &mut keep, cfg);
        // A comment thread, once the story has been told, runs to the end of the text.
        let story_told = |i: usize| keep[..i].iter().any(|&k| k);
        if let Some(start) =
            (0..blocks.len()).find(|&i| self.opens_comments(blocks[i]) && story_told(i))
        {
            keep[start..].fill(false);
        }
        // Too little left to be a story: the text is a list (a catalogue, a link list), and
        // the list is its content, as on HTML pages (see `listing`).
        let kept = blocks
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(b, _)| *b);
        if listing::is_listing(kept, blocks.iter().copied(), cfg) {
            return listing::keep_listing(blocks, clutter, cfg, Deadline::NONE);
        }
        keep
    }
    /// Running text that ends a clutter section: long, made of sentences, not a cut-off teaser.
    fn is_story_paragraph(&self, b: &Block, cfg: &ModeRules) -> bool {
        b.kind == BlockKind::Paragraph
            && b.chars as usize >= cfg.length_high
            && b.sentence_ends > 0
            && b.link_density() < self.cfg.story_max_link_share
            && !is_truncated(b)
    }

    /// Cuts plain text into paragraph blocks. Blank lines separate paragraphs; inside one,
    /// the lines stay joined only when they look hard-wrapped (long lines running on), and
    /// otherwise each line is a block of its own (a flattened list or menu, or text with one
    /// paragraph per line as in WET files). A short line without closing punctuation is taken
    /// for a heading, so that it is kept only when text follows it.
    pub fn text_blocks(&self, text: &str) -> Vec<Block> {
        text_blocks(text, &self.cfg)
    }
}

fn is_truncated(b: &Block) -> bool {
    let t = b.text.trim_end();
    t.ends_with('…') || t.ends_with("...") || t.ends_with("[…]")
}

fn text_blocks(text: &str, cfg: &ParagraphRules) -> Vec<Block> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let flush = |lines: &mut Vec<&str>, out: &mut Vec<String>| {
        if lines.is_empty() {
            return;
        }
        let hard_wrapped = lines.len() > 1
            && lines[..lines.len() - 1]
                .iter()
                .all(|l| l.chars().count() >= cfg.wrapped_line_min_chars);
        if hard_wrapped {
            out.push(
                lines
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        } else {
            out.extend(
                lines
                    .iter()
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")),
            );
        }
        lines.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut lines, &mut paragraphs);
        } else {
            lines.push(line.trim());
        }
    }
    flush(&mut lines, &mut paragraphs);
    paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            // A list's "16. " or "- " is a marker, not the end of a sentence.
            let (_, sentence_ends) = text_stats(without_list_marker(&text));
            let words = text.split_whitespace().count();
            let kind = if sentence_ends == 0
                && words <= cfg.headline_max_words
                && !text.ends_with([',', ':', '…'])
            {
                BlockKind::Heading(2)
            } else {
                BlockKind::Paragraph
            };
            let mut block = Block::new(kind, i as u32, text, 0, false, String::new());
            block.sentence_ends = sentence_ends;
            block
        })
        .collect()
}

/// `text` without a leading list marker ("16. ", "3) ", "- ", "• ").
fn without_list_marker(text: &str) -> &str {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &text[digits..];
    if digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ")) {
        return &rest[2..];
    }
    text.strip_prefix("- ")
        .or_else(|| text.strip_prefix("• "))
        .or_else(|| text.strip_prefix("* "))
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn clean_text(text: &str) -> String {
        let cfg = Rules::default();
        let clutter = ClutterText::new(&cfg.clean).unwrap();
        let paragraphs = Paragraphs::new(&cfg.clean, &cfg.paragraphs).unwrap();
        let blocks = paragraphs.text_blocks(text);
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
    fn recommended_for_you_opens_a_clutter_section_but_recommended_specs_do_not() {
        let cfg = Rules::default();
        let paragraphs = Paragraphs::new(&cfg.clean, &cfg.paragraphs).unwrap();
        let starts = |t: &str| paragraphs.section_starts.is_match(t);
        assert!(starts("Recommended for You"));
        assert!(starts("Recommended stories"));
        // Steam's "Recommended:" system requirements are the product's own text.
        assert!(!starts("Recommended:"));
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
    fn a_short_story_between_clutter_lines_stays() {
        let text = "Categories: News\n\nBridge to close\n\nThe council voted on Tuesday to close \
                    the old bridge, citing serious corrosion.\n\n12 hours ago\n";
        assert_eq!(
            clean_text(text),
            "Bridge to close\nThe council voted on Tuesday to close the old bridge, citing serious corrosion."
        );
    }

    #[test]
    fn empty_and_blank_input_give_nothing() {
        assert_eq!(clean_text(""), "");
        assert_eq!(clean_text("  \n\n \t \n"), "");
    }

    #[test]
    fn teaser_sections_in_more_languages_are_cut_after_html_extraction() {
        use crate::select::tests::block;
        let cfg = Rules::default();
        let paragraphs = Paragraphs::new(&cfg.clean, &cfg.paragraphs).unwrap();
        let h = BlockKind::Heading(2);
        let p = BlockKind::Paragraph;
        for heading in [
            "Zobacz także",
            "Vous aimerez aussi",
            "Dans la même rubrique",
            "Weiterführende Informationen",
            "Das Thema könnte dich auch interessieren:",
            "NOTAS RELACIONADAS",
        ] {
            let blocks = [
                block(P1, 0, p),
                block("Wie es weitergeht", 0, h),
                block(P2, 0, p),
                block(heading, 0, h),
                block("Neue Brücke für die Altstadt", 28, p),
                block("Hochwasser sperrt die Uferstraße", 0, p),
            ];
            let mut kept: Vec<&Block> = blocks.iter().collect();
            let keep = paragraphs.outside_clutter_sections(&kept, &cfg.select.balanced);
            let mut flags = keep.into_iter();
            kept.retain(|_| flags.next().unwrap_or(true));
            let texts: Vec<&str> = kept.iter().map(|b| b.text.as_str()).collect();
            assert_eq!(texts, [P1, "Wie es weitergeht", P2], "{heading}");
        }
    }
}
