//! Settings: the `[batch]` table of config.toml, and the helpers every front end uses to
//! read its own table of the one config file.

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Batches (`[batch]` in config.toml): how far reading runs ahead, `--dedup`, line limits.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct BatchConfig {
    /// Records read ahead of the writer, per worker thread. Default: 64.
    pub queue_per_job: usize,
    /// ... and at most this many bytes of page data among them. Default: 128 MiB.
    pub queue_bytes: usize,
    /// `--dedup`: a paragraph kept on this many earlier pages of a host is dropped from its
    /// later pages. Default: 3.
    pub dedup_min_pages: u32,
    /// ... counting only paragraphs at least this many characters long. Default: 100.
    pub dedup_min_chars: usize,
    /// ... remembering at most this many (host, paragraph) pairs. Default: 1,048,576.
    pub dedup_max_entries: usize,
    /// The longest JSONL input line read, in bytes. Default: 192 MiB (three times the page
    /// limit, for JSON escaping).
    pub max_line_bytes: usize,
}

impl Default for BatchConfig {
    fn default() -> BatchConfig {
        BatchConfig {
            queue_per_job: 64,
            queue_bytes: 128 << 20,
            dedup_min_pages: 3,
            dedup_min_chars: 100,
            dedup_max_entries: 1 << 20,
            max_line_bytes: 192 << 20,
        }
    }
}

impl BatchConfig {
    /// The `[batch]` table of a config file; missing keys keep their defaults.
    pub fn from_toml(source_name: &str, text: &str) -> Result<BatchConfig, gleaner::Error> {
        table(source_name, text, "batch")
    }
}

/// Reads table `name` of a config file into `T` (missing keys keep their defaults; an
/// unknown key is an error naming the file and the table).
pub fn table<T: DeserializeOwned + Default>(
    source_name: &str,
    text: &str,
    name: &str,
) -> Result<T, gleaner::Error> {
    let err = |message: String| gleaner::Error::Config {
        source_name: source_name.to_string(),
        message,
    };
    let mut file: toml::Table = text.parse().map_err(|e| err(format!("{e}")))?;
    match file.remove(name) {
        None => Ok(T::default()),
        Some(value) => value.try_into().map_err(|e| err(format!("[{name}]: {e}"))),
    }
}

/// Checks that a config file has no tables but `known` ones (a misspelt `[limts]` would
/// otherwise be silently ignored).
pub fn check_tables(source_name: &str, text: &str, known: &[&str]) -> Result<(), gleaner::Error> {
    let err = |message: String| gleaner::Error::Config {
        source_name: source_name.to_string(),
        message,
    };
    let file: toml::Table = text.parse().map_err(|e| err(format!("{e}")))?;
    match file.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(err(format!(
            "unknown table [{unknown}] (known: {})",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG_TOML: &str = include_str!("../../../config.toml");

    #[test]
    fn config_toml_is_the_defaults() {
        assert_eq!(
            BatchConfig::from_toml("config.toml", CONFIG_TOML).unwrap(),
            BatchConfig::default()
        );
    }

    #[test]
    fn unknown_tables_and_keys_are_named() {
        let e = check_tables("my.toml", "[limts]\nx = 1", &["limits", "batch"]).unwrap_err();
        assert!(e.to_string().contains("[limts]"), "{e}");
        let e = BatchConfig::from_toml("my.toml", "[batch]\nqueue = 1").unwrap_err();
        assert!(
            e.to_string().contains("my.toml") && e.to_string().contains("queue"),
            "{e}"
        );
    }
}
