//! Class/id token patterns: the boilerplate table and the positive/negative container hints
//! from `config.toml`, compiled once into lookups that cost a few hash probes per element.

use std::collections::HashMap;

use crate::config::CleanConfig;

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
    by_first_word: HashMap<String, Vec<Vec<Word>>>,
    /// Patterns whose first word is a prefix: tried on every token.
    prefixed: Vec<Vec<Word>>,
    positive: Vec<String>,
    negative: Vec<String>,
}

impl Patterns {
    pub fn new(cfg: &CleanConfig) -> Patterns {
        let mut by_first_word: HashMap<String, Vec<Vec<Word>>> = HashMap::new();
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
            match words.first() {
                None => {}
                Some(first) if first.prefix => prefixed.push(words),
                Some(first) => by_first_word
                    .entry(first.text.clone())
                    .or_default()
                    .push(words),
            }
        }
        Patterns {
            by_first_word,
            prefixed,
            positive: cfg.positive_hints.clone(),
            negative: cfg.negative_hints.clone(),
        }
    }

    /// True when the tokens (class and id words, in order) contain a boilerplate pattern.
    pub fn is_boilerplate(&self, tokens: &[&str]) -> bool {
        tokens.iter().enumerate().any(|(i, token)| {
            let rest = &tokens[i..];
            self.by_first_word
                .get(*token)
                .is_some_and(|ps| ps.iter().any(|p| matches_at(p, rest)))
                || self.prefixed.iter().any(|p| matches_at(p, rest))
        })
    }

    /// +1 for a Readability-positive token, -1 for a negative one, 0 for neither or both.
    pub fn hint_weight(&self, tokens: &[&str]) -> i8 {
        let pos = tokens.iter().any(|t| self.positive.iter().any(|p| p == t));
        let neg = tokens.iter().any(|t| self.negative.iter().any(|n| n == t));
        pos as i8 - neg as i8
    }
}

fn matches_at(pattern: &[Word], tokens: &[&str]) -> bool {
    pattern.len() <= tokens.len() && pattern.iter().zip(tokens).all(|(w, t)| w.matches(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns() -> Patterns {
        Patterns::new(&crate::config::Config::default().clean)
    }

    #[test]
    fn tokens_match_whole_words_not_substrings() {
        let p = patterns();
        assert!(p.is_boilerplate(&["cookie", "notice"]));
        assert!(p.is_boilerplate(&["widget", "recent", "posts"]));
        assert!(p.is_boilerplate(&["ad"]));
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
    fn hint_weights() {
        let p = patterns();
        assert_eq!(p.hint_weight(&["entry", "content"]), 1);
        assert_eq!(p.hint_weight(&["comment", "body"]), 0);
        assert_eq!(p.hint_weight(&["sidebar"]), -1);
    }
}
