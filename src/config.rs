//! Settings: the root `config.toml` is compiled in as the defaults; a user file overrides keys.

use serde::Deserialize;

use crate::error::Error;

/// The documented defaults, exactly as shipped in the repository's `config.toml`.
pub const DEFAULT_TOML: &str = include_str!("../config.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub extract: ExtractConfig,
    pub limits: LimitsConfig,
    pub decode: DecodeConfig,
    pub clean: CleanConfig,
    pub score: ScoreConfig,
    pub select: SelectModes,
    pub paragraphs: ParagraphsConfig,
    pub fetch: FetchConfig,
    pub batch: BatchConfig,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Precision,
    #[default]
    Balanced,
    Recall,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractConfig {
    pub mode: Mode,
    pub drop_title_heading: bool,
    pub title_heading_share: f64,
    pub repeat_min_distance: usize,
    pub repeat_min_chars: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    pub max_page_bytes: usize,
    pub max_nesting: usize,
    pub time_budget_ms: u64,
    pub max_line_bytes: usize,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParagraphsConfig {
    pub wrapped_line_min_chars: usize,
    pub headline_max_words: usize,
    pub section_heading_max_chars: u32,
    pub comment_heading_max_chars: u32,
    pub story_max_link_share: f64,
    pub text_length_low: usize,
    pub stop_words_low: f64,
    pub stop_words_min_words: usize,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchConfig {
    pub queue_per_job: usize,
    pub queue_bytes: usize,
    pub dedup_min_pages: u32,
    pub dedup_min_chars: usize,
    pub dedup_max_entries: usize,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecodeConfig {
    pub prescan_bytes: usize,
    pub detect_bytes: usize,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternRow {
    pub pattern: String,
    pub why: String,
    #[serde(default)]
    pub comments: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanConfig {
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
pub struct ScoreConfig {
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

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectModes {
    pub precision: SelectConfig,
    pub balanced: SelectConfig,
    pub recall: SelectConfig,
}

/// jusText-style block classification thresholds for one mode.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectConfig {
    pub length_low: usize,
    pub length_high: usize,
    pub max_link_density: f64,
    pub edges_are_bad: bool,
    pub max_heading_distance: usize,
    pub keep_near_good: bool,
    pub listing_below_share: f64,
}

/// Fetching URLs: politeness, retries and limits (see `[fetch]` in config.toml).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchConfig {
    pub user_agent: String,
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    pub per_host_delay_secs: f64,
    pub max_crawl_delay_secs: f64,
    pub obey_robots: bool,
    pub max_robots_bytes: usize,
    pub tries: u32,
    pub backoff_base_secs: f64,
    pub backoff_max_secs: f64,
    pub max_retry_after_secs: f64,
    pub connect_timeout_secs: f64,
    pub timeout_secs: f64,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    pub content_types: Vec<String>,
}

impl FetchConfig {
    /// The User-Agent header, with `{version}` replaced by this build's version.
    pub fn user_agent(&self) -> String {
        self.user_agent
            .replace("{version}", env!("CARGO_PKG_VERSION"))
    }

    /// The name robots.txt groups are matched against: the user agent's first word, up to
    /// its '/' (RFC 9309 matches the product token, not the whole header).
    pub fn robots_agent(&self) -> String {
        let ua = self.user_agent();
        ua.split(|c: char| c == '/' || c.is_whitespace())
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

impl SelectModes {
    pub fn for_mode(&self, mode: Mode) -> &SelectConfig {
        match mode {
            Mode::Precision => &self.precision,
            Mode::Balanced => &self.balanced,
            Mode::Recall => &self.recall,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::from_toml("built-in config.toml", "").expect("the built-in config.toml is valid")
    }
}

impl Config {
    /// Reads a user config file: its keys override the built-in defaults.
    pub fn from_file(path: &std::path::Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            source_name: path.display().to_string(),
            message: e.to_string(),
        })?;
        Config::from_toml(&path.display().to_string(), &text)
    }

    /// Parses `overrides` (TOML) on top of the built-in defaults.
    pub fn from_toml(source_name: &str, overrides: &str) -> Result<Config, Error> {
        let err = |message: String| Error::Config {
            source_name: source_name.to_string(),
            message,
        };
        let mut merged: toml::Table = DEFAULT_TOML.parse().map_err(|e| err(format!("{e}")))?;
        let user: toml::Table = overrides.parse().map_err(|e| err(format!("{e}")))?;
        merge(&mut merged, user);
        toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| err(e.to_string()))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_defaults_parse() {
        let c = Config::default();
        assert_eq!(c.extract.mode, Mode::Balanced);
        assert!(c.clean.boilerplate.iter().any(|r| r.pattern == "cookie*"));
    }

    #[test]
    fn user_file_overrides_one_key_and_keeps_the_rest() {
        let c = Config::from_toml("test", "[extract]\nmode = \"recall\"").unwrap();
        assert_eq!(c.extract.mode, Mode::Recall);
        assert!(c.extract.drop_title_heading);
    }

    #[test]
    fn default_user_agent_names_gleaner_and_its_version() {
        let fetch = Config::default().fetch;
        let ua = fetch.user_agent();
        assert!(
            ua.starts_with(&format!("gleaner/{}", env!("CARGO_PKG_VERSION"))),
            "{ua}"
        );
        assert_eq!(fetch.robots_agent(), "gleaner");
    }

    #[test]
    fn unknown_keys_are_errors_that_name_the_file() {
        let e = Config::from_toml("my.toml", "[extract]\nmoed = \"recall\"").unwrap_err();
        assert!(e.to_string().contains("my.toml"), "{e}");
    }
}
