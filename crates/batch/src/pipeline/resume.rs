//! Resume (`--output FILE --resume`): learns which records FILE already holds, so that a
//! killed run goes on where it stopped. The writer only appends whole lines, so a kill
//! leaves at most one partial line at the end; it is cut off here and its record is done
//! again. A record is known by its `source` and `id` (kept as a 64-bit hash: 16 bytes of
//! memory per record done, not the ids themselves).

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, bail};
use serde_json::Value;

/// The records an earlier run wrote.
#[derive(Debug, Default)]
pub struct Done {
    keys: HashSet<u64>,
}

impl Done {
    /// Whether FILE already holds the record `id` of `source`.
    pub fn contains(&self, source: &str, id: &str) -> bool {
        !self.keys.is_empty() && self.keys.contains(&key(source, id))
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn key(source: &str, id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (source, id).hash(&mut h);
    h.finish()
}

/// Reads `path` (if it exists), cuts off a partial last line, and returns the records it
/// holds; `each` sees every whole record in order (for `--dedup` to replay). A line that is
/// not a gleaner record is an error: FILE is not this run's output.
pub fn load(path: &Path, mut each: impl FnMut(&Value)) -> anyhow::Result<Done> {
    let mut done = Done::default();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(e).with_context(|| format!("{}: cannot read", path.display())),
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = Vec::new();
    let mut whole_bytes = 0u64;
    let mut number = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        if n == 0 || !line.ends_with(b"\n") {
            break;
        }
        number += 1;
        let record: Value = serde_json::from_slice(&line).with_context(|| {
            format!(
                "{} line {number} is not JSON: not an output of gleaner --format jsonl",
                path.display()
            )
        })?;
        let (Some(source), Some(id)) = (record["source"].as_str(), record["id"].as_str()) else {
            bail!(
                "{} line {number} has no \"source\" and \"id\": not an output of gleaner --format jsonl",
                path.display()
            );
        };
        done.keys.insert(key(source, id));
        each(&record);
        whole_bytes += n as u64;
    }
    let file_len = std::fs::metadata(path)?.len();
    if file_len > whole_bytes {
        // The partial line a kill left behind: its record is done again.
        OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|f| f.set_len(whole_bytes))
            .with_context(|| format!("{}: cannot cut off the partial last line", path.display()))?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("gleaner-resume-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn whole_lines_count_and_a_partial_last_line_is_cut() {
        let path = temp(
            "partial",
            b"{\"id\":\"a\",\"source\":\"s\",\"text\":\"x\"}\n{\"id\":\"b\",\"source\":\"s\"}\n{\"id\":\"c\",\"sou",
        );
        let mut seen = Vec::new();
        let done = load(&path, |r| seen.push(r["id"].as_str().unwrap().to_string())).unwrap();
        assert_eq!(seen, ["a", "b"]);
        assert!(done.contains("s", "a") && done.contains("s", "b"));
        assert!(!done.contains("s", "c") && !done.contains("other", "a"));
        let left = std::fs::read_to_string(&path).unwrap();
        assert!(left.ends_with("\"source\":\"s\"}\n"), "{left:?}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_missing_file_is_a_fresh_start_and_a_foreign_file_an_error() {
        let missing = std::env::temp_dir().join("gleaner-resume-no-such-file.jsonl");
        assert!(load(&missing, |_| {}).unwrap().is_empty());
        let path = temp("foreign", b"hello world\n");
        let e = load(&path, |_| {}).unwrap_err().to_string();
        assert!(e.contains("line 1 is not JSON"), "{e}");
        std::fs::remove_file(path).unwrap();
    }
}
