//! gleaner: web pages in, clean article text out.
//!
//! An [`Extractor`] finds the main content of a page by text and link density plus the
//! page's own structure, and keeps the article while dropping the clutter: navigation,
//! "Recent Posts" and "Related" lists, cookie banners, share bars, newsletter boxes, footers,
//! comment sections. It also reads what the page says about itself ([`Metadata`]).
//!
//! ```
//! use gleaner::{Config, Extractor, PageInfo};
//!
//! let extractor = Extractor::new(Config::default()).unwrap();
//! let page = b"<html><body><nav><a href=/>Home</a> <a href=/news>News</a></nav><article>\
//!     <h1>Cats and sleep</h1><p>Cats sleep for most of the day, and that is perfectly \
//!     normal for them: they are built for short bursts of hunting.</p></article></body></html>";
//! let result = extractor.extract(page, &PageInfo::new().url("https://example.org/cats")).unwrap();
//! assert_eq!(result.title.as_deref(), Some("Cats and sleep"));
//! assert_eq!(
//!     result.text,
//!     "Cats sleep for most of the day, and that is perfectly normal for them: they are built \
//!      for short bursts of hunting."
//! );
//! ```
//!
//! Three ways in, one way out: [`Extractor::extract`] takes a page's bytes in any encoding,
//! [`Extractor::extract_html`] a page already decoded, and [`Extractor::clean_text`] text that
//! was scraped already (no markup left); each gives an [`Extraction`] or an [`Error`] that
//! says what was wrong with the input. None of them panics.
//!
//! The pipeline, one module per stage, in the order a page goes through it:
//!
//! ```text
//! decode  → text, in the page's real encoding                           src/decode.rs
//! parse   → html5ever DOM, flattened into a preorder array              src/parse
//! clean   → drop never-content and markup-declared clutter              src/clean
//! score   → blocks with text/link features; the best container          src/score
//! select  → keep or drop each block by its own and its neighbours' class src/select
//! render  → plain text or Markdown                                      src/render
//! ```
//!
//! Reading files, WARC and JSONL, batches on all cores and output records are the
//! `gleaner-batch` crate; fetching URLs is `gleaner-fetch`; the `gleaner` command is
//! `gleaner-cli`.

#![warn(missing_docs)]
// No panic from input: the library's own code neither unwraps nor expects (tests may).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

/// Declares the stage modules: private, or public but hidden from the docs with the
/// `internals` feature (for the evaluation tools and `examples/explain.rs`).
macro_rules! stages {
    ($($stage:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $stage;
        #[cfg(not(feature = "internals"))]
        mod $stage;
    )*};
}

stages!(clean, decode, metadata, parse, render, rules, score, select);

mod config;
mod deadline;
mod error;

/// Reaching into the stages, for the evaluation tools and `examples/explain.rs`: not a stable
/// interface.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    /// The tuning rules a config carries.
    pub fn rules(config: &crate::Config) -> &crate::rules::Rules {
        config.rules()
    }
}

pub use config::{Config, Limits, Mode, Style};
pub use deadline::Deadline;
pub use decode::EncodingSource;
pub use error::Error;
pub use metadata::{Metadata, PageType};

use std::borrow::Cow;

use clean::Patterns;
use parse::dom::Dom;
use score::Block;
use select::paragraphs::Paragraphs;
use select::{learned, listing};

/// What the caller knows about a page besides its bytes. Build it with [`PageInfo::new`] and
/// the setters: `PageInfo::new().url("https://example.org/a").charset("iso-8859-1")`.
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct PageInfo<'a> {
    /// The page's URL: it resolves relative links in the metadata, tells thread pages by
    /// their path and hints at the likely legacy charset. Default: none.
    pub url: Option<&'a str>,
    /// A charset label from the transport (HTTP `Content-Type`), which outranks `<meta>`.
    /// Default: none.
    pub charset: Option<&'a str>,
    /// When to give up on the page with [`Error::TimeBudget`]. Default: none, which means
    /// `limits.time_budget_ms` from the start of the call; [`Deadline::NONE`] means no limit.
    pub deadline: Option<Deadline>,
}

impl<'a> PageInfo<'a> {
    /// Nothing known but the bytes.
    pub fn new() -> PageInfo<'a> {
        PageInfo::default()
    }

    /// The page's URL (`&str` or `Option<&str>`).
    pub fn url(mut self, url: impl Into<Option<&'a str>>) -> PageInfo<'a> {
        self.url = url.into();
        self
    }

    /// The transport's charset label (`&str` or `Option<&str>`).
    pub fn charset(mut self, charset: impl Into<Option<&'a str>>) -> PageInfo<'a> {
        self.charset = charset.into();
        self
    }

    /// When to give up on the page.
    pub fn deadline(mut self, deadline: Deadline) -> PageInfo<'a> {
        self.deadline = Some(deadline);
        self
    }
}

/// The result of extracting one page.
#[derive(Clone, Debug, Default, serde::Serialize)]
#[non_exhaustive]
pub struct Extraction {
    /// The headline (the same as `metadata.title`).
    pub title: Option<String>,
    /// The main content as plain text, or Markdown when the config asks for it.
    pub text: String,
    /// BCP 47 language tag (the same as `metadata.language`).
    pub language: Option<String>,
    /// The canonical URL, when the page declares one (the same as `metadata.canonical_url`).
    pub canonical_url: Option<String>,
    /// Title, authors, dates, site name, description, categories, tags, page type, ….
    pub metadata: Metadata,
    /// The name of the encoding the page was decoded with (`"UTF-8"`, `"windows-1252"`);
    /// none when the input was text already.
    pub encoding: Option<&'static str>,
    /// Where that encoding came from.
    pub encoding_source: Option<EncodingSource>,
    /// The input was larger than `limits.max_page_bytes` and was cut.
    pub truncated: bool,
    /// The time budget ran out: `text` is the page's visible text through the plain-text
    /// cleaner (a cheap linear fallback), not the full extraction, and `metadata` is empty.
    pub degraded: bool,
}

/// A configured extractor: build it once and use it for many pages, from many threads at
/// once (it is `Send + Sync`).
pub struct Extractor {
    config: Config,
    patterns: Patterns,
    clutter_text: select::ClutterText,
    paragraphs: Paragraphs,
    /// The learned block decision; None leaves it to the rules.
    model: Option<select::trees::Model>,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Extractor {
    /// Compiles the config's pattern tables. Fails only on a tuning override that does not
    /// compile.
    pub fn new(config: Config) -> Result<Extractor, Error> {
        let rules = config.rules();
        Ok(Extractor {
            patterns: Patterns::new(&rules.clean),
            clutter_text: select::ClutterText::new(&rules.clean)?,
            paragraphs: Paragraphs::new(&rules.clean, &rules.paragraphs)?,
            model: match &config.model {
                Some(text) => learned::parse(text, "the config's model")?,
                None if config.learned => learned::built_in()?,
                None => None,
            },
            config,
        })
    }

    /// The config this extractor was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Extracts the main content of a page given as raw bytes in any encoding: a byte-order
    /// mark, then `page.charset`, then `<meta charset>`, then detection decide the encoding.
    /// Binary and empty inputs are errors.
    pub fn extract(&self, bytes: &[u8], page: &PageInfo) -> Result<Extraction, Error> {
        let deadline = self.deadline(page);
        self.decoded(bytes, page, |text| {
            self.extract_html_until(text, page.url, deadline)
        })
    }

    /// Extracts the main content of a page that is already text (`page.charset` is not used).
    pub fn extract_html(&self, html: &str, page: &PageInfo) -> Result<Extraction, Error> {
        self.extract_html_until(html, page.url, self.deadline(page))
    }

    /// Cleans text that was scraped already (no markup left): keeps the paragraphs of the
    /// main content and drops the clutter that survived flattening.
    pub fn clean_text(&self, text: &str, _page: &PageInfo) -> Result<Extraction, Error> {
        catch_panics(|| Ok(self.clean_text_unguarded(text)))
    }

    /// [`Extractor::clean_text`] on raw bytes in any encoding (a byte-order mark, then
    /// `page.charset`, then detection decide it).
    pub fn clean_text_bytes(&self, bytes: &[u8], page: &PageInfo) -> Result<Extraction, Error> {
        self.decoded(bytes, page, |text| self.clean_text(text, page))
    }

    /// The page's own deadline, or the config's time budget from now.
    fn deadline(&self, page: &PageInfo) -> Deadline {
        page.deadline.unwrap_or_else(|| {
            Deadline::after(std::time::Duration::from_millis(
                self.config.limits.time_budget_ms,
            ))
        })
    }

    /// Cuts `bytes` at the page cap, decodes them, runs `extract` on the text and records on
    /// its result how the bytes were decoded and whether they were cut.
    fn decoded(
        &self,
        bytes: &[u8],
        page: &PageInfo,
        extract: impl FnOnce(&str) -> Result<Extraction, Error>,
    ) -> Result<Extraction, Error> {
        let limit = self.config.limits.max_page_bytes;
        let truncated = bytes.len() > limit;
        let bytes = &bytes[..bytes.len().min(limit)];
        let decoded = decode::decode(bytes, page.charset, page.url, &self.config.rules().decode)?;
        let mut result = extract(&decoded.text)?;
        result.encoding = Some(decoded.encoding.name());
        result.encoding_source = Some(decoded.source);
        result.truncated = truncated;
        Ok(result)
    }

    /// All the visible text of a page, with no cleaning at all: what a naive scraper returns
    /// (the floor of the plain-text benchmark).
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub fn visible_text(&self, bytes: &[u8], page: &PageInfo) -> Result<String, Error> {
        let rules = self.config.rules();
        let decoded = decode::decode(bytes, page.charset, page.url, &rules.decode)?;
        catch_panics(|| {
            let dom = parse::parse(
                &decoded.text,
                self.config.limits.max_nesting,
                Deadline::NONE,
            );
            let visible = clean::visible_only(&dom);
            let blocks = score::segment(&dom, &visible, false, Deadline::NONE);
            let all: Vec<&Block> = blocks.iter().collect();
            Ok(render::render(&all, Style::Text))
        })
    }

    fn clean_text_unguarded(&self, text: &str) -> Extraction {
        let rules = self.config.rules();
        let blocks = self.paragraphs.text_blocks(text);
        let refs: Vec<&Block> = blocks.iter().collect();
        let select_cfg = rules.select.for_mode(self.config.mode);
        let keep = self
            .paragraphs
            .keep_text(&refs, &self.clutter_text, select_cfg);
        // A carousel's slides come twice in flattened text too (see `drop_repeats`).
        let kept = select::drop_repeats(
            only_kept(refs, keep),
            rules.select.repeat_min_distance,
            rules.select.repeat_min_chars,
        );
        Extraction {
            text: render::render(&kept, Style::Text),
            ..Extraction::default()
        }
    }

    /// [`Extractor::extract_html`] with the deadline settled.
    fn extract_html_until(
        &self,
        html: &str,
        url: Option<&str>,
        deadline: Deadline,
    ) -> Result<Extraction, Error> {
        match catch_panics(|| self.run(html, url, deadline)) {
            Err(Error::TimeBudget { .. }) => catch_panics(|| Ok(self.fallback(html))),
            other => other,
        }
    }

    /// What a page that ran out of time still yields: its visible text (parse, hidden
    /// elements dropped, blocks, each linear) through the plain-text cleaner; the raw visible
    /// text when the cleaner keeps nothing. No deadline: every step is linear.
    fn fallback(&self, html: &str) -> Extraction {
        let dom = parse::parse(html, self.config.limits.max_nesting, Deadline::NONE);
        let visible = clean::visible_only(&dom);
        let blocks = score::segment(&dom, &visible, false, Deadline::NONE);
        let all: Vec<&Block> = blocks.iter().collect();
        let text = render::render(&all, Style::Text);
        let cleaned = self.clean_text_unguarded(&text);
        Extraction {
            text: if cleaned.text.trim().is_empty() {
                text
            } else {
                cleaned.text
            },
            degraded: true,
            ..Extraction::default()
        }
    }

    /// The stages in order. The deadline is checked after each one; inside, the long loops
    /// stop early once it has passed, and the check after them turns that into the error.
    fn run(&self, html: &str, url: Option<&str>, deadline: Deadline) -> Result<Extraction, Error> {
        let cfg = &self.config;
        let rules = cfg.rules();
        let Stages {
            dom,
            mut metadata,
            cleaned,
            blocks,
            verdicts,
        } = self.stages(html, url, deadline)?;
        let mut kept = match &self.model {
            Some(model) => {
                let mut scores = learned::Scores::default();
                let first = self.first_pass(&blocks);
                let page = self.feature_page(&dom, &cleaned, &blocks, &verdicts, &first, &metadata);
                learned::score(model, &page, &mut scores);
                learned::kept(&blocks, &scores.scores, model, cfg.mode)
            }
            None => only_kept(blocks.iter().collect(), verdicts.kept),
        };
        // The heading dropped from the text is the one `<title>`/`og:title` confirm, as the
        // extraction was tuned with; the metadata title also weighs the JSON-LD headline.
        if rules.select.drop_title_heading
            && let Some(title) =
                metadata::title::title(&dom, rules.select.title_heading_share, None)
        {
            drop_title_heading(&mut kept, &title);
        }
        let text = self.render(kept);
        metadata::check_language(&mut metadata, &text);
        Ok(Extraction {
            text,
            title: metadata.title.clone(),
            language: metadata.language.clone(),
            canonical_url: metadata.canonical_url.clone(),
            metadata,
            ..Extraction::default()
        })
    }

    /// Parse, metadata, clean, segment and the rules' verdicts: everything before the keep
    /// decision.
    fn stages(&self, html: &str, url: Option<&str>, deadline: Deadline) -> Result<Stages, Error> {
        let cfg = &self.config;
        let rules = cfg.rules();
        let dom = parse::parse(html, cfg.limits.max_nesting, deadline);
        deadline.check()?;
        let metadata = metadata::extract(
            &dom,
            url,
            rules.select.title_heading_share,
            metadata::Bounds::now(),
        );
        let cleaned = clean::clean(&dom, &self.patterns, &rules.clean, url, deadline);
        deadline.check()?;
        let blocks = score::segment(&dom, &cleaned, cfg.style == Style::Markdown, deadline);
        deadline.check()?;
        let verdicts = self.rule_verdicts(&dom, &cleaned, &blocks, deadline);
        deadline.check()?;
        Ok(Stages {
            dom,
            metadata,
            cleaned,
            blocks,
            verdicts,
        })
    }

    /// Every block of a page with its features, the rules' verdict and the model's score
    /// (when the extractor has a model): for training (`eval --blocks`) and explain.
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub fn block_report(&self, bytes: &[u8], page: &PageInfo) -> Result<BlockReport, Error> {
        let rules = self.config.rules();
        let decoded = decode::decode(bytes, page.charset, page.url, &rules.decode)?;
        catch_panics(|| {
            let st = self.stages(&decoded.text, page.url, Deadline::NONE)?;
            let first = self.first_pass(&st.blocks);
            let (dom, cleaned, blocks) = (&st.dom, &st.cleaned, &st.blocks);
            let fp = self.feature_page(dom, cleaned, blocks, &st.verdicts, &first, &st.metadata);
            let mut rows = Vec::new();
            select::features::compute(&fp, &mut rows);
            let scores = self.model.as_ref().map(|m| {
                let width = select::features::NAMES.len();
                rows.chunks_exact(width).map(|r| m.score(r)).collect()
            });
            Ok(BlockReport {
                texts: st.blocks.iter().map(|b| b.text.clone()).collect(),
                kinds: st.blocks.iter().map(|b| format!("{:?}", b.kind)).collect(),
                rows,
                kept_by_rules: st.verdicts.kept.clone(),
                scores,
                threshold: self.model.as_ref().map(|m| m.threshold(self.config.mode)),
            })
        })
    }

    /// The kept blocks as text, after the last cleanups: a kept paragraph loses the clutter
    /// lines set into it with <br> ("…the end of the story.<br>Follow us on Telegram"), a
    /// carousel's repeated slides go, and so do escaped markup and repeated captions.
    fn render(&self, kept: Vec<&Block>) -> String {
        let rules = self.config.rules();
        let trimmed: Vec<Cow<Block>> = kept
            .iter()
            .map(|b| {
                self.clutter_text
                    .without_clutter_lines(b)
                    .map_or(Cow::Borrowed(*b), Cow::Owned)
            })
            .collect();
        let kept = select::drop_repeats(
            trimmed.iter().map(|b| b.as_ref()).collect(),
            rules.select.repeat_min_distance,
            rules.select.repeat_min_chars,
        );
        let kept = select::drop_markup_and_caption_repeats(kept);
        render::render(&kept, self.config.style)
    }

    /// jusText's first pass (balanced thresholds) over every block: only the learned model
    /// reads it, so the rules alone never pay for it.
    fn first_pass(&self, blocks: &[Block]) -> select::FirstPass {
        let cfg = self.config.rules().select.for_mode(Mode::Balanced);
        select::first_pass(blocks, &self.clutter_text, cfg)
    }

    /// What the learned model's features are computed from.
    fn feature_page<'p>(
        &'p self,
        dom: &'p Dom,
        cleaned: &'p clean::Cleaned,
        blocks: &'p [Block],
        verdicts: &'p RuleVerdicts,
        first: &'p select::FirstPass,
        metadata: &Metadata,
    ) -> select::features::Page<'p> {
        let sample: String = blocks.iter().take(40).map(|b| b.text.as_str()).collect();
        select::features::Page {
            dom,
            cleaned,
            blocks,
            rules: select::features::RuleVerdicts {
                container: verdicts.container,
                kept: &verdicts.kept,
                classes: &first.classes,
                clutter: &first.clutter,
                listing: verdicts.listing,
            },
            page_type: metadata.page_type,
            clutter: &self.clutter_text,
            stop_words: self.paragraphs.stop_words().for_text(&sample),
        }
    }

    /// The hand-written selection: chooses the container, classifies its blocks, and on a
    /// page whose kept text is too small a share of it, keeps its list instead.
    fn rule_verdicts(
        &self,
        dom: &Dom,
        cleaned: &clean::Cleaned,
        blocks: &[Block],
        deadline: Deadline,
    ) -> RuleVerdicts {
        let rules = self.config.rules();
        let select_cfg = rules.select.for_mode(self.config.mode);
        let container = score::best_container(dom, cleaned, blocks, &rules.score);
        let candidates: Vec<usize> = match container {
            Some(c) => {
                let end = dom.nodes[c].end;
                (0..blocks.len())
                    .filter(|&i| blocks[i].node as usize >= c && blocks[i].node < end)
                    .collect()
            }
            // No container: a tiny page with no navigation at all (mostly text outside
            // links) is all content; anything else is left to the listing test below.
            None if is_link_light(blocks, rules.score.link_light_share) => {
                (0..blocks.len()).collect()
            }
            None => Vec::new(),
        };
        let refs = |indices: &[usize]| indices.iter().map(|&i| &blocks[i]).collect::<Vec<_>>();
        let keep =
            select::keep_blocks(&refs(&candidates), &self.clutter_text, select_cfg, deadline);
        let mut kept = only_kept_indices(candidates, keep);
        let listing = !deadline.passed() && listing::is_listing(refs(&kept), blocks, select_cfg);
        if deadline.passed() {
            kept.clear(); // the caller reports the overrun
        } else if !listing {
            // Last pass over an article: the clutter that only the words give away. (On a
            // listing, "Most read" and "More from" sections are items of the list.)
            let keep = self
                .paragraphs
                .outside_clutter_sections(&refs(&kept), select_cfg);
            kept = only_kept_indices(kept, keep);
        } else {
            // The list is looked for in the page's declared main region when it has one
            // (`<main>`, `role=main`), else on the whole page.
            let region = container
                .and_then(|c| dom.declared_main(c))
                .map(|m| (m, dom.nodes[m].end as usize));
            let all: Vec<usize> = (0..blocks.len())
                .filter(|&i| {
                    region.is_none_or(|(m, end)| (m..end).contains(&(blocks[i].node as usize)))
                })
                .collect();
            let keep = listing::keep_listing(&refs(&all), &self.clutter_text, select_cfg, deadline);
            kept = only_kept_indices(all, keep);
        }
        let mut flags = vec![false; blocks.len()];
        for i in kept {
            flags[i] = true;
        }
        RuleVerdicts {
            container,
            kept: flags,
            listing,
        }
    }
}

/// A page after every stage before the keep decision.
struct Stages {
    dom: Dom,
    metadata: Metadata,
    cleaned: clean::Cleaned,
    blocks: Vec<Block>,
    verdicts: RuleVerdicts,
}

/// Every block of a page as the learned model sees it (see [`Extractor::block_report`]).
#[cfg(feature = "internals")]
#[doc(hidden)]
#[derive(Debug)]
pub struct BlockReport {
    /// Per block: its text and kind.
    pub texts: Vec<String>,
    pub kinds: Vec<String>,
    /// Row-major, one row of `select::features::NAMES` per block.
    pub rows: Vec<f32>,
    pub kept_by_rules: Vec<bool>,
    /// The model's probability per block, when the extractor has a model, and its threshold.
    pub scores: Option<Vec<f32>>,
    pub threshold: Option<f32>,
}

/// What the hand-written rules decided on a page: the learned model's evidence, and the
/// selection itself when the library has no model.
struct RuleVerdicts {
    container: Option<usize>,
    /// Per block: kept.
    kept: Vec<bool>,
    listing: bool,
}

/// The indices whose `keep` flag is set, in order.
fn only_kept_indices(indices: Vec<usize>, keep: Vec<bool>) -> Vec<usize> {
    indices
        .into_iter()
        .zip(keep)
        .filter_map(|(i, k)| k.then_some(i))
        .collect()
}

/// Runs `f`, turning a panic inside it into [`Error::Panic`].
fn catch_panics<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(Error::Panic(panic_message(p.as_ref()))))
}

/// What a caught panic said.
#[doc(hidden)]
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The blocks whose `keep` flag is set, in order.
fn only_kept(blocks: Vec<&Block>, keep: impl IntoIterator<Item = bool>) -> Vec<&Block> {
    blocks
        .into_iter()
        .zip(keep)
        .filter_map(|(b, k)| k.then_some(b))
        .collect()
}

fn is_link_light(blocks: &[Block], outside_links_share: f64) -> bool {
    let chars: u32 = blocks.iter().map(|b| b.chars).sum();
    let links: u32 = blocks.iter().map(|b| b.link_chars).sum();
    chars > 0 && (chars - links) as f64 > outside_links_share * chars as f64
}

/// Removes a heading among the first kept blocks that repeats the title.
fn drop_title_heading(kept: &mut Vec<&Block>, title: &str) {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let title = norm(title);
    // The headline stands at the top: look only at the first few kept blocks.
    let position = kept.iter().take(3).position(|b| {
        matches!(b.kind, score::BlockKind::Heading(_)) && {
            let h = norm(&b.text);
            h == title || (h.len() >= 10 && (title.contains(&h) || h.contains(&title)))
        }
    });
    if let Some(p) = position {
        kept.remove(p);
    }
}
