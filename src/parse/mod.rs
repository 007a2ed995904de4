//! Parse: html5ever's tree builder writes into our own sink (`sink`); we cap pathological
//! nesting and attribute lists first and flatten the result into the preorder array every
//! later stage walks.

mod attributes;
pub mod dom;
pub mod nesting;
mod sink;

use html5ever::driver::ParseOpts;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::TreeBuilderOpts;

use crate::deadline::Deadline;
pub use dom::Dom;

/// html5ever is fed the page this many bytes at a time, with a deadline check between
/// pieces (its tokenizer is incremental, so the tree is the same as from one piece).
const PARSE_PIECE_BYTES: usize = 256 * 1024;

/// Parses a page into the flat document.
///
/// Scripting is off, as in a browser with JavaScript disabled: `<noscript>` content is parsed
/// as markup. Server-rendered fallbacks live there (Discourse forums put every post in a
/// `<noscript>`); the cleaner decides whether a `<noscript>` is the page or clutter.
///
/// Once `deadline` has passed, the rest of the page is not fed to the parser and an empty
/// document comes back: the caller checks the deadline and reports the overrun.
pub fn parse(html: &str, max_nesting: usize, deadline: Deadline) -> Dom {
    let html = nesting::cap_nesting(html, max_nesting);
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    // About one node per `<` (its element) and one more (the text after it).
    let room = 2 * memchr::memchr_iter(b'<', html.as_bytes()).count() + 8;
    let mut parser = html5ever::driver::parse_document(sink::Sink::with_room(room), opts);
    let mut rest: &str = &html;
    while !rest.is_empty() && !deadline.passed() {
        let mut cut = rest.len().min(PARSE_PIECE_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
    }
    if deadline.passed() {
        // Not worth flattening: the caller is about to report the overrun.
        return Dom::with_capacity(0);
    }
    parser.finish().flatten()
}

