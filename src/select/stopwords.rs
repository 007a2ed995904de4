//! Stop-word density: the share of a paragraph's words that are function words of its
//! language ("the", "of", "und", "que"). Running prose scores high, menus, product names and
//! link lists score low: the strongest single signal of jusText (Pomikálek 2011, §3.2).
//! Word lists come from the `stop-words` crate (NLTK's lists); the language from `whatlang`.

use std::collections::{HashMap, HashSet};

/// One language's stop words. foldhash, not SipHash: the sets are fixed, only looked up, and
/// the lookups (one per word of every block) were a tenth of the learned model's cost.
pub type WordSet = HashSet<&'static str, foldhash::fast::FixedState>;

/// whatlang's ISO 639-3 codes mapped to the ISO 639-1 codes of the NLTK lists.
const LANGUAGES: &[(&str, &str)] = &[
    ("eng", "en"),
    ("deu", "de"),
    ("fra", "fr"),
    ("spa", "es"),
    ("ita", "it"),
    ("nld", "nl"),
    ("por", "pt"),
    ("rus", "ru"),
    ("swe", "sv"),
    ("dan", "da"),
    ("fin", "fi"),
    ("nob", "no"),
    ("hun", "hu"),
    ("tur", "tr"),
    ("ron", "ro"),
    ("ell", "el"),
    ("ind", "id"),
    ("cat", "ca"),
    ("slv", "sl"),
    ("ara", "ar"),
    ("heb", "he"),
    ("aze", "az"),
    ("kaz", "kk"),
    ("bel", "be"),
    ("uzb", "uz"),
    ("tgk", "tg"),
    ("nep", "ne"),
    ("tam", "ta"),
    ("ben", "bn"),
];

/// Text sampled for language detection: enough for a confident guess, cheap on long input.
const DETECTION_SAMPLE_BYTES: usize = 4096;

pub struct StopWords {
    by_language: HashMap<&'static str, WordSet>,
}

impl StopWords {
    pub fn new() -> StopWords {
        let by_language = LANGUAGES
            .iter()
            .filter_map(|&(iso3, iso1)| {
                let words = stop_words::lookup(iso1)?;
                Some((iso3, words.iter().copied().collect()))
            })
            .collect();
        StopWords { by_language }
    }

    /// The stop words of the language `text` is written in, when it has a list.
    pub fn for_text(&self, text: &str) -> Option<&WordSet> {
        let mut end = text.len().min(DETECTION_SAMPLE_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let info = whatlang::detect(&text[..end])?;
        self.by_language.get(info.lang().code())
    }
}

impl StopWords {
    /// The stop words of one paragraph's language, when whatlang is sure of it.
    pub fn for_paragraph(&self, text: &str) -> Option<&WordSet> {
        let info = whatlang::detect(text).filter(whatlang::Info::is_reliable)?;
        self.by_language.get(info.lang().code())
    }
}

impl Default for StopWords {
    fn default() -> Self {
        StopWords::new()
    }
}

/// The share of `text`'s words that are in `stop_words`, and the number of words.
pub fn density(stop_words: &WordSet, text: &str) -> (f64, usize) {
    density_with(stop_words, text, &mut String::new())
}

/// [`density`], lower-casing each word into `lower` (a buffer the caller reuses, so a page of
/// blocks costs no allocation per word).
pub fn density_with(
    stop_words: &WordSet,
    text: &str,
    lower: &mut String,
) -> (f64, usize) {
    let mut words = 0usize;
    let mut stops = 0usize;
    for word in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
        if word.is_empty() {
            continue;
        }
        words += 1;
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        if stop_words.contains(lower.as_str()) {
            stops += 1;
        }
    }
    if words == 0 {
        (0.0, 0)
    } else {
        (stops as f64 / words as f64, words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_dense_in_stop_words_and_menus_are_not() {
        let sw = StopWords::new();
        let prose = "The council voted on Tuesday to close the old bridge to traffic, citing a \
                     report that found serious corrosion in its steel supports.";
        let list = sw.for_text(prose).expect("English has a list");
        assert!(density(list, prose).0 > 0.3);
        assert!(density(list, "Home News Sport Weather Business Technology Science").0 < 0.1);
        let german = "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für den \
                      Verkehr zu schließen, weil sie nicht mehr sicher ist.";
        assert!(density(sw.for_text(german).expect("German has a list"), german).0 > 0.3);
    }
}
