//! Title: the headline, without the " | Site Name" suffix that `<title>` and `og:title`
//! often carry.

use super::text::collapse;
use crate::parse::dom::{Dom, Tag};

/// The headline: the longest `<h1>`–`<h3>` that the `<title>`, `og:title` or the structured
/// headline (JSON-LD, microdata) contains and that is a good share of it (so a blog-name
/// `<h1>` does not win over the post's `<h3>`), else the structured headline, else `og:title`,
/// else the `<title>`, each without its site-name part, else the first `<h1>`.
pub fn title(dom: &Dom, heading_share: f64, structured: Option<&str>) -> Option<String> {
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
    let headings: Vec<(u8, String)> = dom
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match n.tag {
            Tag::H(level @ 1..=3) => Some((level, i)),
            _ => None,
        })
        .take(30)
        .map(|(level, i)| {
            (
                level,
                strip_permalink(&collapse(&dom.inner_text(i))).to_string(),
            )
        })
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let structured = structured.map(collapse).filter(|t| !t.is_empty());
    let titles: Vec<String> = [&og, &html_title, &structured]
        .iter()
        .filter_map(|t| t.as_ref().map(|t| t.to_lowercase()))
        .collect();
    // A heading is confirmed when a title contains it and is at least `heading_share` of it.
    let confirmed = headings
        .iter()
        .filter(|(_, h)| {
            let h_low = h.to_lowercase();
            let len = h_low.chars().count();
            titles.iter().any(|t| {
                t.contains(&h_low) && len as f64 + 1e-9 >= heading_share * t.chars().count() as f64
            })
        })
        .max_by_key(|(level, h)| (h.chars().count(), std::cmp::Reverse(*level)))
        .map(|(_, h)| h.clone());
    confirmed
        .or(structured.map(|t| strip_site_suffix(&t)))
        .or(og.map(|t| strip_site_suffix(&t)))
        .or(html_title.map(|t| strip_site_suffix(&t)))
        .or(headings.into_iter().find(|(l, _)| *l == 1).map(|(_, h)| h))
}

/// Drops a trailing permalink mark ("Heading¶", "Heading #").
pub fn strip_permalink(heading: &str) -> &str {
    heading.trim_end_matches(['¶', '#', '§', '🔗']).trim_end()
}

const SEPARATORS: [&str; 7] = [" | ", " - ", " – ", " — ", " :: ", " · ", " » "];

/// "Headline | Site" → "Headline": splits on the usual separators and keeps the longest part,
/// since the site name is almost always the shorter one.
pub fn strip_site_suffix(title: &str) -> String {
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

/// "Headline | Site" → "Site": the last part after a separator, when it is short (a name, not
/// a second half of the headline).
pub fn site_part(title: &str) -> Option<String> {
    SEPARATORS.iter().find_map(|sep| {
        let (_, last) = title.rsplit_once(sep)?;
        let last = last.trim();
        let words = last.split_whitespace().count();
        (words > 0 && words <= 4 && last.chars().count() < title.chars().count() / 2)
            .then(|| last.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_of(html: &str) -> Option<String> {
        title(
            &crate::parse::parse(html, 512, crate::deadline::Deadline::NONE),
            0.3,
            None,
        )
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
