//! Developer aid: runs the plain-text cleaner on a file and prints what it keeps.
//!
//!     cargo run --release --example clean_text -- scraped.txt

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).expect("usage: clean_text FILE");
    let text = std::fs::read_to_string(&path)?;
    let extractor = gleaner::Extractor::new(gleaner::Config::default())?;
    let page = gleaner::PageInfo::new();
    print!("{}", extractor.clean_text(&text, &page)?.text);
    Ok(())
}
