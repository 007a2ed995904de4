//! The pages of a `../shared/bench/<dataset>` folder (html/<id>.html.gz, URLs from
//! truth.jsonl), loaded into memory in id order; shared by the `eval` and `bench` binaries.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;

pub struct BenchPage {
    pub id: String,
    pub url: Option<String>,
    /// The page's bytes, gunzipped, in its own encoding.
    pub bytes: Vec<u8>,
}

pub fn load(bench: &Path) -> anyhow::Result<Vec<BenchPage>> {
    let mut urls: HashMap<String, String> = HashMap::new();
    if let Ok(truth) = std::fs::read_to_string(bench.join("truth.jsonl")) {
        for line in truth.lines() {
            let v: serde_json::Value = serde_json::from_str(line)?;
            if let (Some(id), Some(url)) = (v["id"].as_str(), v["url"].as_str()) {
                urls.insert(id.to_string(), url.to_string());
            }
        }
    }
    let dir = bench.join("html");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("{}: cannot list the benchmark pages", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    paths
        .par_iter()
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            let id = name.trim_end_matches(".html.gz").to_string();
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(p)?)
                .read_to_end(&mut bytes)
                .with_context(|| format!("{}: bad gzip", p.display()))?;
            let url = urls.get(&id).cloned();
            Ok(BenchPage { id, url, bytes })
        })
        .collect()
}
