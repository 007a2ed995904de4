//! Select: which blocks of the chosen container are the article.
//!
//! Each block is classified on its own (jusText's context-free pass, Pomikálek 2011): bad
//! (link-dense, or a known clutter line such as "Share this" or "12 hours ago"), short, good
//! (long, or mid-length with sentence punctuation standing in for jusText's stop-word density),
//! or near-good. Then neighbours decide the doubtful ones: a short block between good ones is
//! content (a one-line paragraph in a story), a short block between bad ones is clutter (a
//! teaser line in a "Recent Posts" list), and a heading is kept when good text follows it.

pub mod features;
pub mod learned;
pub mod listing;
pub mod paragraphs;
pub mod stopwords;
pub mod trees;

use std::collections::{HashMap, HashSet};

use crate::rules::PatternSet;

use crate::rules::{CleanRules, ModeRules, ascii_word_boundaries, pattern_set};
use crate::deadline::Deadline;
use crate::error::Error;
use crate::score::{Block, BlockKind};

/// Text-level clutter recognisers from `config.toml`, compiled once.
pub struct ClutterText {
    lines: PatternSet,
    dates: PatternSet,
    date_line_max_words: u32,
    max_chars: u32,
    photo_credit: regex::Regex,
}

impl ClutterText {
    pub fn new(cfg: &CleanRules) -> Result<ClutterText, Error> {
        let anywhere = |p: &str| p.to_string();
        Ok(ClutterText {
            lines: pattern_set("boilerplate_lines", &cfg.boilerplate_lines, anywhere)?,
            dates: pattern_set("date_patterns", &cfg.date_patterns, anywhere)?,
            date_line_max_words: cfg.date_line_max_words,
            photo_credit: photo_credit_regex(&cfg.photo_credit)?,
            max_chars: cfg.clutter_line_max_chars,
        })
    }

    /// A paragraph whose `<br>`-separated lines are partly clutter, without those lines
    /// ("Story sentence.<br>Follow us on Telegram"); None when no line goes, or every line
    /// does (such a block was judged whole by [`ClutterText::is_clutter`]). Paragraphs only:
    /// in `<pre>` code or a list a line like "image: nginx" is content.
    pub fn without_clutter_lines(&self, b: &Block) -> Option<Block> {
        if b.kind != BlockKind::Paragraph || !b.text.contains('\n') {
            return None;
        }
        let drop: Vec<bool> = b
            .text
            .lines()
            .map(|l| {
                // As for whole blocks, a line this long is text whatever it says.
                !l.trim().is_empty() && l.len() < self.max_chars as usize && self.is_clutter_line(l)
            })
            .collect();
        if !drop.contains(&true) || drop.iter().all(|d| *d) {
            return None;
        }
        let keep_lines = |s: &str| {
            let kept: Vec<&str> = s
                .lines()
                .zip(&drop)
                .filter(|(_, gone)| !**gone)
                .map(|(l, _)| l)
                .collect();
            kept.join("\n").trim_end().to_string()
        };
        // The Markdown has the same lines (a <br> is "  \n" there) when it was built.
        let markdown = if b.markdown.lines().count() == drop.len() {
            keep_lines(&b.markdown)
        } else {
            b.markdown.clone()
        };
        // The features follow the text (the links' share cannot be told apart by line).
        let text = keep_lines(&b.text);
        Some(Block::new(b.kind, b.node, text, b.link_chars, b.in_quote, markdown))
    }

    /// A photo credit ("Foto: dpa", "Getty Images"): a caption matching it is dropped.
    pub(crate) fn is_photo_credit(&self, text: &str) -> bool {
        self.photo_credit.is_match(text)
    }

    /// One of a block's `<br>`-separated lines is a known clutter line ("Share this").
    fn is_clutter_line(&self, line: &str) -> bool {
        self.lines.is_match(line.trim())
    }

    /// A known clutter line ("Share this"), or a dateline/byline: a few words around a date.
    pub(crate) fn is_clutter(&self, b: &Block) -> bool {
        if b.chars >= self.max_chars {
            return false;
        }
        let all_lines_clutter = b
            .text
            .lines()
            .all(|l| l.trim().is_empty() || self.is_clutter_line(l));
        all_lines_clutter
            || (b.words <= self.date_line_max_words
                && !b.text.ends_with(['.', '!', '?', '。'])
                && self.dates.is_match(&b.text))
    }
}

/// The photo-credit pattern, case-blind and with ASCII word boundaries as in
/// [`pattern_set`] (the block model tests every block against it).
fn photo_credit_regex(pattern: &str) -> Result<regex::Regex, Error> {
    regex::Regex::new(&format!("(?i){}", ascii_word_boundaries(pattern))).map_err(|e| {
        Error::Config {
            source_name: "clean.photo_credit".into(),
            message: e.to_string(),
        }
    })
}

/// `kept` without the paragraphs that repeat word for word at least `min_distance` blocks
/// after their last appearance and hold at least `min_chars`: a carousel's cloned slides (see
/// `extract.repeat_min_distance` in config.toml). A distance of 0 keeps every repeat.
pub fn drop_repeats(kept: Vec<&Block>, min_distance: usize, min_chars: u32) -> Vec<&Block> {
    if min_distance == 0 {
        return kept;
    }
    let mut last_seen: HashMap<&str, usize> = HashMap::new();
    kept.into_iter()
        .enumerate()
        .filter(|&(i, b)| {
            if b.kind != BlockKind::Paragraph || b.chars < min_chars {
                return true;
            }
            let before = last_seen.insert(b.text.as_str(), i);
            before.is_none_or(|at| i - at < min_distance)
        })
        .map(|(_, b)| b)
        .collect()
}

/// `kept` without what is never article text, whatever the page: escaped markup printed as
/// text (a `<noscript>` pixel's `<img height="1" …>` shown literally) and a caption printed
/// again (gallery, lightbox and figure markup repeat each caption). Code (`<pre>`) keeps its
/// tags.
pub fn drop_markup_and_caption_repeats(kept: Vec<&Block>) -> Vec<&Block> {
    let mut captions: HashSet<&str> = HashSet::new();
    kept.into_iter()
        .filter(|b| {
            if b.kind == BlockKind::Pre {
                return true;
            }
            if b.text.contains('<') && is_only_markup(&b.text) {
                return false;
            }
            b.kind != BlockKind::Caption || captions.insert(b.text.as_str())
        })
        .collect()
}

/// The text is tags and nothing else: take every `<name attr=…>` or `</name>` out and no
/// letter or digit is left. A tag needs an attribute, and one tag at least must have one:
/// docs write placeholders as `<pathspec>` and `<Any>`, which are text.
fn is_only_markup(text: &str) -> bool {
    let mut rest = text;
    let mut with_attributes = 0;
    loop {
        let Some(at) = rest.find('<') else {
            return with_attributes > 0 && !rest.chars().any(char::is_alphanumeric);
        };
        if rest[..at].chars().any(char::is_alphanumeric) {
            return false;
        }
        let after = &rest[at + 1..];
        let Some(end) = after.find('>') else {
            return false;
        };
        let tag = &after[..end];
        let closing = tag.starts_with('/');
        let named = tag
            .trim_start_matches('/')
            .starts_with(|c: char| c.is_ascii_alphabetic());
        let attributed = tag.contains('=') && tag.contains(char::is_whitespace);
        if !named || !(closing || attributed) {
            return false;
        }
        with_attributes += usize::from(attributed);
        rest = &after[end + 1..];
    }
}

/// jusText's block classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Good,
    NearGood,
    Short,
    Bad,
}

/// Classifies `blocks` (the candidates, in reading order) and returns which to keep.
/// The neighbour walks make a long run of short blocks costly, so each pass looks at the
/// clock per block and stops early once `deadline` has passed (the caller checks it).
pub fn keep_blocks(
    blocks: &[&Block],
    clutter: &ClutterText,
    cfg: &ModeRules,
    deadline: Deadline,
) -> Vec<bool> {
    keep_blocks_judged(blocks, clutter, cfg, |_| false, deadline)
}

/// [`keep_blocks`], with a caller's verdict: blocks for which `not_prose(i)` holds are bad
/// unless short (the plain-text classifier passes its stop-word and repetition tests here).
///
/// jusText's passes, in order: each block classified alone; short and near-good blocks
/// settled by their neighbours; teaser summaries between linked headlines dropped; headings
/// kept when kept text follows. Every pass is linear in the blocks.
pub fn keep_blocks_judged(
    blocks: &[&Block],
    clutter: &ClutterText,
    cfg: &ModeRules,
    not_prose: impl Fn(usize) -> bool,
    deadline: Deadline,
) -> Vec<bool> {
    let first: Vec<Class> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| match classify(b, clutter, cfg) {
            Class::Good | Class::NearGood if not_prose(i) => Class::Bad,
            c => c,
        })
        .collect();
    let is_heading: Vec<bool> = blocks
        .iter()
        .map(|b| matches!(b.kind, BlockKind::Heading(_)))
        .collect();
    let mut fin = by_context(&first, &is_heading, cfg);
    if deadline.passed() {
        return vec![false; blocks.len()];
    }
    drop_teaser_summaries(blocks, &first, &is_heading, cfg, &mut fin);
    keep_headings_over_text(blocks, &first, &is_heading, cfg, &mut fin);
    fin.iter().map(|c| *c == Class::Good).collect()
}

/// The context pass: a short block takes its neighbours' class, a near-good one is kept
/// unless bad blocks close it in. Headings are decided later, by what follows them.
fn by_context(first: &[Class], is_heading: &[bool], cfg: &ModeRules) -> Vec<Class> {
    let edge = cfg.edges_are_bad.then_some(Class::Bad);
    // Headings are no one's neighbour (except link headings, which are plain clutter:
    // teaser headlines), nor are short blocks; near-good ones only for the softening test.
    let passed_over = |j: usize, skip_near_good: bool| {
        let c = first[j];
        (is_heading[j] && c != Class::Bad)
            || c == Class::Short
            || (skip_near_good && c == Class::NearGood)
    };
    let class_of = |nearest: Vec<Option<usize>>| -> Vec<Option<Class>> {
        nearest.into_iter().map(|j| j.map_or(edge, |j| Some(first[j]))).collect()
    };
    let neighbours = |skip_near_good: bool| {
        let (prev, next) = nearest_unskipped(first.len(), |j| passed_over(j, skip_near_good));
        (class_of(prev), class_of(next))
    };
    let near = neighbours(true);
    let soft = neighbours(false);
    (0..first.len())
        .map(|i| {
            if is_heading[i] && first[i] != Class::Bad {
                return first[i]; // decided last, by what follows
            }
            let (prev, next) = (near.0[i], near.1[i]);
            match first[i] {
                Class::Short => match (prev, next) {
                    (Some(Class::Good), Some(Class::Good)) => Class::Good,
                    (Some(Class::Bad), Some(Class::Bad)) => Class::Bad,
                    // A neutral edge takes the other side's word; with none, the container
                    // (chosen as the page's best region) vouches for it.
                    (None, Some(c)) | (Some(c), None) => c,
                    (None, None) => Class::Good,
                    // Good on one side, bad on the other: jusText keeps it only when the bad
                    // side is softened by a near-good block in between.
                    _ => {
                        let prev_softened = soft.0[i] == Some(Class::NearGood);
                        let next_softened = soft.1[i] == Some(Class::NearGood);
                        if (prev == Some(Class::Bad) && prev_softened)
                            || (next == Some(Class::Bad) && next_softened)
                        {
                            Class::Good
                        } else {
                            Class::Bad
                        }
                    }
                },
                // Kept unless link lists close it in on both sides (a teaser's summary line).
                Class::NearGood if cfg.keep_near_good => {
                    if prev == Some(Class::Bad) && next == Some(Class::Bad) {
                        Class::Bad
                    } else {
                        Class::Good
                    }
                }
                Class::NearGood => {
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
            }
        })
        .collect()
}

/// For every index below `n`, the nearest index before it and after it that `passed_over`
/// does not skip, found in one scan each way.
fn nearest_unskipped(
    n: usize,
    passed_over: impl Fn(usize) -> bool,
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let (mut prev, mut next) = (vec![None; n], vec![None; n]);
    let mut seen = None;
    for (i, slot) in prev.iter_mut().enumerate() {
        *slot = seen;
        if !passed_over(i) {
            seen = Some(i);
        }
    }
    seen = None;
    for (i, slot) in next.iter_mut().enumerate().rev() {
        *slot = seen;
        if !passed_over(i) {
            seen = Some(i);
        }
    }
    (prev, next)
}

/// Teaser summaries: a short text between two linked headlines is a card in a list of
/// stories ("Headline" link, one-line summary, next "Headline" link), not the article.
fn drop_teaser_summaries(
    blocks: &[&Block],
    first: &[Class],
    is_heading: &[bool],
    cfg: &ModeRules,
    fin: &mut [Class],
) {
    let n = blocks.len();
    let linked_heading = |j: usize| is_heading[j] && first[j] == Class::Bad && blocks[j].link_chars > 0;
    // What sits inside a card besides its summary (dates, "Read more") is passed over.
    let in_card = |j: usize| !is_heading[j] && matches!(first[j], Class::Short | Class::Bad);
    let (prev, next) = nearest_unskipped(n, in_card);
    for i in 0..n {
        let (before, after) = (prev[i], next[i]);
        if fin[i] == Class::Good
            && !is_heading[i]
            && (blocks[i].chars as usize) < cfg.length_high
            && before.is_none_or(|j| is_heading[j])
            && after.is_none_or(linked_heading)
            && (before.is_some_and(linked_heading) || after.is_some_and(linked_heading))
        {
            fin[i] = Class::Bad;
        }
    }
}

/// Headings: kept when a kept block follows within `max_heading_distance` characters.
fn keep_headings_over_text(
    blocks: &[&Block],
    first: &[Class],
    is_heading: &[bool],
    cfg: &ModeRules,
    fin: &mut [Class],
) {
    // Walking back from the end: the characters between here and the next kept text block.
    let mut next_text: Option<usize> = None;
    let mut chars_before_it = 0usize;
    for i in (0..blocks.len()).rev() {
        if is_heading[i] && first[i] != Class::Bad {
            let keep = next_text.is_some() && chars_before_it <= cfg.max_heading_distance;
            fin[i] = if keep { Class::Good } else { Class::Bad };
        }
        if fin[i] == Class::Good && !is_heading[i] {
            next_text = Some(i);
            chars_before_it = 0;
        } else {
            chars_before_it += blocks[i].chars as usize;
        }
    }
}

/// jusText's first pass over every block of a page, for the learned model's features.
pub struct FirstPass {
    /// Per block: its class on its own, before the neighbours.
    pub classes: Vec<Class>,
    /// Per block: a clutter line (see [`ClutterText::is_clutter`]), kept because the
    /// features need it too and it is the costly part of classifying.
    pub clutter: Vec<bool>,
}

pub fn first_pass(blocks: &[Block], clutter: &ClutterText, cfg: &ModeRules) -> FirstPass {
    let is_clutter: Vec<bool> = blocks.iter().map(|b| clutter.is_clutter(b)).collect();
    FirstPass {
        classes: blocks
            .iter()
            .zip(&is_clutter)
            .map(|(b, &c)| classify_known(b, c, clutter, cfg))
            .collect(),
        clutter: is_clutter,
    }
}

fn classify(b: &Block, clutter: &ClutterText, cfg: &ModeRules) -> Class {
    classify_known(b, clutter.is_clutter(b), clutter, cfg)
}

/// [`classify`], told whether the block is a clutter line.
fn classify_known(b: &Block, is_clutter: bool, clutter: &ClutterText, cfg: &ModeRules) -> Class {
    let chars = b.chars as usize;
    if is_clutter {
        return Class::Bad;
    }
    // A figure caption that credits its photo describes a picture the text does not show.
    if b.kind == BlockKind::Caption && clutter.photo_credit.is_match(&b.text) {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rules::Rules;

    pub(crate) fn block(text: &str, link_chars: u32, kind: BlockKind) -> Block {
        Block::new(kind, 0, text.to_string(), link_chars, false, String::new())
    }

    fn keep(blocks: &[Block]) -> Vec<bool> {
        let cfg = Rules::default();
        let clutter = ClutterText::new(&cfg.clean).unwrap();
        let refs: Vec<&Block> = blocks.iter().collect();
        keep_blocks(&refs, &clutter, &cfg.select.balanced, Deadline::NONE)
    }

    #[test]
    fn a_carousel_listed_twice_keeps_its_first_pass_and_near_repeats_stay() {
        let p = BlockKind::Paragraph;
        let quotes = [
            "The staff are always kind and they never rush us out of the door.",
            "Booking online took a minute and the wait was short every time.",
            "Our children actually look forward to their check-ups here now.",
        ];
        // A slider lists quote, name, quote, name ... and then the whole run again.
        let mut slides = Vec::new();
        for _ in 0..2 {
            for (n, q) in quotes.iter().enumerate() {
                slides.push(block(q, 0, p));
                slides.push(block(&format!("Parent {n}"), 0, p));
            }
        }
        let refs: Vec<&Block> = slides.iter().collect();
        let kept: Vec<&str> = drop_repeats(refs, 6, 40)
            .iter()
            .map(|b| b.text.as_str())
            .collect();
        // The second pass of quotes goes; the names, short, stay wherever they repeat.
        assert_eq!(
            kept.iter().filter(|t| **t == quotes[0]).count(),
            1,
            "{kept:?}"
        );
        assert_eq!(kept.len(), 9, "{kept:?}");
        // A paragraph repeated under each of a few headings is the author's: it stays.
        let h = BlockKind::Heading(2);
        let text = [
            block(LONG, 0, p),
            block("Part one", 0, h),
            block(LONG, 0, p),
            block("Part two", 0, h),
            block(LONG, 0, p),
        ];
        let refs: Vec<&Block> = text.iter().collect();
        assert_eq!(drop_repeats(refs, 6, 40).len(), 5);
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
    fn datelines_go_but_sentences_with_dates_stay() {
        let p = BlockKind::Paragraph;
        let b = [
            block("Kassel, 23.09.2023 – von Markus Engel", 0, p),
            block(LONG, 0, p),
            block("The council will vote on 5 May 2024.", 0, p),
            block(LONG, 0, p),
        ];
        assert_eq!(keep(&b), [false, true, true, true]);
    }

    #[test]
    fn comment_form_notices_go_but_a_sentence_about_comments_stays() {
        let p = BlockKind::Paragraph;
        let b = [
            block(LONG, 0, p),
            block(
                "Diese Website verwendet Akismet, um Spam zu reduzieren.",
                0,
                p,
            ),
            block(
                "Kommentarfeed | Kommentare geschlossen | Trackback-URL",
                0,
                p,
            ),
            block("You must be logged in to post a comment.", 0, p),
            block(
                "Comments were closed after the thread turned abusive, the editor said.",
                0,
                p,
            ),
            block(LONG, 0, p),
        ];
        assert_eq!(keep(&b), [true, false, false, false, true, true]);
    }

    #[test]
    fn page_furniture_lines_go() {
        let p = BlockKind::Paragraph;
        let b = [
            block(LONG, 0, p),
            block(
                "Warning: Creating default object from empty value in /www/htdocs/wp-includes/classes.php on line 128",
                0,
                p,
            ),
            block(
                "Aufrufe: 1120 | Hinzugefügt von: Posh | Rating: 0.0/0",
                0,
                p,
            ),
            block("Rezept drucken Bei Pinterest speichern", 0, p),
            block("- Permalien https://p.dw.com/p/RPYx", 0, p),
            block("Dieses Skript als PDF herunterladen", 0, p),
            block(LONG, 0, p),
        ];
        assert_eq!(keep(&b), [true, false, false, false, false, false, true]);
    }

    #[test]
    fn prompts_around_the_story_go() {
        let p = BlockKind::Paragraph;
        let b = [
            block(LONG, 0, p),
            block("Möchten Sie den Artikel teilen?", 0, p),
            block(
                "Para comentar debes registrarte y completar los datos generales.",
                0,
                p,
            ),
            block(
                "Beringer Zinfandel Rosé wurde erfolgreich hinzugefügt.",
                0,
                p,
            ),
            block("Showing 1–24 of 180 results", 0, p),
            block(
                "Beitrag gibt die Meinung des Autors wieder, nicht notwendigerweise die der Redaktion.",
                0,
                p,
            ),
            block("Receive our monthly newsletter", 0, p),
            block(LONG, 0, p),
        ];
        assert_eq!(
            keep(&b),
            [true, false, false, false, false, false, false, true]
        );
    }

    #[test]
    fn consent_box_openings_go() {
        let p = BlockKind::Paragraph;
        let b = [
            block(LONG, 0, p),
            block("Was sind Cookies?", 0, p),
            block(
                "Durch die weitere Nutzung der Seite stimmen Sie der Verwendung von Cookies zu.",
                0,
                p,
            ),
            block("Externer Inhalt", 0, p),
            block(
                "By continuing to use this website, you agree to our use of cookies.",
                0,
                p,
            ),
            block(LONG, 0, p),
        ];
        assert_eq!(keep(&b), [true, false, false, false, false, true]);
    }

    #[test]
    fn inline_link_paragraph_is_kept() {
        let text = "The agency said more. (RELATED: Officials Confirm The Report) The sources spoke on condition of anonymity because the matter is sensitive.";
        let b = [block(text, 35, BlockKind::Paragraph)];
        assert_eq!(keep(&b), [true]);
    }

    #[test]
    fn escaped_markup_goes_and_a_repeated_caption_comes_once() {
        let block = |kind, text: &str| Block::new(kind, 0, text.into(), 0, false, text.into());
        let blocks = [
            block(BlockKind::Paragraph, r#"<img height="1" width="1" style="display:none" src="x">"#),
            block(BlockKind::Paragraph, "<iframe src='a'></iframe>"),
            block(BlockKind::ListItem { depth: 0, ordinal: None, marker: true }, "<pathspec>..."),
            block(BlockKind::Paragraph, "Use <div class=\"x\"> for the box."),
            block(BlockKind::Pre, r#"<div class="a"></div>"#),
            block(BlockKind::Caption, "The harbour at dawn."),
            block(BlockKind::Paragraph, "The story."),
            block(BlockKind::Caption, "The harbour at dawn."),
        ];
        let kept = drop_markup_and_caption_repeats(blocks.iter().collect());
        let texts: Vec<&str> = kept.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "<pathspec>...",
                "Use <div class=\"x\"> for the box.",
                r#"<div class="a"></div>"#,
                "The harbour at dawn.",
                "The story."
            ]
        );
    }

    #[test]
    fn captions_with_a_photo_credit_go_and_plain_captions_stay() {
        let b = [
            block(LONG, 0, BlockKind::Paragraph),
            block(
                "The new bridge at dusk. Foto: Stadt Kassel",
                0,
                BlockKind::Caption,
            ),
            block(LONG, 0, BlockKind::Paragraph),
            block(
                "The old bridge, built in 1901, seen from the river bank.",
                0,
                BlockKind::Caption,
            ),
            block(LONG, 0, BlockKind::Paragraph),
        ];
        assert_eq!(keep(&b), [true, false, true, true, true]);
    }

    #[test]
    fn a_caption_outside_figcaption_goes_by_its_credit_but_a_story_sentence_stays() {
        let p = BlockKind::Paragraph;
        let b = [
            block(LONG, 0, p),
            block(
                "Das Hermelin ist im Winter gut getarnt. (mlharing / iStock.com)",
                0,
                p,
            ),
            block(LONG, 0, p),
            block("Kuva: ALEXANDER BECHER", 0, p),
            block(LONG, 0, p),
            block(
                "Photograph by Ed Marshall, Redonda Restoration Programme",
                0,
                p,
            ),
            block(LONG, 0, p),
            block(
                "Sergio Massa, el presidente de la Cámara © Ignacio Sánchez",
                0,
                p,
            ),
            block(LONG, 0, p),
            // A sentence that names an agency or a photo but ends as a sentence is text.
            block("The photo by the river was sent to Reuters.", 0, p),
            block(LONG, 0, p),
            block("Der Fotograf sagte der dpa, das Bild sei echt.", 0, p),
            block(LONG, 0, p),
        ];
        assert_eq!(
            keep(&b),
            [
                true, false, true, false, true, false, true, false, true, true, true, true, true
            ]
        );
    }

    #[test]
    fn a_news_agency_is_a_credit_after_a_slash_or_bar_but_not_inside_a_line() {
        let p = BlockKind::Paragraph;
        let b = [
            block(LONG, 0, p),
            block("Foto: Hans Meier / dpa", 0, p),
            block(LONG, 0, p),
            block("Jesco Denzel | Reuters", 0, p),
            block(LONG, 0, p),
            block("AFP", 0, p),
            block(LONG, 0, p),
            // The agency inside a line, as a company or a term, is not a credit.
            block("Industry-leading tax software from Thomson Reuters", 0, p),
            block(LONG, 0, p),
        ];
        assert_eq!(
            keep(&b),
            [true, false, true, false, true, false, true, true, true]
        );
    }
}
