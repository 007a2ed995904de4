//! Visible bylines and datelines: the author names and the date a reader sees near the
//! headline ("By Ann Lee and Bo Ek · 5. Januar 2024"), and the cleaning every author name
//! goes through (no "By", no dates, no job titles, no e-mail addresses).

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::dates::{self, Bounds, Order};
use super::text::collapse;
use super::zone::Zone;
use crate::parse::dom::{Dom, Tag, flags};

/// Class/id tokens of byline elements.
const BYLINE_TOKENS: [&str; 7] = [
    "author", "byline", "byl", "writer", "autor", "auteur", "authors",
];
/// Tokens that make an "author" element an author box or avatar, not a byline.
const NOT_BYLINE_TOKENS: [&str; 8] = [
    "box",
    "bio",
    "avatar",
    "image",
    "img",
    "description",
    "about",
    "photo",
];

/// Author names from the visible page: `rel="author"` links, elements whose class says
/// byline or author, and "By …" lines near the headline.
pub fn authors(dom: &Dom, zone: &Zone) -> Vec<String> {
    let Some(around) = zone.around.clone() else {
        return Vec::new();
    };
    // rel=author links outside comments and teasers, near the headline first.
    let rel_author = |range: Range<usize>| {
        range
            .filter(|&i| {
                dom.nodes
                    .get(i)
                    .is_some_and(|n| n.flags & flags::REL_AUTHOR != 0)
                    && !zone.is_foreign(dom, i)
            })
            .flat_map(|i| clean_names(&spaced_text(dom, i)))
            .collect::<Vec<_>>()
    };
    let mut names = rel_author(around.clone());
    if names.is_empty() {
        names = around
            .clone()
            .filter(|&i| is_byline_element(dom, zone, i))
            .map(|i| clean_names(&spaced_text(dom, i)))
            .find(|n| !n.is_empty())
            .unwrap_or_default();
    }
    if names.is_empty() {
        names = by_line(dom, zone, around);
    }
    dedup(names)
}

fn is_byline_element(dom: &Dom, zone: &Zone, i: usize) -> bool {
    let Some(n) = dom.nodes.get(i) else {
        return false;
    };
    if n.tag == Tag::Text || n.end as usize - i > 40 {
        return false;
    }
    let hints = dom.hints(i);
    let tokens = || hints.split(' ');
    tokens().any(|t| BYLINE_TOKENS.contains(&t))
        && !tokens().any(|t| NOT_BYLINE_TOKENS.contains(&t))
        && !zone.is_foreign(dom, i)
}

/// A text node near the headline that starts "By", "Von", "Par" or "Por".
fn by_line(dom: &Dom, zone: &Zone, around: Range<usize>) -> Vec<String> {
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static BY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(by|von|par|por|text:|written by|posted by)\s+\S")
            .expect("valid regex")
    });
    for i in around {
        if !is_text(dom, i) || zone.is_foreign(dom, i) {
            continue;
        }
        let text = dom.text(i);
        if text.len() > 200 || !BY.is_match(text) {
            continue;
        }
        // "By" may stand alone in its text node with the name in the next element.
        let small_parent = dom.nodes.get(i).map(|n| n.parent as usize).filter(|&p| {
            dom.nodes
                .get(p)
                .is_some_and(|parent| parent.end as usize - p <= 12)
        });
        let line = match small_parent {
            Some(parent) => spaced_text(dom, parent),
            None => collapse(text),
        };
        let names = clean_names(&line);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// A date read from the page's text, and whether a label says it is an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeenDate {
    pub date: NaiveDate,
    pub update: bool,
}

/// The date a reader sees near the headline: the first written date in the zone (outside the
/// headline itself, teasers and sidebars, and not in the future), a publication date before
/// an update date.
pub fn date(dom: &Dom, zone: &Zone, order: Order, bounds: Bounds) -> Option<SeenDate> {
    let headline = zone.headline?;
    let headline_nodes = headline..dom.nodes.get(headline)?.end as usize;
    let around = zone.around.clone()?;
    // Join the zone's text per block so that "5 <span>Jan</span> 2024" reads as one date.
    let mut line = String::new();
    // (date, whether a label says it is an update): a publication date wins over an update,
    // but an update date is better than none.
    let mut candidates: Vec<(NaiveDate, bool)> = Vec::new();
    let mut flush = |line: &mut String| {
        for (date, start) in dates::find_all(line, order) {
            if bounds.admits(date) {
                let before = line.get(..start).unwrap_or_default();
                candidates.push((date, dates::is_update_label(before)));
            }
        }
        line.clear();
    };
    let nodes = dom.nodes.get(around.clone()).unwrap_or_default();
    for (i, n) in around.clone().zip(nodes) {
        if n.tag.is_block() {
            flush(&mut line);
        }
        if n.tag == Tag::Text
            && !headline_nodes.contains(&i)
            && !zone.is_foreign(dom, i)
            && !in_script(dom, i)
        {
            line.push_str(dom.text(i));
            line.push(' ');
        }
    }
    flush(&mut line);
    let best = candidates
        .iter()
        .find(|(_, update)| !update)
        .or(candidates.first());
    if let Some(&(date, update)) = best {
        return Some(SeenDate { date, update });
    }
    // A dateline opening the first paragraph: "01.02.2022 – Der Arbeitsmarkt …".
    const DATELINE_CHARS: usize = 40;
    let first = around.end;
    if dom.nodes.get(first).is_some_and(|n| n.tag == Tag::P) {
        let opening: String = collapse(&dom.inner_text(first))
            .chars()
            .take(DATELINE_CHARS + 20)
            .collect();
        return dates::find_all(&opening, order)
            .into_iter()
            .find(|&(date, start)| start <= DATELINE_CHARS && bounds.admits(date))
            .map(|(date, _)| SeenDate {
                date,
                update: false,
            });
    }
    None
}

/// Class/id tokens of elements that hold a date ("post-date", hAtom's `published`).
const DATE_TOKENS: [&str; 9] = [
    "date",
    "published",
    "pubdate",
    "datum",
    "dateline",
    "timestamp",
    "submitted",
    "posted",
    "postdate",
];

/// A date in an element whose class says it holds one (`<span class="entry-date">`,
/// `<abbr class="published" title="2009-08-06T14:12:32+0200">`), anywhere on the page outside
/// sidebars, teasers and comments; the first one, publication dates before update dates.
pub fn classed_date(dom: &Dom, zone: &Zone, order: Order, bounds: Bounds) -> Option<NaiveDate> {
    // A date element holds a few nodes; bigger ones are containers named after a date list.
    const MAX_NODES: usize = 12;
    const MAX_CHARS: usize = 100;
    let mut update = None;
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.tag == Tag::Text || n.end as usize - i > MAX_NODES {
            continue;
        }
        let hints = dom.hints(i);
        if hints.is_empty() || !hints.split(' ').any(|t| DATE_TOKENS.contains(&t)) {
            continue;
        }
        let text = spaced_text(dom, i);
        if text.is_empty() || text.chars().count() > MAX_CHARS || zone.is_foreign(dom, i) {
            continue;
        }
        let Some((date, start)) = dates::find_in_text(&text, order) else {
            continue;
        };
        if !bounds.admits(date) {
            continue;
        }
        let is_update = hints.contains("updated")
            || hints.contains("modified")
            || dates::is_update_label(text.get(..start).unwrap_or_default());
        if !is_update {
            return Some(date);
        }
        update = update.or(Some(date));
    }
    update
}

/// The last resort: the first date written anywhere in the page's text outside sidebars,
/// teasers, comments and scripts, from the headline on (or from the top without one).
pub fn any_date(dom: &Dom, zone: &Zone, order: Order, bounds: Bounds) -> Option<NaiveDate> {
    // Running text mentions dates too; only short text nodes are datelines and stamps.
    const MAX_CHARS: usize = 80;
    // A page's own date stands within its first few thousand nodes after the headline; the
    // cap keeps this last resort cheap on huge pages.
    const MAX_NODES: usize = 5000;
    let start = zone.headline.unwrap_or(0);
    (start..dom.nodes.len().min(start + MAX_NODES))
        .filter(|&i| is_text(dom, i))
        .filter(|&i| {
            let t = dom.text(i);
            t.len() <= MAX_CHARS * 4
                && t.bytes().filter(u8::is_ascii_digit).nth(3).is_some()
                && !in_script(dom, i)
        })
        .filter_map(|i| {
            let text = collapse(dom.text(i));
            if text.chars().count() > MAX_CHARS {
                return None;
            }
            let (date, _) = dates::find_in_text(&text, order)?;
            (bounds.admits(date) && !zone.is_foreign(dom, i)).then_some(date)
        })
        .next()
}

/// A date anywhere on the page (outside sidebars, teasers and comments) that a label
/// introduces: "Datum: 03.11.2021", "Published: March 5, 2024", "Publié le 5 mars 2024".
pub fn labelled_date(dom: &Dom, zone: &Zone, order: Order, bounds: Bounds) -> Option<NaiveDate> {
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\s*(datum|date|published|publish date|date published|posted|veröffentlicht|erschienen|erstellt|publiziert|publié|publicado|fecha|pubblicato|stand|aktualisiert|last updated|updated|last edited)(\s+(on|am|le|el|il))?\s*:?\s*",
        )
        .expect("valid regex")
    });
    // Labels and their dates are short: longer text nodes are running text.
    const MAX_LABEL_LINE: usize = 120;
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.tag != Tag::Text {
            continue;
        }
        let text = dom.text(i);
        if text.len() > MAX_LABEL_LINE || in_script(dom, i) {
            continue;
        }
        let Some(label) = LABEL.find(text) else {
            continue;
        };
        if zone.is_foreign(dom, i) {
            continue;
        }
        // The date follows in the same text or in the next text node ("<b>Datum:</b> 03.11.2021").
        let mut rest = text.get(label.end()..).unwrap_or_default().to_string();
        if let Some(next) = (i + 1..dom.nodes.len().min(i + 6)).find(|&j| is_text(dom, j)) {
            rest.push(' ');
            rest.push_str(dom.text(next).chars().take(60).collect::<String>().as_str());
        }
        if let Some((date, start)) = dates::find_in_text(&rest, order)
            && start <= 12
            && bounds.admits(date)
        {
            return Some(date);
        }
    }
    None
}

/// An element's text with its text nodes joined by spaces: bylines are made of separate
/// spans ("<span>Jonas Reiter</span><span>Apr 21</span>") that must not run together.
fn spaced_text(dom: &Dom, i: usize) -> String {
    let end = dom.nodes.get(i).map_or(i, |n| n.end as usize);
    let parts: Vec<&str> = (i + 1..end)
        .filter(|&j| is_text(dom, j) && !in_script(dom, j))
        .map(|j| dom.text(j))
        .collect();
    collapse(&parts.join(" "))
}

fn is_text(dom: &Dom, i: usize) -> bool {
    dom.nodes.get(i).is_some_and(|n| n.tag == Tag::Text)
}

fn in_script(dom: &Dom, text_node: usize) -> bool {
    dom.nodes
        .get(text_node)
        .and_then(|n| dom.nodes.get(n.parent as usize))
        .is_some_and(|p| matches!(p.tag, Tag::Script | Tag::Style))
}

/// Job titles and roles that bylines glue to names ("Ann Lee, Senior Reporter").
const ROLE_WORDS: [&str; 34] = [
    "editor",
    "reporter",
    "correspondent",
    "staff",
    "writer",
    "contributor",
    "columnist",
    "journalist",
    "redakteur",
    "redakteurin",
    "korrespondent",
    "korrespondentin",
    "rédacteur",
    "rédactrice",
    "redactor",
    "redactora",
    "photographer",
    "fotograf",
    "ceo",
    "founder",
    "director",
    "manager",
    "editorial",
    "team",
    "desk",
    "senior",
    "chief",
    "producer",
    "intern",
    "analyst",
    "professor",
    "updated",
    "published",
    "min",
];

/// Author names from a raw byline or author value: the "By" and the dates, times, roles,
/// e-mail addresses and links removed, several names split apart.
pub fn clean_names(raw: &str) -> Vec<String> {
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\s*(?:[\w ]{0,40}?\b(?:by|von|par|por)|by|von|par|por|from|postby|posted|autor(?:in)?|author|auteur|text)\b\s*:?\s*",
        )
        .expect("valid regex")
    });
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static CUT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s[|•·—–-]\s|[|•·\n(\[»«]|\s(?:on|am|le|el|at|um|updated|published|veröffentlicht|aktualisiert|publié|publicado|\d+\s*min)\b")
            .expect("valid regex")
    });
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bwith\b|\bmit\b)\s*")
            .expect("valid regex")
    });
    let mut text = collapse(raw);
    // Cut at the first date: bylines put the name first ("By Ann Lee March 11, 2015").
    if let Some((_, start)) = dates::find_in_text(&text, Order::DayFirst) {
        text.truncate(start);
    }
    let text = PREFIX.replace(&text, "");
    let text = match CUT.find(&text) {
        Some(m) if m.start() > 0 => text.get(..m.start()).unwrap_or(&text),
        _ => text.as_ref(),
    };
    let mut names = Vec::new();
    for part in SPLIT.split(text) {
        let part = PREFIX.replace(part, "");
        let name = part.trim_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_punctuation() && c != '.' || "“”‘’«»".contains(c)
        });
        let name = name.trim_end_matches('.').trim();
        if is_name(name) {
            names.push(name.to_string());
        }
    }
    names
}

/// Whether a cleaned byline part can be a name (of a person or an organisation).
fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || s.chars().count() > 60 {
        return false;
    }
    if s.contains('@') || s.contains("://") || s.starts_with("www.") {
        return false;
    }
    if !s.chars().any(char::is_alphabetic) {
        return false;
    }
    // "Senior Reporter", "Staff": a role, not a name.
    let lower = s.to_lowercase();
    if lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ROLE_WORDS.contains(&w))
    {
        return false;
    }
    true
}

fn dedup(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&n)) {
            out.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_become_names() {
        assert_eq!(clean_names("By Ann Lee"), ["Ann Lee"]);
        assert_eq!(
            clean_names("By GILLIAN MOHNEY\n March 11, 2015 3:46 PM"),
            ["GILLIAN MOHNEY"]
        );
        assert_eq!(
            clean_names("Von Lars Fischer und Alina Schadwinkel"),
            ["Lars Fischer", "Alina Schadwinkel"]
        );
        assert_eq!(clean_names("Ann Lee, Senior Reporter"), ["Ann Lee"]);
        assert_eq!(clean_names("By Ann Lee | 5 January 2024"), ["Ann Lee"]);
        assert_eq!(
            clean_names("Par Jean Dupont le 5 janvier 2024"),
            ["Jean Dupont"]
        );
        assert_eq!(clean_names("Written by: Bo Ek · 4 min read"), ["Bo Ek"]);
        assert_eq!(
            clean_names("Words and photographs by Tom Whitlock"),
            ["Tom Whitlock"]
        );
        assert_eq!(clean_names("Postby dave_k » Tue Feb 13, 2024"), ["dave_k"]);
        assert_eq!(clean_names("ann@example.org"), Vec::<String>::new());
        assert_eq!(
            clean_names("https://www.facebook.com/someone"),
            Vec::<String>::new()
        );
    }
}
