//! Clean: mark the subtrees that are never main content, in three linear passes.
//!
//! 1. Never content: scripts, styles, head, media and form controls.
//! 2. Visible text per subtree (reverse pass), to know how much of the page a subtree holds.
//! 3. Clutter the page's own markup gives away: hidden elements, `<nav>`, `<aside>`, `<footer>`, a `<header>`
//!    outside the article, landmark roles, and class/id patterns from `config.toml` (cookie
//!    banners, related lists, share bars…). A match is spared when it holds most of the page's
//!    text or the page's own content marker (`<main>`, `itemprop=articleBody`): a pattern must
//!    never delete the article it sits around.

mod forum;
pub mod patterns;

use crate::rules::CleanRules;
use crate::deadline::Deadline;
use crate::parse::dom::{Dom, NO_PARENT, Tag, flags};
pub use patterns::{Clutter, Patterns};

pub struct Cleaned {
    /// `removed[i]`: node `i` and its subtree are not content (set on subtree roots).
    pub removed: Vec<bool>,
    /// Visible text bytes in each node's subtree, before pass 3 (shown by explain).
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub text_bytes: Vec<u32>,
    /// Readability-style hint per element: +1 positive class/id, -1 negative, 0 neither.
    pub hint: Vec<i8>,
    /// Elements that pass 3 took for clutter and left, because they held the page's content
    /// marker or most of its text ([`SPARED_CLUTTER`]), or comment sections left to a forum or
    /// to a page with little text outside them ([`SPARED_COMMENTS`]); 0 for the others.
    #[allow(dead_code)] // not yet a model feature: adding it did not help out of fold
    pub spared: Vec<u8>,
}

/// Cleans a parsed page. `url` (the page's address, when known) helps tell a forum thread,
/// whose comments are its content, from an article. Stops early (leaving the rest unmarked)
/// once `deadline` has passed; the caller checks it.
/// See [`Cleaned::spared`].
pub const SPARED_CLUTTER: u8 = 1;
pub const SPARED_COMMENTS: u8 = 2;

pub fn clean(
    dom: &Dom,
    patterns: &Patterns,
    cfg: &CleanRules,
    url: Option<&str>,
    deadline: Deadline,
) -> Cleaned {
    let n = dom.nodes.len();
    let mut removed = never_content(dom);

    // Pass 2: visible text and content markers per subtree.
    let Subtrees {
        text_bytes,
        link_bytes,
        marks,
    } = subtree_text(dom, &removed, cfg.article_mark_bytes);
    let page_text = dom.body().map_or(0, |b| text_bytes[b]).max(1) as f64;
    let is_forum = forum::is_thread(dom, url, cfg);

    // Pass 3: clutter by markup. Ancestors come first, so a removed subtree is skipped whole.
    // Comment sections are only collected here; pass 4 decides on them.
    let mut hint = vec![0i8; n];
    let mut spared_clutter = vec![0u8; n];
    let mut comments: Vec<usize> = Vec::new();
    let mut tokens: Vec<&str> = Vec::new();
    let mut inside_article_until = 0usize;
    let mut i = 0;
    while i < n {
        if deadline.passed_at(i) {
            break;
        }
        if removed[i] {
            i = dom.nodes[i].end as usize;
            continue;
        }
        let node = &dom.nodes[i];
        if node.tag == Tag::Text {
            i += 1;
            continue;
        }
        let in_article = i < inside_article_until;
        if matches!(node.tag, Tag::Article | Tag::Main) || node.flags & flags::CONTENT_MARK != 0 {
            inside_article_until = inside_article_until.max(node.end as usize);
        }
        tokens.clear();
        tokens.extend(dom.hints(i).split_whitespace());
        hint[i] = patterns.hint_weight(&tokens);
        let subtree = Subtree {
            text: text_bytes[i],
            links: link_bytes[i],
            marks: marks[i],
        };
        let clutter = clutter_of(dom, i, in_article, &tokens, subtree, patterns, cfg);
        let guards = node.tag != Tag::Nav && node.flags & flags::HIDDEN == 0;
        let holds_declared_mark = guards && marks[i] & mark::DECLARED != 0;
        let spared = is_spared(node.tag, guards, &tokens, subtree, page_text, patterns, cfg);
        match clutter {
            Some(Clutter::Always) if !spared => {
                removed[i] = true;
                i = node.end as usize;
            }
            // A comment section's size says nothing by itself (long threads trail short posts):
            // pass 4 weighs it against the text outside.
            Some(Clutter::Comments) if !holds_declared_mark && !is_forum => {
                comments.push(i);
                i = node.end as usize;
            }
            Some(Clutter::Always) => {
                spared_clutter[i] = SPARED_CLUTTER;
                i += 1;
            }
            Some(Clutter::Comments) => {
                spared_clutter[i] = SPARED_COMMENTS;
                i += 1;
            }
            None => i += 1,
        }
    }

    let kept_comments = drop_comment_sections(dom, &mut removed, comments, cfg);
    for c in kept_comments {
        spared_clutter[c] = SPARED_COMMENTS;
    }
    Cleaned {
        removed,
        text_bytes,
        hint,
        spared: spared_clutter,
    }
}

/// What pass 2 found in one element's subtree.
#[derive(Clone, Copy)]
struct Subtree {
    /// Visible text bytes.
    text: u32,
    /// ... of them inside links.
    links: u32,
    /// Content markers inside (`mark::*` bits).
    marks: u8,
}

/// Pass 3's verdict on element `i` by its tag, flags and class/id `tokens`.
fn clutter_of(
    dom: &Dom,
    i: usize,
    in_article: bool,
    tokens: &[&str],
    subtree: Subtree,
    patterns: &Patterns,
    cfg: &CleanRules,
) -> Option<Clutter> {
    let node = &dom.nodes[i];
    match node.tag {
        // Hidden: gone, unless it is most of the page (content that a script reveals).
        _ if node.flags & flags::HIDDEN != 0 => Some(Clutter::Always),
        Tag::Html | Tag::Body | Tag::Main | Tag::Article => None,
        Tag::Nav | Tag::Aside | Tag::Footer | Tag::Form | Tag::Noscript => Some(Clutter::Always),
        Tag::Header if !in_article => Some(Clutter::Always),
        _ if node.flags & flags::ROLE_BOILERPLATE != 0 => Some(Clutter::Always),
        _ if node.flags & flags::CONTENT_MARK != 0 => None,
        // Permalink anchors beside headings ("¶", "#"): markup, not words.
        Tag::A if subtree.text <= 4 && is_permalink_mark(dom, i) => Some(Clutter::Always),
        // A class pattern that lands on a long stretch of prose has misread a layout
        // class ("content-nav-section" around the article): prose is not clutter.
        _ => patterns.boilerplate(tokens).filter(|kind| {
            *kind == Clutter::Comments
                || subtree.text < cfg.pattern_prose_bytes
                || subtree.links as f64 > cfg.pattern_prose_max_link_share * subtree.text as f64
        }),
    }
}

/// Whether clutter by markup stays all the same: it holds the page's content marker, or
/// (unless tag and class agree) most of the page's text. `guards` is false for elements that
/// no marker can spare (`<nav>`, hidden ones).
fn is_spared(
    tag: Tag,
    guards: bool,
    tokens: &[&str],
    subtree: Subtree,
    page_text: f64,
    patterns: &Patterns,
    cfg: &CleanRules,
) -> bool {
    let holds_mark = guards && subtree.marks != 0;
    if tag == Tag::Footer {
        // The page's footer is never its content, however much it holds (a privacy policy
        // in a dialog, a sitemap, an <article> of legal text with its own <h1>): only a
        // `<main>` or articleBody inside spares it.
        guards && subtree.marks & mark::MAIN != 0
    } else if matches!(tag, Tag::Nav | Tag::Aside | Tag::Header)
        && patterns.boilerplate(tokens) == Some(Clutter::Always)
    {
        // Tag and class agree (`<aside class="sidebar">`): two independent signals outweigh
        // size, so a sidebar longer than the story still goes.
        holds_mark
    } else {
        holds_mark || subtree.text as f64 > cfg.max_removed_share * page_text
    }
}

/// Pass 4: comment sections go when enough text stands outside them.
/// Returns the comment sections it left.
fn drop_comment_sections(
    dom: &Dom,
    removed: &mut [bool],
    comments: Vec<usize>,
    cfg: &CleanRules,
) -> Vec<usize> {
    if comments.is_empty() {
        return comments;
    }
    let after = subtree_text(dom, removed, cfg.article_mark_bytes).text_bytes;
    let in_comments: u32 = comments.iter().map(|&c| after[c]).sum();
    let total = dom.body().map_or(0, |b| after[b]);
    let outside = total.saturating_sub(in_comments) as f64;
    if outside >= cfg.comments_outside_ratio * in_comments as f64
        || outside >= cfg.comments_article_bytes as f64
    {
        for &c in &comments {
            removed[c] = true;
        }
        return Vec::new();
    }
    comments
}

fn is_permalink_mark(dom: &Dom, i: usize) -> bool {
    matches!(dom.inner_text(i).trim(), "¶" | "#" | "§" | "🔗" | "†")
}

/// Pass 1: the subtrees that are never content (head, scripts, styles, dropped elements).
fn never_content(dom: &Dom) -> Vec<bool> {
    let n = dom.nodes.len();
    let mut removed = vec![false; n];
    let mut i = 0;
    while i < n {
        let node = &dom.nodes[i];
        let never = matches!(
            node.tag,
            Tag::Head | Tag::Title | Tag::Meta | Tag::Script | Tag::Style | Tag::Dropped
        );
        if never {
            removed[i] = true;
            i = node.end as usize;
        } else {
            i += 1;
        }
    }

    removed
}

/// Only pass 1: everything a reader of the page could see, clutter and all (the floor of the
/// plain-text benchmark, the input it builds for text mode, and the time budget's fallback).
pub fn visible_only(dom: &Dom) -> Cleaned {
    let removed = never_content(dom);
    let text_bytes = subtree_text(dom, &removed, u32::MAX).text_bytes;
    Cleaned {
        hint: vec![0; removed.len()],
        spared: vec![0; removed.len()],
        removed,
        text_bytes,
    }
}

/// Content markers a subtree can hold (bits of [`Subtrees::marks`]).
mod mark {
    /// `<main>`, `itemprop=articleBody`/`role=main`, or the `<h1>`: the page says "this is it".
    pub const DECLARED: u8 = 1;
    /// `<main>`, `itemprop=articleBody`/`role=main` (not the `<h1>`, which legal text in a
    /// footer dialog has too).
    pub const MAIN: u8 = 4;
    /// An `<article>` with real text in it (not a teaser card). Comment threads mark each
    /// comment up as an `<article>` too, so this one does not protect a comment section.
    pub const ARTICLE: u8 = 2;
}

/// What each subtree holds, indexed by node.
struct Subtrees {
    /// Visible text bytes.
    text_bytes: Vec<u32>,
    /// Visible text bytes inside links.
    link_bytes: Vec<u32>,
    /// Content markers (see [`mark`]).
    marks: Vec<u8>,
}

/// Sums text, link text and content markers over every subtree in one reverse loop
/// (children follow parents in preorder).
fn subtree_text(dom: &Dom, removed: &[bool], article_mark_bytes: u32) -> Subtrees {
    let n = dom.nodes.len();
    let mut text_bytes = vec![0u32; n];
    let mut link_bytes = vec![0u32; n];
    let mut marks = vec![0u8; n];
    for i in (0..n).rev() {
        if removed[i] {
            continue;
        }
        let node = &dom.nodes[i];
        if node.tag == Tag::Text {
            text_bytes[i] = dom.text(i).trim().len() as u32;
        }
        if matches!(node.tag, Tag::Main | Tag::H(1)) || node.flags & flags::CONTENT_MARK != 0 {
            marks[i] |= mark::DECLARED;
        }
        if node.tag == Tag::Main || node.flags & flags::CONTENT_MARK != 0 {
            marks[i] |= mark::MAIN;
        }
        if node.tag == Tag::Article && text_bytes[i] >= article_mark_bytes {
            marks[i] |= mark::ARTICLE;
        }
        if node.tag == Tag::A {
            link_bytes[i] = text_bytes[i];
        }
        if node.parent != NO_PARENT {
            let p = node.parent as usize;
            text_bytes[p] += text_bytes[i];
            link_bytes[p] += link_bytes[i];
            marks[p] |= marks[i];
        }
    }
    Subtrees {
        text_bytes,
        link_bytes,
        marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn kept_text(html: &str) -> String {
        let cfg = Rules::default();
        let dom = crate::parse::parse(html, 512, Deadline::NONE);
        let cleaned = clean(
            &dom,
            &Patterns::new(&cfg.clean),
            &cfg.clean,
            None,
            Deadline::NONE,
        );
        let mut out = String::new();
        let mut i = 0;
        while i < dom.nodes.len() {
            if cleaned.removed[i] {
                i = dom.nodes[i].end as usize;
                continue;
            }
            if dom.nodes[i].tag == Tag::Text {
                out.push_str(dom.text(i));
            }
            i += 1;
        }
        out
    }

    const STORY: &str = "A long story paragraph that is the content of the page and nothing else. ";

    #[test]
    fn drops_never_content_and_hidden() {
        let html = format!(
            "<body><p>{STORY}</p><script>var x</script><style>p{{}}</style><p hidden>h1</p>\
             <p aria-hidden=true>h2</p><p style='display: none'>h3</p><noscript>ns</noscript></body>"
        );
        assert_eq!(kept_text(&html), STORY);
    }

    #[test]
    fn drops_clutter_by_pattern() {
        let html = format!(
            "<body><div id=cookie-notice>We use cookies</div><p>{STORY}</p>\
             <div class='widget widget_recent_entries'>Recent Posts</div><nav>Home</nav></body>"
        );
        assert_eq!(kept_text(&html), STORY);
    }

    #[test]
    fn spares_a_match_that_holds_most_of_the_page() {
        // A forum whose posts live in a "comments" wrapper: the wrapper is the page.
        let html = format!("<body><div class=comments><p>{STORY}</p></div><p>x</p></body>");
        assert!(kept_text(&html).contains(STORY));
    }

    #[test]
    fn a_sidebar_named_by_tag_and_class_goes_however_long() {
        let side = "Live feed item that runs on and on. ".repeat(40);
        let html = format!("<body><p>{STORY}</p><aside class=sidebar><p>{side}</p></aside></body>");
        assert_eq!(kept_text(&html), STORY);
        // The tag alone is one signal: an <aside> holding most of the page is spared.
        let html = format!("<body><p>{STORY}</p><aside><p>{side}</p></aside></body>");
        assert!(kept_text(&html).contains(&side));
    }

    #[test]
    fn formulas_stay_but_their_tex_annotation_goes() {
        let html = "<body><p>So <mjx-container class='MathJax CtxtMenu_Attached_0'><math><semantics>\
                    <mi>x</mi><mo>=</mo><mn>2</mn><annotation encoding='application/x-tex'>x=2</annotation>\
                    </semantics></math></mjx-container> holds.</p></body>";
        assert_eq!(kept_text(html), "So x=2 holds.");
    }

    #[test]
    fn ruby_annotations_are_not_part_of_the_sentence() {
        let html = "<body><p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもの<ruby>法律<rt>ほうりつ</rt></ruby></p></body>";
        assert_eq!(kept_text(html), "子どもの法律");
    }

    #[test]
    fn spares_the_content_marker() {
        let html = format!(
            "<body><div class='has-sidebar'><div itemprop=articleBody><p>{STORY}</p></div>\
             </div>{}</body>",
            format!("<p>{STORY}</p>").repeat(3)
        );
        assert!(kept_text(&html).starts_with(STORY));
    }

    #[test]
    fn a_long_comment_thread_after_an_article_goes() {
        // Each comment is an <article> of its own, and the thread outweighs the story:
        // neither may keep the comment section.
        let story = format!(
            "<article><h1>T</h1>{}</article>",
            format!("<p>{STORY}</p>").repeat(50)
        );
        let comment = format!(
            "<article class=comment><p>{}</p></article>",
            STORY.repeat(15)
        );
        let html = format!(
            "<body>{story}<div id=comments class=comments-wrapper>{}</div></body>",
            comment.repeat(20)
        );
        let kept = kept_text(&html);
        assert!(kept.contains(STORY));
        assert!(
            kept.len() < 50 * STORY.len() + 10,
            "comments kept: {} bytes",
            kept.len()
        );
    }

    #[test]
    fn a_thread_page_keeps_its_comments() {
        let cfg = Rules::default();
        let html = format!(
            "<body><p>{}</p><div class=comments><p>{}</p></div></body>",
            STORY.repeat(10),
            STORY.repeat(5)
        );
        let dom = crate::parse::parse(&html, 512, Deadline::NONE);
        let patterns = Patterns::new(&cfg.clean);
        let comments = (0..dom.nodes.len())
            .find(|&i| dom.nodes[i].tag == Tag::Div && dom.hints(i).trim() == "comments")
            .unwrap();
        let at =
            |url| clean(&dom, &patterns, &cfg.clean, Some(url), Deadline::NONE).removed[comments];
        assert!(!at("https://forums.example.org/threads/a-question.123/"));
        assert!(at("https://example.org/2024/01/a-story.html"));
    }
}
