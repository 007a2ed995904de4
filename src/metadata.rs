//! Metadata: the page title (the headline, without the " | Site Name" suffix) and language.
//! Fuller metadata (author, dates, site, categories) builds on this.

use crate::parse::dom::{Dom, Tag};

/// The headline: an `<h1>` that the `<title>` or `og:title` confirms, else `og:title`, else the
/// `<title>` without its site-name part, else the first `<h1>`.
pub fn title(dom: &Dom) -> Option<String> {
    let og = dom
        .meta("og:title")
        .or_else(|| dom.meta("twitter:title"))
        .map(collapse);
    let html_title = dom
        .nodes
        .iter()
        .position(|n| n.tag == Tag::Title)
        .map(|i| collapse(&dom.inner_text(i)))
        .filter(|t| !t.is_empty());
    let h1s: Vec<String> = dom
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.tag == Tag::H(1))
        .take(5)
        .map(|(i, _)| collapse(&dom.inner_text(i)))
        .filter(|t| !t.is_empty())
        .collect();
    let confirmed = h1s.iter().find(|h| {
        let h = h.to_lowercase();
        [&og, &html_title]
            .iter()
            .any(|t| t.as_ref().is_some_and(|t| t.to_lowercase().contains(&h)))
    });
    confirmed
        .cloned()
        .or(og.map(|t| strip_site_suffix(&t)))
        .or(html_title.map(|t| strip_site_suffix(&t)))
        .or(h1s.into_iter().next())
}

/// "Headline | Site" → "Headline": splits on the usual separators and keeps the longest part,
/// since the site name is almost always the shorter one.
fn strip_site_suffix(title: &str) -> String {
    const SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", " · "];
    for sep in SEPARATORS {
        if title.contains(sep) {
            let longest = title
                .split(sep)
                .max_by_key(|p| p.chars().count())
                .unwrap_or(title);
            if longest.chars().count() >= 10 {
                return longest.trim().to_string();
            }
        }
    }
    title.trim().to_string()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `<html lang>` (language detection from the text comes with fuller metadata).
pub fn language(dom: &Dom) -> Option<String> {
    dom.lang.clone().filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_of(html: &str) -> Option<String> {
        title(&Dom::from_html(&scraper::Html::parse_document(html)))
    }

    #[test]
    fn confirmed_h1_wins() {
        let t = title_of("<title>Big News Today | The Daily</title><h1>Big News Today</h1>");
        assert_eq!(t.as_deref(), Some("Big News Today"));
    }

    #[test]
    fn site_suffix_is_stripped() {
        let t = title_of("<title>A headline about things - Example Site</title><h1>Menu</h1>");
        assert_eq!(t.as_deref(), Some("A headline about things"));
    }
}
