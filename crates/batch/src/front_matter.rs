//! Metadata headers for the text formats: a YAML front-matter block for Markdown, and
//! `title:`/`author:`/`date:` lines for plain text (`--with-metadata`).

// Input-derived data: no indexing or string slicing that could panic on a hostile page.
#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use gleaner::Metadata;

/// A YAML front-matter block (`---` … `---`) with the fields the page has. Strings are
/// written as double-quoted scalars (JSON string syntax is valid YAML), lists in flow style.
pub fn yaml(meta: &Metadata) -> String {
    let mut out = String::from("---\n");
    let mut scalar = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            out.push_str(&format!("{key}: {}\n", quoted(v)));
        }
    };
    scalar("title", meta.title.as_deref());
    scalar("date", meta.date.as_deref());
    scalar("date_modified", meta.date_modified.as_deref());
    scalar("sitename", meta.sitename.as_deref());
    scalar("description", meta.description.as_deref());
    scalar("language", meta.language.as_deref());
    scalar("url", meta.canonical_url.as_deref());
    scalar("image", meta.image.as_deref());
    scalar("page_type", Some(meta.page_type.as_str()));
    for (key, items) in [
        ("authors", &meta.authors),
        ("categories", &meta.categories),
        ("tags", &meta.tags),
    ] {
        if !items.is_empty() {
            let list: Vec<String> = items.iter().map(|i| quoted(i)).collect();
            out.push_str(&format!("{key}: [{}]\n", list.join(", ")));
        }
    }
    out.push_str("---\n");
    out
}

/// Plain-text header lines: "title: …", "author: …" (several joined by "; "), "date: …".
pub fn lines(meta: &Metadata) -> String {
    let mut out = String::new();
    if let Some(t) = &meta.title {
        out.push_str(&format!("title: {t}\n"));
    }
    if !meta.authors.is_empty() {
        out.push_str(&format!("author: {}\n", meta.authors.join("; ")));
    }
    if let Some(d) = &meta.date {
        out.push_str(&format!("date: {d}\n"));
    }
    out
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_quotes_values_and_skips_missing_ones() {
        let mut meta = Metadata::default();
        meta.title = Some("Cats: a \"study\"".into());
        meta.authors = vec!["Ann Lee".into(), "Bo Ek".into()];
        meta.date = Some("2024-01-05".into());
        assert_eq!(
            yaml(&meta),
            "---\ntitle: \"Cats: a \\\"study\\\"\"\ndate: \"2024-01-05\"\npage_type: \"other\"\n\
             authors: [\"Ann Lee\", \"Bo Ek\"]\n---\n"
        );
        assert_eq!(
            lines(&meta),
            "title: Cats: a \"study\"\nauthor: Ann Lee; Bo Ek\ndate: 2024-01-05\n"
        );
    }
}
