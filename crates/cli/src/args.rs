//! The command line's choices as clap sees them, and the one config file read into the
//! settings of each crate.

use std::path::Path;

use gleaner::Mode;
use gleaner_batch::BatchConfig;
use gleaner_batch::input::InputFormat;
use gleaner_batch::output::Format;
use gleaner_fetch::FetchConfig;
use gleaner_serve::ServeConfig;

/// The tables a config file may hold (config.toml documents them all).
const TABLES: [&str; 5] = ["extract", "limits", "batch", "fetch", "serve"];

/// Every setting, from `--config FILE` or the built-in defaults.
pub struct Settings {
    pub extractor: gleaner::Config,
    pub batch: BatchConfig,
    pub fetch: FetchConfig,
    pub serve: ServeConfig,
}

impl Settings {
    pub fn load(path: Option<&Path>) -> anyhow::Result<Settings> {
        let Some(path) = path else {
            return Ok(Settings {
                extractor: gleaner::Config::default(),
                batch: BatchConfig::default(),
                fetch: FetchConfig::default(),
                serve: ServeConfig::default(),
            });
        };
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{name}: cannot read config: {e}"))?;
        gleaner_batch::settings::check_tables(&name, &text, &TABLES)?;
        Ok(Settings {
            extractor: gleaner::Config::from_toml(&name, &text)?,
            batch: BatchConfig::from_toml(&name, &text)?,
            fetch: FetchConfig::from_toml(&name, &text)?,
            serve: ServeConfig::from_toml(&name, &text)?,
        })
    }
}

/// `--mode`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ModeArg {
    Precision,
    Balanced,
    Recall,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Precision => Mode::Precision,
            ModeArg::Balanced => Mode::Balanced,
            ModeArg::Recall => Mode::Recall,
        }
    }
}

/// `--format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum FormatArg {
    Text,
    Markdown,
    Json,
    Jsonl,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

/// `--input-format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum InputFormatArg {
    /// One web page per file.
    Html,
    /// WARC/1.0 or 1.1 records, plain or gzip per record (Common Crawl's `.warc.gz`).
    Warc,
    /// One JSON object per line: `{"id", "url", "html"}` or `html_base64`, or `text` for
    /// text that was scraped already.
    Jsonl,
    /// Plain text scraped already (`.txt`): cleaned by the paragraph classifier.
    Text,
}

impl From<InputFormatArg> for InputFormat {
    fn from(f: InputFormatArg) -> InputFormat {
        match f {
            InputFormatArg::Html => InputFormat::Html,
            InputFormatArg::Warc => InputFormat::Warc,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
            InputFormatArg::Text => InputFormat::Text,
        }
    }
}
