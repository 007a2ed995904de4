//! Parse: html5ever (through `scraper`) builds the DOM; we cap pathological nesting first and
//! flatten the result into the preorder array every later stage walks.

pub mod dom;
pub mod nesting;

use html5ever::driver::ParseOpts;
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use scraper::{Html, HtmlTreeSink};

pub use dom::Dom;

/// Parses a page into the flat document.
///
/// Scripting is off, as in a browser with JavaScript disabled: `<noscript>` content is parsed
/// as markup. Server-rendered fallbacks live there (Discourse forums put every post in a
/// `<noscript>`); the cleaner decides whether a `<noscript>` is the page or clutter.
pub fn parse(html: &str, max_nesting: usize) -> Dom {
    let html = nesting::cap_nesting(html, max_nesting);
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let document = html5ever::driver::parse_document(HtmlTreeSink::new(Html::new_document()), opts)
        .one(&*html);
    Dom::from_html(&document)
}
