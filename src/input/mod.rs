//! Input: turns the command line's INPUTs into pages to extract: files (any of them `.gz`),
//! directories (walked recursively, in name order, for web-page files), and `-` for stdin.
//! Reading is bounded: no input is read past the configured page size.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Where a page comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    /// The name shown in output and errors: the path, or "-" for stdin.
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
        }
    }

    /// The record id: the file name without `.gz` and without `.html`/`.htm`/`.xhtml`.
    pub fn id(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            Source::File(p) => {
                let name = p
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                // Extensions compare case-insensitively, as the directory walk does.
                let strip = |stem: &str, ext: &str| -> Option<usize> {
                    let cut = stem.len().checked_sub(ext.len())?;
                    (cut > 0 && stem.is_char_boundary(cut) && stem[cut..].eq_ignore_ascii_case(ext))
                        .then_some(cut)
                };
                let end = strip(&name, ".gz").unwrap_or(name.len());
                let end = [".html", ".htm", ".xhtml"]
                    .iter()
                    .find_map(|ext| strip(&name[..end], ext))
                    .unwrap_or(end);
                name[..end].to_string()
            }
        }
    }
}

/// File names a directory walk picks up.
fn is_page_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_lowercase());
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".html", ".htm", ".xhtml"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Expands INPUT arguments into sources. A path that does not exist is still returned (as a
/// file), so that it yields a record with an error instead of vanishing.
pub fn expand(inputs: &[String]) -> Vec<Source> {
    let mut out = Vec::new();
    for input in inputs {
        if input == "-" {
            out.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(input);
        if path.is_dir() {
            let walk = walkdir::WalkDir::new(&path)
                .sort_by_file_name()
                .follow_links(true);
            for entry in walk {
                match entry {
                    Ok(e) if e.file_type().is_file() && is_page_file(e.path()) => {
                        out.push(Source::File(e.into_path()))
                    }
                    Ok(_) => {}
                    // An unreadable directory entry becomes a record with its error.
                    Err(e) => out.push(Source::File(
                        e.path().map_or_else(|| path.clone(), Path::to_path_buf),
                    )),
                }
            }
        } else {
            out.push(Source::File(path));
        }
    }
    out
}

/// Reads a source's bytes, unpacking gzip (by extension or magic bytes), at most `limit` + 1
/// bytes so the caller can tell that a page was cut.
pub fn read(source: &Source, limit: usize) -> Result<Vec<u8>, Error> {
    let cap = limit as u64 + 1;
    let mut raw = Vec::new();
    match source {
        Source::Stdin => {
            std::io::stdin().lock().take(cap).read_to_end(&mut raw)?;
        }
        Source::File(p) => {
            std::fs::File::open(p)?.take(cap).read_to_end(&mut raw)?;
        }
    }
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .take(cap)
            .read_to_end(&mut out)
            .map_err(Error::Gzip)?;
        return Ok(out);
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_drop_page_extensions() {
        assert_eq!(Source::File("a/b/page.html.gz".into()).id(), "page");
        assert_eq!(Source::File("x.xhtml".into()).id(), "x");
        assert_eq!(Source::File("notes.txt".into()).id(), "notes.txt");
        assert_eq!(Source::File("PAGE.HTML".into()).id(), "PAGE");
    }
}
