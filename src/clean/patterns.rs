//! Class/id token patterns: the boilerplate table and the positive/negative container hints
//! from `config.toml`, compiled once into lookups that cost a few hash probes per element.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crate::rules::CleanRules;

/// What a boilerplate match is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clutter {
    /// Never content.
    Always,
    /// A comment section: content on forum pages, clutter after an article.
    Comments,
}

#[derive(Clone, Debug)]
struct Pattern {
    words: Vec<Word>,
    kind: Clutter,
}

/// One word of a pattern: exact, or a prefix when written with a trailing `*`.
#[derive(Clone, Debug)]
struct Word {
    text: String,
    prefix: bool,
}

impl Word {
    fn matches(&self, token: &str) -> bool {
        if self.prefix {
            token.starts_with(&self.text)
        } else {
            token == self.text
        }
    }
}

#[derive(Clone, Debug)]
pub struct Patterns {
    /// Patterns whose first word is exact, keyed by that word.
    by_first_word: HashMap<String, Vec<Pattern>, FixedState>,
    /// Patterns whose first word is a prefix: tried on every token.
    prefixed: Vec<Pattern>,
    /// For each first byte of a token (256: the empty token), the prefixed patterns that
    /// can start there, in table order: a token is tried against a few, not all thirty.
    prefixed_by_byte: Vec<Vec<usize>>,
    positive: Vec<String>,
    negative: Vec<String>,
}

impl Patterns {
    pub fn new(cfg: &CleanRules) -> Patterns {
        let mut by_first_word: HashMap<String, Vec<Pattern>, FixedState> = HashMap::default();
        let mut prefixed = Vec::new();
        for row in &cfg.boilerplate {
            let words: Vec<Word> = row
                .pattern
                .split_whitespace()
                .map(|w| Word {
                    text: w.trim_end_matches('*').to_lowercase(),
                    prefix: w.ends_with('*'),
                })
                .collect();
            let kind = if row.comments {
                Clutter::Comments
            } else {
                Clutter::Always
            };
            match words.first() {
                None => {}
                Some(first) if first.prefix => prefixed.push(Pattern { words, kind }),
                Some(first) => by_first_word
                    .entry(first.text.clone())
                    .or_default()
                    .push(Pattern { words, kind }),
            }
        }
        Patterns {
            by_first_word,
            prefixed_by_byte: by_first_byte(&prefixed),
            prefixed,
            positive: cfg.positive_hints.clone(),
            negative: cfg.negative_hints.clone(),
        }
    }

    /// The first boilerplate pattern the tokens (class and id words, in order) contain.
    pub fn boilerplate(&self, tokens: &[&str]) -> Option<Clutter> {
        tokens.iter().enumerate().find_map(|(i, token)| {
            let rest = &tokens[i..];
            self.by_first_word
                .get(*token)
                .and_then(|ps| ps.iter().find(|p| matches_at(&p.words, rest)))
                .or_else(|| {
                    let byte = token.as_bytes().first().map_or(256, |&b| usize::from(b));
                    self.prefixed_by_byte[byte]
                        .iter()
                        .map(|&i| &self.prefixed[i])
                        .find(|p| matches_at(&p.words, rest))
                })
                .map(|p| p.kind)
        })
    }

    #[cfg(test)]
    pub fn is_boilerplate(&self, tokens: &[&str]) -> bool {
        self.boilerplate(tokens).is_some()
    }

    /// +1 for a Readability-positive token, -1 for a negative one, 0 for neither or both.
    pub fn hint_weight(&self, tokens: &[&str]) -> i8 {
        let pos = tokens.iter().any(|t| self.positive.iter().any(|p| p == t));
        let neg = tokens.iter().any(|t| self.negative.iter().any(|n| n == t));
        pos as i8 - neg as i8
    }
}

/// Which prefixed patterns a token starting with each byte can match (an empty prefix
/// matches every token), in table order so that the first match stays the first.
fn by_first_byte(prefixed: &[Pattern]) -> Vec<Vec<usize>> {
    (0..=256)
        .map(|byte| {
            let starts = |p: &Pattern| match p.words.first().and_then(|w| w.text.as_bytes().first()) {
                None => true,
                Some(&b) => usize::from(b) == byte,
            };
            (0..prefixed.len()).filter(|&i| starts(&prefixed[i])).collect()
        })
        .collect()
}

fn matches_at(pattern: &[Word], tokens: &[&str]) -> bool {
    pattern.len() <= tokens.len() && pattern.iter().zip(tokens).all(|(w, t)| w.matches(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns() -> Patterns {
        Patterns::new(&crate::rules::Rules::default().clean)
    }

    #[test]
    fn tokens_match_whole_words_not_substrings() {
        let p = patterns();
        assert!(p.is_boilerplate(&["cookie", "notice"]));
        assert!(p.is_boilerplate(&["widget", "recent", "posts"]));
        assert!(p.is_boilerplate(&["ad"]));
        assert!(p.is_boilerplate(&["mod", "flyout"]));
        // "header", "thread", "download" contain "ad" but are not ad slots.
        assert!(!p.is_boilerplate(&["header", "thread", "download"]));
        assert!(!p.is_boilerplate(&["entry", "content"]));
    }

    #[test]
    fn multi_word_patterns_need_consecutive_tokens() {
        let p = patterns();
        assert!(p.is_boilerplate(&["sidebar", "recent", "posts"]));
        assert!(!p.is_boilerplate(&["recent", "x", "posts"]));
    }

    #[test]
    fn comment_containers_are_comment_sections_but_a_comment_icon_is_not() {
        let p = patterns();
        assert_eq!(p.boilerplate(&["comment", "box"]), Some(Clutter::Comments));
        assert_eq!(
            p.boilerplate(&["comment", "section"]),
            Some(Clutter::Comments)
        );
        assert_eq!(p.boilerplate(&["comment", "icon"]), None);
    }

    #[test]
    fn hint_weights() {
        let p = patterns();
        assert_eq!(p.hint_weight(&["entry", "content"]), 1);
        assert_eq!(p.hint_weight(&["comment", "body"]), 0);
        assert_eq!(p.hint_weight(&["sidebar"]), -1);
    }
}
