//! Tuning rules: the extractor's thresholds and pattern tables, one file per stage in
//! `rules/`, compiled in. They are tuning, not settings: they change between versions as the
//! extractor is tuned, and only tuning runs override them ([`Config::with_rules`]).
//!
//! [`Config::with_rules`]: crate::Config::with_rules

use serde::Deserialize;

use crate::config::Mode;
use crate::error::Error;

/// The files of `rules/`, in pipeline order. Each holds its own top-level tables.
const BUILT_IN: [(&str, &str); 5] = [
    ("rules/decode.toml", include_str!("../rules/decode.toml")),
    ("rules/clean.toml", include_str!("../rules/clean.toml")),
    ("rules/score.toml", include_str!("../rules/score.toml")),
    ("rules/select.toml", include_str!("../rules/select.toml")),
    ("rules/paragraphs.toml", include_str!("../rules/paragraphs.toml")),
];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub decode: DecodeRules,
    pub clean: CleanRules,
    pub score: ScoreRules,
    pub select: SelectRules,
    pub paragraphs: ParagraphRules,
}

impl Default for Rules {
    #[allow(clippy::expect_used)] // built in and parsed by every test: cannot fail at run time
    fn default() -> Rules {
        Rules::with_overrides("built-in rules", "").expect("the built-in rules are valid")
    }
}

impl Rules {
    /// The built-in rules with `overrides` (TOML, any subset of the keys) deep-merged over them.
    pub fn with_overrides(source_name: &str, overrides: &str) -> Result<Rules, Error> {
        let err = |name: &str, e: &dyn std::fmt::Display| Error::Config {
            source_name: name.to_string(),
            message: e.to_string(),
        };
        let mut merged = toml::Table::new();
        for (name, text) in BUILT_IN {
            let table: toml::Table = text.parse().map_err(|e| err(name, &e))?;
            merge(&mut merged, table);
        }
        let user: toml::Table = overrides.parse().map_err(|e| err(source_name, &e))?;
        merge(&mut merged, user);
        toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| err(source_name, &e))
    }
}

mod pattern_set;

pub use pattern_set::PatternSet;

/// `pattern` with ASCII word boundaries: a Unicode `\b` makes the lazy DFA give up on
/// non-ASCII text and the search fall back to the slow NFA engine.
pub fn ascii_word_boundaries(pattern: &str) -> String {
    pattern.replace("\\b", "(?-u:\\b)")
}

/// Compiles the patterns of `clean.<name>` into one case-insensitive set, each pattern put
/// in `shape` first (anchored to the whole line, say). `\b` is an ASCII word boundary:
/// Unicode ones keep the regex crate off its fast DFA for any text with a non-ASCII letter,
/// and at the edges of the listed words ASCII boundaries serve. The patterns are parsed (and
/// so checked) here; each is compiled when a text first needs it (see [`PatternSet`]).
pub fn pattern_set(
    name: &str,
    patterns: &[String],
    shape: impl Fn(&str) -> String,
) -> Result<PatternSet, Error> {
    let err = |message: String| Error::Config {
        source_name: format!("rules: clean.{name}"),
        message,
    };
    let parse = |p: &String| {
        regex_syntax::parse(&format!("(?i){}", shape(&ascii_word_boundaries(p))))
            .map_err(|e| e.to_string())
    };
    let hirs = patterns
        .iter()
        .map(parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    PatternSet::new(hirs).map_err(err)
}

/// Deep-merges `over` into `base`: tables merge key by key, any other value replaces.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecodeRules {
    pub prescan_bytes: usize,
    pub detect_bytes: usize,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternRow {
    pub pattern: String,
    /// The row's reason, for the reader of the rules file (and explain).
    #[allow(dead_code)]
    pub why: String,
    #[serde(default)]
    pub comments: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanRules {
    pub max_removed_share: f64,
    pub comments_outside_ratio: f64,
    pub comments_article_bytes: u32,
    pub thread_url_paths: Vec<String>,
    pub forum_generators: Vec<String>,
    pub pattern_prose_bytes: u32,
    pub pattern_prose_max_link_share: f64,
    pub article_mark_bytes: u32,
    pub clutter_line_max_chars: u32,
    pub boilerplate: Vec<PatternRow>,
    pub positive_hints: Vec<String>,
    pub negative_hints: Vec<String>,
    pub boilerplate_lines: Vec<String>,
    pub clutter_section_headings: Vec<String>,
    pub comment_section_headings: Vec<String>,
    pub photo_credit: String,
    pub date_line_max_words: u32,
    pub date_patterns: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRules {
    pub link_penalty: f64,
    pub block_cost: f64,
    pub sentence_bonus: f64,
    pub article_weight: f64,
    pub main_weight: f64,
    pub content_mark_weight: f64,
    pub positive_weight: f64,
    pub negative_weight: f64,
    pub min_container_score: f64,
    pub link_light_share: f64,
}

/// Selecting blocks: the title heading, carousel repeats, and one table of block
/// thresholds per mode.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectRules {
    pub drop_title_heading: bool,
    pub title_heading_share: f64,
    pub repeat_min_distance: usize,
    pub repeat_min_chars: u32,
    pub precision: ModeRules,
    pub balanced: ModeRules,
    pub recall: ModeRules,
}

impl SelectRules {
    pub fn for_mode(&self, mode: Mode) -> &ModeRules {
        match mode {
            Mode::Precision => &self.precision,
            Mode::Balanced => &self.balanced,
            Mode::Recall => &self.recall,
        }
    }
}

/// jusText-style block classification thresholds for one mode.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeRules {
    pub length_low: usize,
    pub length_high: usize,
    pub max_link_density: f64,
    pub edges_are_bad: bool,
    pub max_heading_distance: usize,
    pub keep_near_good: bool,
    pub listing_below_share: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParagraphRules {
    pub wrapped_line_min_chars: usize,
    pub headline_max_words: usize,
    pub section_heading_max_chars: u32,
    pub comment_heading_max_chars: u32,
    pub story_max_link_share: f64,
    pub text_length_low: usize,
    pub stop_words_low: f64,
    pub stop_words_min_words: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_parse() {
        let r = Rules::default();
        assert!(r.clean.boilerplate.iter().any(|row| row.pattern == "cookie*"));
        assert!(r.select.drop_title_heading);
    }

    #[test]
    fn overrides_change_one_key_and_unknown_keys_name_the_file() {
        let r = Rules::with_overrides("t.toml", "[select.balanced]\nlength_low = 7").unwrap();
        assert_eq!(r.select.balanced.length_low, 7);
        assert_eq!(r.select.precision.length_low, Rules::default().select.precision.length_low);
        let e = Rules::with_overrides("t.toml", "[score]\nlink_penalt = 1").unwrap_err();
        assert!(e.to_string().contains("t.toml"), "{e}");
    }
}
