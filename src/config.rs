//! Settings: what a library user chooses (the mode and the limits). `config.toml` documents
//! the same values as the front ends' settings file; the extractor's own tuning lives in
//! `rules/` (see [`crate::rules`]).

use std::sync::Arc;

use serde::Deserialize;

use crate::error::Error;
use crate::rules::Rules;

/// How an [`Extractor`](crate::Extractor) works: build one with `Config::default()` and change
/// the fields you need, or read a config file with [`Config::from_toml`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Config {
    /// How much to keep when a block is in doubt. Default: [`Mode::Balanced`].
    pub mode: Mode,
    /// What the text of an [`Extraction`](crate::Extraction) is written as. Default:
    /// [`Style::Text`].
    pub style: Style,
    /// Size and time limits on one page.
    pub limits: Limits,
    /// Decide each block with the learned model (`rules/blocks.model`, trained by
    /// `scripts/train.sh`) instead of the hand-written selection. Default: `false`; the model
    /// scores higher out of fold on `../shared/bench` but not yet on every `corpus/` page
    /// (README: Quality).
    pub learned: bool,
    /// The tuning rules (thresholds and pattern tables), compiled in from `rules/`.
    pub(crate) rules: Arc<Rules>,
    /// A block model in place of the built-in one (tuning runs: `eval --model FILE`).
    pub(crate) model: Option<Arc<str>>,
}

/// How much to keep when a block is in doubt.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Mode {
    /// Only blocks that look like running text: less clutter, may lose short lines; listing
    /// pages give nothing.
    Precision,
    /// jusText-style context decides short blocks. The default.
    #[default]
    Balanced,
    /// Everything inside the main content except link lists and known clutter.
    Recall,
}

impl Mode {
    /// Every mode, in the order of how much it keeps.
    pub const ALL: [Mode; 3] = [Mode::Precision, Mode::Balanced, Mode::Recall];

    /// The mode's name: `"precision"`, `"balanced"` or `"recall"`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Precision => "precision",
            Mode::Balanced => "balanced",
            Mode::Recall => "recall",
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Mode {
    type Err = Error;

    /// Parses a mode's name, case-insensitively.
    fn from_str(s: &str) -> Result<Mode, Error> {
        Mode::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| Error::Config {
                source_name: "mode".into(),
                message: format!("unknown mode {s:?} (precision, balanced or recall)"),
            })
    }
}

/// What the extracted text is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Style {
    /// Plain text: one paragraph per line, a blank line between blocks; list items and table
    /// rows on consecutive lines ("- item", cells joined " | "). The default.
    #[default]
    Text,
    /// Markdown: heading marks, emphasis, code fences, quote marks and table rules besides.
    Markdown,
}

/// Size and time limits on one page (`[limits]` in config.toml).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Limits {
    /// Larger inputs are cut to this many bytes before decoding, and the result says
    /// `truncated`. Default: 64 MiB.
    pub max_page_bytes: usize,
    /// Elements that open deeper than this become siblings at this depth, as in browsers
    /// (Blink: 512): html5ever's tree builder is quadratic in depth without it. Default: 512.
    pub max_nesting: usize,
    /// The time budget of one page, in milliseconds (0: none). It applies when the
    /// [`PageInfo`](crate::PageInfo) sets no deadline of its own. Default: 2000.
    pub time_budget_ms: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_page_bytes: 64 << 20,
            max_nesting: 512,
            time_budget_ms: 2000,
        }
    }
}

/// The `[extract]` table of a config file.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct ExtractTable {
    mode: Mode,
    learned: bool,
}

impl Config {
    /// Reads the `[extract]` and `[limits]` tables of a config file (see config.toml); keys it
    /// leaves out keep their defaults, and an unknown key in those tables is an error naming
    /// `source_name`. The other tables (`[batch]`, `[fetch]`, `[serve]`) belong to the front
    /// ends, which read them from the same file.
    pub fn from_toml(source_name: &str, text: &str) -> Result<Config, Error> {
        let err = |message: String| Error::Config {
            source_name: source_name.to_string(),
            message,
        };
        let mut table: toml::Table = text.parse().map_err(|e| err(format!("{e}")))?;
        let mut section = |name: &str| {
            table
                .remove(name)
                .unwrap_or(toml::Value::Table(toml::Table::new()))
        };
        let extract: ExtractTable = section("extract")
            .try_into()
            .map_err(|e| err(format!("[extract]: {e}")))?;
        let limits: Limits = section("limits")
            .try_into()
            .map_err(|e| err(format!("[limits]: {e}")))?;
        Ok(Config {
            mode: extract.mode,
            learned: extract.learned,
            limits,
            ..Config::default()
        })
    }

    /// Reads a config file (see [`Config::from_toml`]).
    pub fn from_file(path: &std::path::Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            source_name: path.display().to_string(),
            message: e.to_string(),
        })?;
        Config::from_toml(&path.display().to_string(), &text)
    }

    /// This config with tuning rules from `overrides` (the TOML of `rules/`, any subset of
    /// its keys) in place of the built-in ones: for tuning runs, not a stable interface.
    #[doc(hidden)]
    pub fn with_rules(mut self, source_name: &str, overrides: &str) -> Result<Config, Error> {
        self.rules = Arc::new(Rules::with_overrides(source_name, overrides)?);
        Ok(self)
    }

    /// This config with the block model in `text` (the format of `rules/blocks.model`; empty
    /// text: no model, the rules decide alone) in place of the built-in one: for tuning runs
    /// and out-of-fold figures, not a stable interface.
    #[doc(hidden)]
    pub fn with_model(mut self, text: &str) -> Config {
        self.model = Some(text.into());
        self
    }

    /// The tuning rules this config carries.
    pub(crate) fn rules(&self) -> &Rules {
        &self.rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_toml_is_the_defaults() {
        let file = Config::from_toml("config.toml", include_str!("../config.toml")).unwrap();
        assert_eq!(file.mode, Config::default().mode);
        assert_eq!(file.limits, Limits::default());
    }

    #[test]
    fn a_file_overrides_one_key_and_keeps_the_rest() {
        let c = Config::from_toml("test", "[extract]\nmode = \"recall\"").unwrap();
        assert_eq!(c.mode, Mode::Recall);
        assert_eq!(c.limits, Limits::default());
    }

    #[test]
    fn unknown_keys_are_errors_that_name_the_file_and_table() {
        let e = Config::from_toml("my.toml", "[extract]\nmoed = \"recall\"").unwrap_err();
        let e = e.to_string();
        assert!(
            e.contains("my.toml") && e.contains("[extract]") && e.contains("moed"),
            "{e}"
        );
    }

    #[test]
    fn modes_parse_by_name() {
        assert_eq!("Precision".parse::<Mode>().unwrap(), Mode::Precision);
        assert!(
            "fast"
                .parse::<Mode>()
                .unwrap_err()
                .to_string()
                .contains("fast")
        );
        for m in Mode::ALL {
            assert_eq!(m.name().parse::<Mode>().unwrap(), m);
        }
    }
}
