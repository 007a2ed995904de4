//! Features: what the learned block decision sees of each block of a page.
//!
//! One row of numbers per block, in the order of [`NAMES`]: the block's own shape (length,
//! links, sentences, kind), its place in the markup (ancestors, look-alike siblings, the
//! chosen container), the verdicts of the hand-written rules (as evidence, not final words),
//! the page as a whole (its type, size, link density), and the same few things of its
//! neighbours. Everything is computed in a handful of linear passes over the flat document
//! and the blocks, into one buffer reused for the whole page.
//!
//! The names are the contract with the model file: a model lists the names it was trained
//! on, and [`super::trees::Model`] refuses a file whose names differ.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::FixedState;

use crate::clean::Cleaned;
use crate::metadata::PageType;
use crate::parse::dom::{Dom, NO_PARENT, Tag, flags};
use crate::score::{Block, BlockKind};

use super::stopwords;
use super::{Class, ClutterText};

/// The features, in row order. Each line says what the number is.
pub const NAMES: &[&str] = &[
    // The block itself.
    "log_chars",           // ln(1 + non-space characters)
    "words",               // words
    "link_density",        // share of characters inside links
    "sentence_ends",       // ". ", "! ", "? ", "; ", "。" and a final stop
    "sentences_per_word",  // sentence ends per word: prose has one every 15 to 25
    "mean_word_chars",     // characters per word
    "is_paragraph",        // kind: a paragraph (or loose text)
    "heading_level",       // kind: a heading, 1 to 6; 0 for anything else
    "is_list_item",        // kind: a list item
    "list_depth",          // nesting of the list
    "is_pre",              // kind: preformatted code
    "is_table_row",        // kind: a data table row
    "is_caption",          // kind: a figure or table caption
    "in_quote",            // inside a <blockquote>
    "ends_like_sentence",  // ends in . ! ? or a closing quote after one
    "starts_upper",        // starts with an upper-case letter
    "digit_share",         // share of digits among the characters
    "upper_share",         // share of upper-case letters among the letters
    "symbol_share",        // share of characters neither letters, digits nor spaces
    "clutter_line",        // the rules' clutter lines ("Share this", a dateline, a stamp)
    "photo_credit",        // a photo credit ("Foto: dpa", "Getty Images")
    "stop_word_density",   // share of stop words of the page's language; -1 without a list
    "repeats",             // other blocks of the page with the same text
    "first_of_repeats",    // 1 for the first of blocks with the same text
    "looks_like_markup",   // text that is escaped markup ("<img src=…>")
    // Where it stands.
    "block_position",      // index among the page's blocks, 0 to 1
    "chars_before_share",  // share of the page's characters before it
    // What the rules said.
    "in_container",        // inside the container the score chose
    "kept_by_rules",       // kept by the hand-written selection
    "class_good",          // jusText's first pass (balanced thresholds): good
    "class_near_good",     // ... near-good
    "class_short",         // ... short
    "class_bad",           // ... bad
    "page_is_listing",     // the rules took the page for a listing
    "container_share",     // share of the page's characters in the container
    "depth_in_container",  // levels below the container; -1 outside it
    "in_declared_main",    // inside <main>, role=main or articleBody
    "page_has_main",       // the page declares a main region
    // Its place in the markup.
    "depth",               // levels below the document root
    "under_article",       // an <article> above it
    "under_main",          // a <main> above it
    "under_section",       // a <section> above it
    "under_header",        // a <header> above it (kept: inside an article)
    "under_list",          // an <li> above it
    "under_table",         // a <table> above it
    "under_figure",        // a <figure> above it
    "under_aside",         // an <aside> above it (kept only when it held the content)
    "under_footer",        // a <footer> above it (ditto)
    "under_form",          // a <form> above it (ditto)
    "under_dl",            // a definition list above it
    "under_content_mark",  // role=main or itemprop=articleBody above it
    "positive_hints",      // ancestors with content-like class names ("article", "post")
    "negative_hints",      // ancestors with clutter-like class names ("sidebar", "widget")
    "card_group_size",     // look-alike siblings of its nearest repeated ancestor (cards)
    "card_group_levels",   // levels up to that ancestor; -1 when there is none
    "own_look_alikes",     // look-alike siblings of its own element
    "link_count",          // links in the block's element
    // The page.
    "page_article",        // page-type guess: article
    "page_listing",        // ... listing
    "page_forum",          // ... forum
    "page_product",        // ... product
    "page_documentation",  // ... documentation
    "page_other",          // ... other
    "log_page_blocks",     // ln(1 + blocks on the page)
    "log_page_chars",      // ln(1 + characters on the page)
    "page_link_density",   // share of the page's characters inside links
    "rules_kept_share",    // share of the page's characters the rules kept
    "chars_share",         // share of the page's characters in this block
    // Its neighbours (the blocks before and after; edges count as empty).
    "prev_log_chars",
    "prev_link_density",
    "prev_kept_by_rules",
    "prev_heading_level",
    "prev_class_bad",
    "prev_clutter_line",
    "next_log_chars",
    "next_link_density",
    "next_kept_by_rules",
    "next_heading_level",
    "next_class_bad",
    "next_clutter_line",
    "window_link_density", // mean link density of the 3 blocks on each side
    "window_kept",         // share of them the rules kept
    "window_log_chars",    // mean ln(1 + characters) of them
    // Its region: wider means, and where the rules' kept blocks lie (a teaser stream after
    // the story is a run of linked blocks past the last block the rules kept).
    "wide_link_density",      // mean link density of the 12 blocks on each side
    "wide_kept",              // share of them the rules kept
    "wide_stop_word_density", // mean stop-word density of them
    "wide_log_chars",         // mean ln(1 + characters) of them
    "log_blocks_since_kept",  // ln(1 + blocks back to the nearest rules-kept one; 10^6: none)
    "log_blocks_to_kept",     // ln(1 + blocks on to the nearest rules-kept one; 10^6: none)
    "after_last_kept",        // 1 past the last block the rules kept
    "before_first_kept",      // 1 before the first block the rules kept
];

/// Column of each named feature (checked against [`NAMES`] by a test).
mod col {
    pub const LOG_CHARS: usize = 0;
    pub const LINK_DENSITY: usize = 2;
    pub const HEADING_LEVEL: usize = 7;
    pub const CLUTTER_LINE: usize = 19;
    pub const STOP_WORD_DENSITY: usize = 21;
    pub const KEPT_BY_RULES: usize = 28;
    pub const CLASS_BAD: usize = 32;
    pub const PREV: usize = 68;
    pub const NEXT: usize = 74;
    pub const WINDOW: usize = 80;
    pub const WIDE: usize = 83;
    pub const KEPT_DISTANCE: usize = 87;
}

/// The blocks the neighbour features copy, in the order of the `prev_`/`next_` names.
const NEIGHBOUR_COPIES: [usize; 6] = [
    col::LOG_CHARS,
    col::LINK_DENSITY,
    col::KEPT_BY_RULES,
    col::HEADING_LEVEL,
    col::CLASS_BAD,
    col::CLUTTER_LINE,
];

/// Blocks on each side that the window features average over.
const WINDOW: usize = 3;

/// Blocks on each side that the wide (region) features average over: about a sidebar's or
/// a teaser section's worth.
const WIDE: usize = 12;

/// The distance that stands for "no kept block that way".
const NO_KEPT_BLOCK: f64 = 1e6;

/// What the rules decided on the page, for the features that report it.
pub struct RuleVerdicts<'a> {
    /// The container the score chose, if any.
    pub container: Option<usize>,
    /// Per block: kept by the hand-written selection.
    pub kept: &'a [bool],
    /// Per block: jusText's first-pass class.
    pub classes: &'a [Class],
    /// Per block: a clutter line.
    pub clutter: &'a [bool],
    /// The rules took the page for a listing.
    pub listing: bool,
}

/// Everything the features are computed from.
pub struct Page<'a> {
    pub dom: &'a Dom,
    pub cleaned: &'a Cleaned,
    pub blocks: &'a [Block],
    pub rules: RuleVerdicts<'a>,
    pub page_type: PageType,
    pub clutter: &'a ClutterText,
    pub stop_words: Option<&'a stopwords::WordSet>,
}

/// Fills `rows` with one row of [`NAMES`]`.len()` numbers per block.
pub fn compute(page: &Page, rows: &mut Vec<f32>) {
    let n = page.blocks.len();
    let width = NAMES.len();
    rows.clear();
    rows.resize(n * width, 0.0);
    if n == 0 {
        return;
    }
    let markup = Markup::new(page.dom, page.cleaned);
    let totals = Totals::new(page);
    let repeats = repeat_counts(page.blocks);
    let mut lower = String::new();
    let mut chars_before = 0u64;
    for (i, b) in page.blocks.iter().enumerate() {
        let row = &mut rows[i * width..(i + 1) * width];
        let mut at = 0;
        let mut put = |v: f32| {
            row[at] = v;
            at += 1;
        };
        own_features(i, b, page, &repeats[i], &mut lower, &mut put);
        put(i as f32 / n as f32);
        put(chars_before as f32 / totals.chars.max(1) as f32);
        rule_features(i, b, page, &markup, &totals, &mut put);
        markup.features(b.node as usize, page.dom, &mut put);
        page_features(b, page, &totals, &mut put);
        debug_assert_eq!(at, col::PREV, "the rows follow NAMES");
        chars_before += b.chars as u64;
    }
    neighbour_features(rows, n, width);
}

/// How often each block's text comes on the page, and whether this is its first time.
struct Repeat {
    others: u32,
    first: bool,
}

/// Counted by the text itself in a foldhash map (this runs on every block of every page):
/// SipHash over each text, twice, cost more than the rest of the count.
fn repeat_counts(blocks: &[Block]) -> Vec<Repeat> {
    let mut count: HashMap<&str, u32, FixedState> =
        HashMap::with_capacity_and_hasher(blocks.len(), FixedState::default());
    for b in blocks {
        *count.entry(b.text.as_str()).or_default() += 1;
    }
    let mut seen: HashSet<&str, FixedState> =
        HashSet::with_capacity_and_hasher(blocks.len(), FixedState::default());
    blocks
        .iter()
        .map(|b| Repeat {
            others: count.get(b.text.as_str()).map_or(0, |c| c - 1),
            first: seen.insert(b.text.as_str()),
        })
        .collect()
}

fn own_features(
    i: usize,
    b: &Block,
    page: &Page,
    repeat: &Repeat,
    lower: &mut String,
    put: &mut impl FnMut(f32),
) {
    let words = b.words.max(1) as f32;
    put((1.0 + b.chars as f32).ln());
    put(b.words as f32);
    put(b.link_density() as f32);
    put(b.sentence_ends as f32);
    put(b.sentence_ends as f32 / words);
    put(b.chars as f32 / words);
    put(flag(b.kind == BlockKind::Paragraph));
    put(match b.kind {
        BlockKind::Heading(level) => level as f32,
        _ => 0.0,
    });
    let (is_item, depth) = match b.kind {
        BlockKind::ListItem { depth, .. } => (true, depth),
        _ => (false, 0),
    };
    put(flag(is_item));
    put(depth as f32);
    put(flag(b.kind == BlockKind::Pre));
    put(flag(matches!(b.kind, BlockKind::Row { .. })));
    put(flag(b.kind == BlockKind::Caption));
    put(flag(b.in_quote));
    let text = b.text.trim_end_matches(['"', '\'', '”', '’', '»', ')']);
    put(flag(text.ends_with(['.', '!', '?', '。', '！', '？'])));
    put(flag(b.text.chars().next().is_some_and(char::is_uppercase)));
    let shares = char_shares(&b.text);
    put(shares.digits);
    put(shares.upper);
    put(shares.symbols);
    put(flag(page.rules.clutter[i]));
    put(flag(page.clutter.is_photo_credit(&b.text)));
    put(match page.stop_words {
        Some(list) => stopwords::density_with(list, &b.text, lower).0 as f32,
        None => -1.0,
    });
    put(repeat.others as f32);
    put(flag(repeat.first));
    put(flag(looks_like_markup(&b.text)));
}

/// Shares of digits, upper-case letters (among letters) and symbols in a text.
struct Shares {
    digits: f32,
    upper: f32,
    symbols: f32,
}

fn char_shares(text: &str) -> Shares {
    let (mut all, mut digits, mut letters, mut upper, mut symbols) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        if c.is_numeric() {
            digits += 1;
        } else if c.is_alphabetic() {
            letters += 1;
            upper += u32::from(c.is_uppercase());
        } else {
            symbols += 1;
        }
    }
    let share = |part: u32, whole: u32| part as f32 / whole.max(1) as f32;
    Shares {
        digits: share(digits, all),
        upper: share(upper, letters),
        symbols: share(symbols, all),
    }
}

/// Escaped markup printed as text: a tag's opening ("<img ", "<div class=") and a closing ">"
/// after it.
fn looks_like_markup(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let name_len = after
            .bytes()
            .take_while(|c| c.is_ascii_alphabetic() || *c == b'/')
            .count();
        if name_len >= 1 && after[name_len..].starts_with([' ', '>', '/']) && after.contains('>') {
            return true;
        }
        rest = after;
    }
    false
}

fn flag(on: bool) -> f32 {
    if on { 1.0 } else { 0.0 }
}

/// Page-wide sums.
struct Totals {
    chars: u64,
    link_chars: u64,
    kept_chars: u64,
    container_chars: u64,
    has_main: bool,
}

impl Totals {
    fn new(page: &Page) -> Totals {
        let in_container = |b: &Block| page.rules.container.is_some_and(|c| inside(page.dom, b, c));
        let mut t = Totals {
            chars: 0,
            link_chars: 0,
            kept_chars: 0,
            container_chars: 0,
            has_main: page
                .dom
                .nodes
                .iter()
                .any(|n| n.tag == Tag::Main || n.flags & flags::CONTENT_MARK != 0),
        };
        for (b, &kept) in page.blocks.iter().zip(page.rules.kept) {
            t.chars += b.chars as u64;
            t.link_chars += b.link_chars as u64;
            t.kept_chars += if kept { b.chars as u64 } else { 0 };
            t.container_chars += if in_container(b) { b.chars as u64 } else { 0 };
        }
        t
    }
}

/// Whether block `b` stands inside element `c`.
fn inside(dom: &Dom, b: &Block, c: usize) -> bool {
    (c..dom.nodes[c].end as usize).contains(&(b.node as usize))
}

fn rule_features(
    i: usize,
    b: &Block,
    page: &Page,
    markup: &Markup,
    totals: &Totals,
    put: &mut impl FnMut(f32),
) {
    let dom = page.dom;
    let container = page.rules.container;
    let in_container = container.is_some_and(|c| inside(dom, b, c));
    put(flag(in_container));
    put(flag(page.rules.kept[i]));
    let class = page.rules.classes[i];
    put(flag(class == Class::Good));
    put(flag(class == Class::NearGood));
    put(flag(class == Class::Short));
    put(flag(class == Class::Bad));
    put(flag(page.rules.listing));
    put(totals.container_chars as f32 / totals.chars.max(1) as f32);
    put(match container {
        Some(c) if in_container => {
            markup.depth[b.node as usize] as f32 - markup.depth[c] as f32
        }
        _ => -1.0,
    });
    put(flag(dom.declared_main(b.node as usize).is_some()));
    put(flag(totals.has_main));
}

fn page_features(b: &Block, page: &Page, totals: &Totals, put: &mut impl FnMut(f32)) {
    for t in [
        PageType::Article,
        PageType::Listing,
        PageType::Forum,
        PageType::Product,
        PageType::Documentation,
        PageType::Other,
    ] {
        put(flag(page.page_type == t));
    }
    let chars = totals.chars.max(1) as f32;
    put((1.0 + page.blocks.len() as f32).ln());
    put((1.0 + totals.chars as f32).ln());
    put(totals.link_chars as f32 / chars);
    put(totals.kept_chars as f32 / chars);
    put(b.chars as f32 / chars);
}

/// The previous and next blocks' key features, and means over windows on each side.
fn neighbour_features(rows: &mut [f32], n: usize, width: usize) {
    for i in 0..n {
        for (k, &c) in NEIGHBOUR_COPIES.iter().enumerate() {
            let prev = if i > 0 { rows[(i - 1) * width + c] } else { 0.0 };
            let next = if i + 1 < n { rows[(i + 1) * width + c] } else { 0.0 };
            rows[i * width + col::PREV + k] = prev;
            rows[i * width + col::NEXT + k] = next;
        }
    }
    let narrow = [col::LINK_DENSITY, col::KEPT_BY_RULES, col::LOG_CHARS];
    for (k, &c) in narrow.iter().enumerate() {
        window_means(rows, n, width, c, WINDOW, col::WINDOW + k);
    }
    let wide = [
        col::LINK_DENSITY,
        col::KEPT_BY_RULES,
        col::STOP_WORD_DENSITY,
        col::LOG_CHARS,
    ];
    for (k, &c) in wide.iter().enumerate() {
        window_means(rows, n, width, c, WIDE, col::WIDE + k);
    }
    kept_distances(rows, n, width);
}

/// Into column `to`: the mean of column `from` over the `reach` blocks on each side (the
/// block itself left out). From running sums: linear whatever the reach.
fn window_means(rows: &mut [f32], n: usize, width: usize, from: usize, reach: usize, to: usize) {
    let mut prefix = vec![0f64; n + 1];
    for i in 0..n {
        prefix[i + 1] = prefix[i] + rows[i * width + from] as f64;
    }
    for i in 0..n {
        let (lo, hi) = (i.saturating_sub(reach), (i + reach + 1).min(n));
        let others = (hi - lo - 1).max(1) as f64;
        let sum = prefix[hi] - prefix[lo] - rows[i * width + from] as f64;
        rows[i * width + to] = (sum / others) as f32;
    }
}

/// How far each block is from the blocks the rules kept, back and on, and whether it lies
/// past the last or before the first of them. One sweep each way.
fn kept_distances(rows: &mut [f32], n: usize, width: usize) {
    let kept = |rows: &[f32], i: usize| rows[i * width + col::KEPT_BY_RULES] > 0.5;
    let log_distance = |d: Option<usize>| d.map_or(NO_KEPT_BLOCK, |d| d as f64).ln_1p() as f32;
    let mut last = None;
    for i in 0..n {
        if kept(rows, i) {
            last = Some(i);
        }
        rows[i * width + col::KEPT_DISTANCE] = log_distance(last.map(|l| i - l));
    }
    let mut first = None;
    for i in (0..n).rev() {
        if kept(rows, i) {
            first = Some(i);
        }
        rows[i * width + col::KEPT_DISTANCE + 1] = log_distance(first.map(|f| f - i));
    }
    for i in 0..n {
        let past_last = last.is_some_and(|l| i > l);
        let before_first = first.is_some_and(|f| i < f);
        rows[i * width + col::KEPT_DISTANCE + 2] = f32::from(u8::from(past_last));
        rows[i * width + col::KEPT_DISTANCE + 3] = f32::from(u8::from(before_first));
    }
}

/// Per element of the document: depth, which ancestors it has, class hints above it, and how
/// many look-alike siblings it and its ancestors have. One forward pass (parents come first).
struct Markup {
    depth: Vec<u16>,
    ancestors: Vec<u16>,
    positive: Vec<u8>,
    negative: Vec<u8>,
    look_alikes: Vec<u32>,
    /// The nearest ancestor-or-self with at least two look-alikes: its count and distance.
    group: Vec<(u32, i16)>,
    links: Vec<u32>,
}

/// Bits of `Markup::ancestors`, in the order of the `under_*` features.
const UNDER: [Tag; 10] = [
    Tag::Article,
    Tag::Main,
    Tag::Section,
    Tag::Header,
    Tag::Li,
    Tag::Table,
    Tag::Figure,
    Tag::Aside,
    Tag::Footer,
    Tag::Form,
];
const UNDER_DL: u16 = 1 << 10;
const UNDER_CONTENT_MARK: u16 = 1 << 11;

/// A group of look-alike siblings this big is a list of cards.
const CARD_GROUP_MIN: u32 = 2;

impl Markup {
    fn new(dom: &Dom, cleaned: &Cleaned) -> Markup {
        let n = dom.nodes.len();
        let mut m = Markup {
            depth: vec![0; n],
            ancestors: vec![0; n],
            positive: vec![0; n],
            negative: vec![0; n],
            look_alikes: sibling_look_alikes(dom),
            group: vec![(0, -1); n],
            links: vec![0; n],
        };
        for i in 0..n {
            let p = dom.nodes[i].parent;
            if p == NO_PARENT {
                m.group[i] = m.own_group(i, None);
                continue;
            }
            let p = p as usize;
            let parent = &dom.nodes[p];
            m.depth[i] = m.depth[p].saturating_add(1);
            let mut bits = m.ancestors[p];
            if let Some(k) = UNDER.iter().position(|t| *t == parent.tag) {
                bits |= 1 << k;
            }
            if matches!(parent.tag, Tag::Dl | Tag::Dt | Tag::Dd) {
                bits |= UNDER_DL;
            }
            if parent.flags & flags::CONTENT_MARK != 0 {
                bits |= UNDER_CONTENT_MARK;
            }
            m.ancestors[i] = bits;
            m.positive[i] = m.positive[p].saturating_add(u8::from(cleaned.hint[p] > 0));
            m.negative[i] = m.negative[p].saturating_add(u8::from(cleaned.hint[p] < 0));
            m.group[i] = m.own_group(i, Some(p));
        }
        for i in (0..n).rev() {
            if dom.nodes[i].tag == Tag::A && !dom.href(i).is_empty() {
                m.links[i] += 1;
            }
            let p = dom.nodes[i].parent;
            if p != NO_PARENT {
                m.links[p as usize] += m.links[i];
            }
        }
        m
    }

    /// `i`'s own group when it has look-alikes, else its parent's, one level further up.
    fn own_group(&self, i: usize, parent: Option<usize>) -> (u32, i16) {
        if self.look_alikes[i] >= CARD_GROUP_MIN {
            return (self.look_alikes[i], 0);
        }
        match parent.map(|p| self.group[p]) {
            Some((size, levels)) if levels >= 0 => (size, levels.saturating_add(1)),
            _ => (0, -1),
        }
    }

    fn features(&self, node: usize, dom: &Dom, put: &mut impl FnMut(f32)) {
        put(self.depth[node] as f32);
        // The block's own element counts as its ancestor: a block owned by an <li> is in a list.
        let mut bits = self.ancestors[node];
        if let Some(k) = UNDER.iter().position(|t| *t == dom.nodes[node].tag) {
            bits |= 1 << k;
        }
        for k in 0..UNDER.len() {
            put(flag(bits & (1 << k) != 0));
        }
        put(flag(bits & UNDER_DL != 0 || matches!(dom.nodes[node].tag, Tag::Dt | Tag::Dd)));
        put(flag(bits & UNDER_CONTENT_MARK != 0));
        put(self.positive[node] as f32);
        put(self.negative[node] as f32);
        let (size, levels) = self.group[node];
        put(size as f32);
        put(levels as f32);
        put(self.look_alikes[node] as f32);
        put(self.links[node] as f32);
    }
}

/// For every element, how many of its siblings (itself included) share its tag and class
/// words (digits dropped: "post-1" and "post-2" look alike). Text nodes get 0. The signatures
/// are foldhash (SipHash over every element of the page cost more than the rest of the model's
/// markup pass).
fn sibling_look_alikes(dom: &Dom) -> Vec<u32> {
    let n = dom.nodes.len();
    let signature = |i: usize| {
        let node = &dom.nodes[i];
        let mut h = FixedState::default().build_hasher();
        node.parent.hash(&mut h);
        std::mem::discriminant(&node.tag).hash(&mut h);
        if let Tag::H(level) = node.tag {
            level.hash(&mut h);
        }
        for word in dom.hints(i).split_whitespace() {
            if !word.bytes().any(|c| c.is_ascii_digit()) {
                word.hash(&mut h);
            }
        }
        h.finish()
    };
    let signatures: Vec<Option<u64>> = (0..n)
        .map(|i| (dom.nodes[i].tag != Tag::Text && dom.nodes[i].parent != NO_PARENT).then(|| signature(i)))
        .collect();
    // foldhash and room for every node: the map is only counted into and looked up.
    let mut count: HashMap<u64, u32, FixedState> =
        HashMap::with_capacity_and_hasher(n, FixedState::default());
    for s in signatures.iter().flatten() {
        *count.entry(*s).or_default() += 1;
    }
    signatures
        .iter()
        .map(|s| s.map_or(0, |s| count[&s]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_name_their_features() {
        assert_eq!(NAMES[col::LOG_CHARS], "log_chars");
        assert_eq!(NAMES[col::LINK_DENSITY], "link_density");
        assert_eq!(NAMES[col::HEADING_LEVEL], "heading_level");
        assert_eq!(NAMES[col::CLUTTER_LINE], "clutter_line");
        assert_eq!(NAMES[col::KEPT_BY_RULES], "kept_by_rules");
        assert_eq!(NAMES[col::CLASS_BAD], "class_bad");
        assert_eq!(NAMES[col::PREV], "prev_log_chars");
        assert_eq!(NAMES[col::NEXT], "next_log_chars");
        assert_eq!(NAMES[col::WINDOW], "window_link_density");
        assert_eq!(NAMES[col::STOP_WORD_DENSITY], "stop_word_density");
        assert_eq!(NAMES[col::WIDE], "wide_link_density");
        assert_eq!(NAMES[col::KEPT_DISTANCE], "log_blocks_since_kept");
        assert_eq!(NAMES.len(), col::KEPT_DISTANCE + 4);
    }

    #[test]
    fn escaped_markup_is_told_from_comparisons() {
        assert!(looks_like_markup(
            r#"<img height="1" width="1" style="display:none" src="x">"#
        ));
        assert!(looks_like_markup("text <div class=a>more</div>"));
        assert!(!looks_like_markup("if a < b and b > c then"));
        assert!(!looks_like_markup("3 <4 and 5> 2"));
    }
}
