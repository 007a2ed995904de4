//! Where on the page its own metadata stands: the headline, the zone around it (kicker,
//! byline, dateline, up to the first paragraph of running text), and the containers that
//! never hold the page's own metadata (sidebars, "Recent Posts", teasers, comments, footers).

use std::ops::Range;

use crate::parse::dom::{Dom, NO_PARENT, Tag};

/// Class/id tokens of containers whose dates and names belong to other pages or to other
/// people: teaser lists, widgets, comments. ("footer" is not one: an article's own footer
/// holds its date and tags; the page footer is a `<footer>` outside the article.)
/// ("teaser" alone is not one either: German CMSs call an article's lead its teaser.)
const FOREIGN_TOKENS: [&str; 20] = [
    "sidebar",
    "widget",
    "widgets",
    "recent",
    "related",
    "popular",
    "trending",
    "teasers",
    "comment",
    "comments",
    "latest",
    "recommended",
    "recommendations",
    "carousel",
    "promo",
    "nav",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
];

/// The page's headline and the nodes around it, found once per page.
#[derive(Clone, Debug, Default)]
pub struct Zone {
    pub headline: Option<usize>,
    /// Kicker, byline and dateline: see `around_headline`.
    pub around: Option<Range<usize>>,
}

impl Zone {
    pub fn new(dom: &Dom, title: Option<&str>) -> Zone {
        let headline = headline(dom, title);
        Zone {
            headline,
            around: headline.map(|h| around_headline(dom, h)),
        }
    }

    /// Whether `node` sits inside a sidebar, navigation, footer, teaser list or comment
    /// section. Only the containers below the one it shares with the headline count: a page
    /// wrapper named "story-sidebar-mode" holds the headline too, so it is the page's own.
    /// An `<aside>` or `<footer>` inside an `<article>` is the article's own (its date, tags).
    pub fn is_foreign(&self, dom: &Dom, node: usize) -> bool {
        is_foreign_below(dom, node, self.headline)
    }
}

fn is_foreign_below(dom: &Dom, node: usize, headline: Option<usize>) -> bool {
    let mut i = node as u32;
    let mut in_aside_or_footer = false;
    // Above the container shared with the headline only an enclosing <article> still counts.
    let mut shared = false;
    while i != NO_PARENT {
        let Some(n) = dom.nodes.get(i as usize) else {
            break;
        };
        shared = shared || headline.is_some_and(|h| (i as usize) <= h && h < n.end as usize);
        match n.tag {
            Tag::Article => in_aside_or_footer = false,
            _ if shared => {}
            Tag::Nav => return true,
            Tag::Aside | Tag::Footer => in_aside_or_footer = true,
            _ => {}
        }
        if !shared
            && n.tag != Tag::Text
            && dom
                .hints(i as usize)
                .split(' ')
                .any(|t| FOREIGN_TOKENS.contains(&t))
        {
            return true;
        }
        i = n.parent;
    }
    in_aside_or_footer
}

/// The headline element: the first `<h1>`–`<h3>` whose text the title starts with or equals,
/// else the first `<h1>` outside navigation and sidebars.
fn headline(dom: &Dom, title: Option<&str>) -> Option<usize> {
    let title = title.map(|t| t.to_lowercase());
    let headings = dom
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n.tag, Tag::H(1..=3)))
        .take(40);
    let mut first_h1 = None;
    for (i, n) in headings {
        let text = super::text::collapse(&dom.inner_text(i)).to_lowercase();
        if text.is_empty() {
            continue;
        }
        if let Some(t) = &title
            && (text == *t || (text.len() >= 10 && t.contains(&text)))
        {
            return Some(i);
        }
        if first_h1.is_none() && n.tag == Tag::H(1) && !is_foreign_below(dom, i, None) {
            first_h1 = Some(i);
        }
    }
    first_h1
}

/// The nodes around the headline where bylines and datelines stand: from a little before it
/// (a kicker or a date above the headline, within its header) to the first paragraph of
/// running text after it.
fn around_headline(dom: &Dom, headline: usize) -> Range<usize> {
    // How far to look: a header holds a few dozen nodes; the cap keeps this cheap on any page.
    const BEFORE: usize = 40;
    const AFTER: usize = 250;
    const PARAGRAPH_CHARS: usize = 200;
    let Some(head) = dom.nodes.get(headline) else {
        return headline..headline;
    };
    let mut start = headline.saturating_sub(BEFORE);
    // Do not reach back past the start of the headline's own <article> or <header>.
    let mut p = head.parent;
    while p != NO_PARENT {
        let Some(n) = dom.nodes.get(p as usize) else {
            break;
        };
        if matches!(n.tag, Tag::Article | Tag::Header | Tag::Main) {
            start = start.max(p as usize);
            break;
        }
        p = n.parent;
    }
    let limit = (headline + AFTER).min(dom.nodes.len());
    let mut end = head.end as usize;
    while end < limit {
        let Some(n) = dom.nodes.get(end) else {
            break;
        };
        if n.tag == Tag::P && dom.inner_text(end).chars().count() > PARAGRAPH_CHARS {
            break;
        }
        end += 1;
    }
    start..end
}
