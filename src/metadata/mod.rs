//! Metadata: title, authors, dates, site name, description, language, canonical URL,
//! categories, tags, image and page type, each taken from the most trusted source that has it.
//!
//! Sources, in order of trust: JSON-LD (`jsonld`), `<meta>` tags (`meta_tags`: OpenGraph,
//! Twitter, Dublin Core, Parse.ly, Sailthru…), microdata and `<time datetime>` (`microdata`),
//! what a reader sees near the headline (`byline`, within `zone`), the URL (`dates`), and
//! `<html lang>` checked against the text (`language`). `page_type` guesses what kind of page
//! it is. Every value is cleaned on the way in; dates are never in the future and never come
//! from teasers, sidebars or comments.

// Input-derived data: no indexing or string slicing that could panic on a hostile page
// (here and in every submodule).
#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

pub mod byline;
pub mod dates;
pub mod jsonld;
pub mod language;
pub mod meta_tags;
pub mod microdata;
pub mod page_type;
pub mod text;
pub mod title;
pub mod zone;

use serde::Serialize;

pub use dates::{Bounds, PageDate};
pub use page_type::PageType;

use crate::parse::dom::{Dom, flags};
use dates::Order;
use jsonld::JsonLd;
use text::clean_value;
use zone::Zone;

/// What the page says about itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Metadata {
    /// The headline, without the " | Site Name" suffix.
    pub title: Option<String>,
    /// Author names (people or organisations), without "By", dates or job titles.
    pub authors: Vec<String>,
    /// Publication date, ISO 8601: a date, or a date-time with its UTC offset when known.
    pub date: Option<String>,
    /// Last modification date, ISO 8601.
    pub date_modified: Option<String>,
    /// The site's name ("The Guardian"), not its host.
    pub sitename: Option<String>,
    /// The page's own summary (`og:description`, `description`, JSON-LD).
    pub description: Option<String>,
    /// BCP 47 language tag ("de", "en-US").
    pub language: Option<String>,
    /// The canonical URL when the page declares one (`<link rel=canonical>`, `og:url`,
    /// JSON-LD `url`), resolved against the page URL.
    pub canonical_url: Option<String>,
    /// Sections the page files itself under ("Politics").
    pub categories: Vec<String>,
    /// Keywords the page tags itself with.
    pub tags: Vec<String>,
    /// The lead image URL.
    pub image: Option<String>,
    /// What kind of page this is, as guessed from its markup, URL and text.
    pub page_type: PageType,
}

/// Reads every field but the language (which needs the extracted text: see `check_language`).
/// `url` is the page's own URL when known; `bounds` says which dates are possible.
pub fn extract(dom: &Dom, url: Option<&str>, heading_share: f64, bounds: Bounds) -> Metadata {
    let ld = jsonld::read(dom);
    let title = title::title(
        dom,
        heading_share,
        ld.headline
            .as_deref()
            .or(microdata::headline(dom, &Zone::default()).as_deref()),
    );
    let canonical_url = canonical(dom, &ld, url);
    let page_url = url.or(canonical_url.as_deref());
    let declared_language = declared_language(dom, &ld);
    let host = page_url.and_then(text::url_host);
    let order = dates::order_for(declared_language.as_deref(), host.as_deref());
    let zone = Zone::new(dom, title.as_deref());
    let date_modified = modified(dom, &ld, &zone, order, bounds).map(|d| d.iso());
    // The date written near the headline and the zone's <time> elements, read once for the
    // publication date and the page type.
    let shown = Shown {
        visible: byline::date(dom, &zone, order, bounds),
        times: microdata::times(dom, &zone),
    };
    // A page that gives only a modification date was published no later than that.
    let date = published(dom, &ld, page_url, &zone, (order, bounds), &shown)
        .map(|d| d.iso())
        .or(date_modified.clone());
    let authors = authors(dom, &ld, &zone);
    let og_type = meta_tags::first(dom, meta_tags::TYPE);
    let page_type = page_type::classify(
        dom,
        &page_type::Declared {
            schema_types: &ld.types,
            og_type: og_type.as_deref(),
            url: page_url,
            has_date: date.is_some(),
            has_author: !authors.is_empty(),
            shows_date: shown.visible.is_some()
                || shown
                    .times
                    .iter()
                    .any(|(node, _, _)| zone.around.as_ref().is_some_and(|a| a.contains(node))),
        },
    );
    Metadata {
        authors,
        date,
        date_modified,
        sitename: sitename(dom, &ld, page_url),
        description: meta_tags::first(dom, meta_tags::DESCRIPTION).or(ld.description.clone()),
        language: declared_language,
        categories: categories(dom, &ld, &zone),
        tags: tags(dom, &ld, &zone),
        image: meta_tags::first(dom, meta_tags::IMAGE)
            .or(ld.image.clone())
            .map(|i| absolute(&i, page_url)),
        page_type,
        title,
        canonical_url,
    }
}

/// Checks the declared language against the extracted text (the text wins when the markup
/// is missing or plainly wrong).
pub fn check_language(meta: &mut Metadata, text: &str) {
    meta.language = language::resolve(meta.language.as_deref(), text);
}

fn declared_language(dom: &Dom, ld: &JsonLd) -> Option<String> {
    dom.lang
        .as_deref()
        .and_then(language::normalise_tag)
        .or_else(|| {
            meta_tags::each(dom, meta_tags::LANGUAGE)
                .find_map(|(_, v)| language::normalise_tag(v.split(',').next().unwrap_or(v)))
        })
        .or_else(|| ld.language.as_deref().and_then(language::normalise_tag))
}

fn canonical(dom: &Dom, ld: &JsonLd, url: Option<&str>) -> Option<String> {
    dom.canonical
        .as_deref()
        .and_then(clean_value)
        .or_else(|| meta_tags::first(dom, meta_tags::URL))
        .or_else(|| ld.url.clone())
        .map(|c| absolute(&c, url))
}

/// A link made absolute against the page URL ("/a/b" on https://x.org/c → https://x.org/a/b).
/// An absolute link stays as the page wrote it.
fn absolute(link: &str, base: Option<&str>) -> String {
    let link = link.trim();
    if link.contains("://") {
        return link.to_string();
    }
    base.and_then(|b| url::Url::parse(b).ok())
        .and_then(|b| b.join(link).ok())
        .map_or_else(|| link.to_string(), String::from)
}

fn authors(dom: &Dom, ld: &JsonLd, zone: &Zone) -> Vec<String> {
    let clean_all = |raw: &[String]| -> Vec<String> {
        raw.iter().flat_map(|r| byline::clean_names(r)).fold(
            Vec::new(),
            |mut acc: Vec<String>, n| {
                if !acc.iter().any(|a| a.eq_ignore_ascii_case(&n)) {
                    acc.push(n);
                }
                acc
            },
        )
    };
    let from_ld = clean_all(&ld.authors);
    if !from_ld.is_empty() {
        return from_ld;
    }
    let from_meta = clean_all(&meta_tags::all(dom, meta_tags::AUTHOR));
    if !from_meta.is_empty() {
        return from_meta;
    }
    let from_microdata = clean_all(&microdata::authors(dom, zone));
    if !from_microdata.is_empty() {
        return from_microdata;
    }
    byline::authors(dom, zone)
}

/// What the page shows of its date near the headline: the written date and the zone's
/// `<time>` elements (node, value, whether an update).
struct Shown {
    visible: Option<byline::SeenDate>,
    times: Vec<(usize, String, bool)>,
}

/// The publication date. The page's own statements vote, each with its weight of trust:
/// JSON-LD, the first `<meta>` date, microdata, a `<time>` near the headline, the date
/// written near the headline, and the URL. The calendar day with the most weight wins (ties go
/// to the more trusted source): a stale JSON-LD date loses to the date the page shows and
/// its URL agreeing on another day. Without any of these, weaker evidence is used in order:
/// any `<time>`, an element classed as a date, a labelled date, a date anywhere in the text.
fn published(
    dom: &Dom,
    ld: &JsonLd,
    url: Option<&str>,
    zone: &Zone,
    (order, bounds): (Order, Bounds),
    shown: &Shown,
) -> Option<PageDate> {
    let (visible, times) = (shown.visible, &shown.times);
    let machine = |v: &str| dates::parse_machine(v, order).filter(|d| bounds.admits(d.date));
    let day = |date| PageDate { date, time: None };
    let time_near = times
        .iter()
        .filter(|(node, _, updated)| {
            !updated && zone.around.as_ref().is_some_and(|a| a.contains(node))
        })
        .find_map(|(_, v, _)| machine(v));
    let votes: [(Option<PageDate>, f64); 6] = [
        (ld.date_published.as_deref().and_then(machine), 3.0),
        (
            meta_tags::each(dom, meta_tags::PUBLISHED).find_map(|(_, v)| machine(v)),
            2.5,
        ),
        (
            microdata::published(dom, zone)
                .iter()
                .find_map(|v| machine(v)),
            2.0,
        ),
        (time_near, 2.0),
        (visible.filter(|v| !v.update).map(|v| day(v.date)), 2.0),
        (
            url.and_then(dates::from_url)
                .filter(|d| bounds.admits(*d))
                .map(day),
            2.0,
        ),
    ];
    let weight_of = |date| {
        votes
            .iter()
            .filter(|(d, _)| d.is_some_and(|d| d.date == date))
            .map(|(_, w)| w)
            .sum::<f64>()
    };
    let voted = votes
        .iter()
        .filter_map(|(d, _)| *d)
        .fold(None, |best: Option<(PageDate, f64)>, d| {
            let w = weight_of(d.date);
            match best {
                Some((_, bw)) if bw >= w => best,
                _ => Some((d, w)),
            }
        })
        .map(|(d, _)| {
            // Keep the time of day from the most trusted source that gives the same day.
            votes
                .iter()
                .filter_map(|(v, _)| *v)
                .find(|v| v.date == d.date && v.time.is_some())
                .unwrap_or(d)
        });
    let chosen = voted
        .or_else(|| {
            times
                .iter()
                .filter(|(_, _, updated)| !updated)
                .find_map(|(_, v, _)| machine(v))
        })
        .or_else(|| byline::classed_date(dom, zone, order, bounds).map(day))
        .or_else(|| byline::labelled_date(dom, zone, order, bounds).map(day))
        .or_else(|| visible.map(|v| day(v.date)))
        .or_else(|| byline::any_date(dom, zone, order, bounds).map(day))?;
    // A UTC time stamp's calendar day can differ from the page's local one; the day the
    // reader sees near the headline decides when it is one day off.
    if let (Some(t), Some(v)) = (chosen.time, visible)
        && t.offset().local_minus_utc() == 0
        && (v.date - chosen.date).num_days().abs() == 1
    {
        return Some(day(v.date));
    }
    Some(chosen)
}

fn modified(dom: &Dom, ld: &JsonLd, zone: &Zone, order: Order, bounds: Bounds) -> Option<PageDate> {
    let machine = |v: &str| dates::parse_machine(v, order).filter(|d| bounds.admits(d.date));
    ld.date_modified
        .as_deref()
        .and_then(machine)
        .or_else(|| meta_tags::each(dom, meta_tags::MODIFIED).find_map(|(_, v)| machine(v)))
        .or_else(|| {
            microdata::modified(dom, zone)
                .iter()
                .find_map(|v| machine(v))
        })
        .or_else(|| {
            microdata::times(dom, zone)
                .iter()
                .filter(|(_, _, updated)| *updated)
                .find_map(|(_, v, _)| machine(v))
        })
}

/// The site's name: the JSON-LD publisher or WebSite, `og:site_name`, other `<meta>` names,
/// the " | Site" part of the `<title>`, else the host's name ("gregoryszorc" for
/// gregoryszorc.com).
fn sitename(dom: &Dom, ld: &JsonLd, url: Option<&str>) -> Option<String> {
    // Longer "names" are descriptions or slogans.
    const MAX_CHARS: usize = 100;
    ld.sitename
        .clone()
        .or_else(|| meta_tags::first(dom, meta_tags::SITENAME))
        .or_else(|| {
            let title = dom
                .nodes
                .iter()
                .position(|n| n.tag == crate::parse::dom::Tag::Title)?;
            title::site_part(&text::collapse(&dom.inner_text(title)))
        })
        .or_else(|| {
            let host = url.and_then(text::url_host)?;
            let labels: Vec<&str> = host.split('.').collect();
            // The label before the public suffix: "example" in example.co.uk or blog.example.com;
            // on blog hosts the site is the subdomain ("orchard" in orchard.blogspot.com).
            const BLOG_HOSTS: [&str; 8] = [
                "blogspot",
                "wordpress",
                "github",
                "substack",
                "tumblr",
                "medium",
                "wixsite",
                "neocities",
            ];
            let n = labels.len();
            let skip = match labels.iter().rev().nth(1) {
                Some(label) if n >= 3 && BLOG_HOSTS.contains(label) => 3,
                Some(label) if n >= 3 && label.len() <= 3 => 3,
                _ => 2,
            };
            n.checked_sub(skip)
                .and_then(|i| labels.get(i))
                .map(|label| label.to_string())
        })
        .filter(|s| s.chars().count() <= MAX_CHARS)
}

fn categories(dom: &Dom, ld: &JsonLd, zone: &Zone) -> Vec<String> {
    let mut out = ld.sections.clone();
    if out.is_empty() {
        out = meta_tags::all(dom, meta_tags::SECTION);
    }
    if out.is_empty() {
        out = link_texts(dom, zone, flags::REL_CATEGORY);
    }
    dedup_list(out)
}

fn tags(dom: &Dom, ld: &JsonLd, zone: &Zone) -> Vec<String> {
    let mut out = meta_tags::all(dom, meta_tags::TAGS);
    if out.is_empty() {
        out = ld.keywords.clone();
    }
    if out.is_empty() {
        out = meta_tags::all(dom, meta_tags::TAG_LISTS)
            .iter()
            .flat_map(|v| v.split(',').filter_map(clean_value))
            .collect();
    }
    if out.is_empty() {
        out = link_texts(dom, zone, flags::REL_TAG);
    }
    dedup_list(out)
}

/// The texts of `rel="tag"` or `rel="category"` links outside sidebars and teasers (a link
/// marked `rel="category tag"` is a category, not a tag).
fn link_texts(dom: &Dom, zone: &Zone, flag: u16) -> Vec<String> {
    dom.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.flags & flag != 0
                && (flag == flags::REL_CATEGORY || n.flags & flags::REL_CATEGORY == 0)
        })
        .filter(|(i, _)| !zone.is_foreign(dom, *i))
        .filter_map(|(i, _)| clean_value(&dom.inner_text(i)))
        .filter(|t| t.chars().count() <= 80)
        .collect()
}

fn dedup_list(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&item)) {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_made_absolute() {
        let base = Some("https://x.org/news/story.html");
        assert_eq!(absolute("/a.jpg", base), "https://x.org/a.jpg");
        assert_eq!(absolute("b.jpg", base), "https://x.org/news/b.jpg");
        assert_eq!(
            absolute("//cdn.x.org/c.jpg", base),
            "https://cdn.x.org/c.jpg"
        );
        assert_eq!(absolute("https://y.org/d", base), "https://y.org/d");
        assert_eq!(absolute("/a.jpg", None), "/a.jpg");
    }
}
