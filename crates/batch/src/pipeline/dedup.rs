//! Dedup (`--dedup`): drops paragraphs that many pages of the same host share: site-wide
//! boilerplate (a newsletter pitch, a legal notice, an author blurb) that no single page can
//! reveal, because on each page it looks like content. Like trafilatura's LRU test, the first
//! pages of a host keep such a paragraph; from the `dedup_min_pages`+1st page on it goes.
//! Counts live in a bounded LRU map, so memory stays flat over millions of pages.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::num::NonZeroUsize;

use lru::LruCache;

use crate::settings::BatchConfig;

pub struct Dedup {
    /// (host, paragraph) hash → number of pages of that host that kept the paragraph.
    pages_with: LruCache<u64, u32>,
    min_pages: u32,
    min_chars: usize,
}

impl Dedup {
    pub fn new(cfg: &BatchConfig) -> Dedup {
        Dedup {
            pages_with: LruCache::new(NonZeroUsize::new(cfg.dedup_max_entries.max(1)).unwrap()),
            min_pages: cfg.dedup_min_pages,
            min_chars: cfg.dedup_min_chars,
        }
    }

    /// Removes from `text` (a paragraph per line) the paragraphs already kept on
    /// `dedup_min_pages` earlier pages of `url`'s host, and counts the ones it keeps.
    /// Returns None when nothing was removed. Pages without a URL are left alone.
    pub fn filter(&mut self, url: Option<&str>, text: &str) -> Option<String> {
        let host = host(url)?;
        let mut kept = String::with_capacity(text.len());
        let mut counted = HashSet::new();
        let mut removed = false;
        for line in text.lines() {
            if let Some(key) = self.key(&host, line) {
                let pages = self.pages_with.get(&key).copied().unwrap_or(0);
                if pages >= self.min_pages {
                    removed = true;
                    continue;
                }
                counted.insert(key);
            }
            kept.push_str(line);
            kept.push('\n');
        }
        self.count(counted);
        removed.then(|| tidy_blank_lines(&kept))
    }

    /// Counts the paragraphs of a page written earlier (a resumed run replays its output,
    /// so that it drops the same paragraphs as an uninterrupted run).
    pub fn replay(&mut self, url: Option<&str>, text: &str) {
        let Some(host) = host(url) else {
            return;
        };
        let keys: HashSet<u64> = text.lines().filter_map(|l| self.key(&host, l)).collect();
        self.count(keys);
    }

    fn count(&mut self, keys: HashSet<u64>) {
        for key in keys {
            *self.pages_with.get_or_insert_mut(key, || 0) += 1;
        }
    }

    /// The paragraph's key, or None for paragraphs too short to judge.
    fn key(&self, host: &str, line: &str) -> Option<u64> {
        let line = line.trim();
        if line.chars().count() < self.min_chars {
            return None;
        }
        let mut h = DefaultHasher::new();
        (host, line).hash(&mut h);
        Some(h.finish())
    }
}

fn host(url: Option<&str>) -> Option<String> {
    let url = url::Url::parse(url?).ok()?;
    Some(url.host_str()?.to_ascii_lowercase())
}

/// After paragraphs are removed: no blank line at the ends, none doubled.
fn tidy_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_pending = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if blank_pending {
            out.push('\n');
            blank_pending = false;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTICE: &str = "Sign up for the Harbour Gazette newsletter: the week's stories from the waterfront, every Friday morning, free of charge.";

    fn dedup() -> Dedup {
        Dedup::new(&crate::BatchConfig::default())
    }

    fn page(n: usize) -> String {
        format!(
            "Story number {n} is about the harbour and its boats, and it is long enough to count as a paragraph of its own.\n\n{NOTICE}\n\nShort line"
        )
    }

    #[test]
    fn repeated_paragraph_goes_after_the_first_pages_of_a_host() {
        let mut d = dedup();
        let url = |n| format!("https://gazette.example/story/{n}");
        for n in 0..3 {
            assert_eq!(d.filter(Some(&url(n)), &page(n)), None, "page {n} keeps it");
        }
        let fourth = d
            .filter(Some(&url(3)), &page(3))
            .expect("removed on the fourth page");
        assert!(!fourth.contains("newsletter"), "{fourth}");
        assert!(fourth.starts_with("Story number 3"), "{fourth}");
        assert!(
            fourth.ends_with("\n\nShort line"),
            "one blank line, short lines kept: {fourth:?}"
        );
        // Another host has not seen it.
        assert_eq!(d.filter(Some("https://other.example/a"), &page(9)), None);
        // No URL, no host: left alone.
        assert_eq!(d.filter(None, &page(10)), None);
    }

    #[test]
    fn a_paragraph_repeated_within_one_page_counts_once() {
        let mut d = dedup();
        let text = format!("{NOTICE}\n{NOTICE}\n{NOTICE}\n{NOTICE}");
        assert_eq!(d.filter(Some("https://a.example/1"), &text), None);
        assert_eq!(d.filter(Some("https://a.example/2"), NOTICE), None);
    }

    #[test]
    fn replay_counts_like_filter() {
        let (mut a, mut b) = (dedup(), dedup());
        for n in 0..3 {
            let url = format!("https://gazette.example/{n}");
            a.filter(Some(&url), &page(n));
            b.replay(Some(&url), &page(n));
        }
        let url = Some("https://gazette.example/9");
        assert_eq!(a.filter(url, &page(9)), b.filter(url, &page(9)));
        assert!(b.filter(url, &page(10)).is_some());
    }
}
