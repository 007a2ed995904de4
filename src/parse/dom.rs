//! The flat document: the parsed tree laid out once as a preorder array.
//!
//! Every later stage walks this array instead of the pointer tree: a node's descendants are
//! the contiguous range `index+1 .. end`, so subtree sums are one reverse loop, skipping a
//! subtree is `i = end`, and no stage recurses (100,000-deep pages cannot overflow the stack).
//! Attribute text we need (class/id tokens, href) lives in one shared buffer, so building the
//! array allocates per page, not per node.

use html5ever::{Attribute, ns};

/// The element names the extractor tells apart; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Text,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Script,
    Style,
    A,
    P,
    Div,
    Span,
    Br,
    Hr,
    H(u8),
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Pre,
    Code,
    Blockquote,
    Table,
    Tr,
    Td,
    Th,
    Caption,
    Article,
    Main,
    Section,
    Nav,
    Aside,
    Header,
    Footer,
    Figure,
    Figcaption,
    Form,
    Em,
    Strong,
    Img,
    /// Scripting-off fallback content: clutter ("enable JavaScript") or the whole page.
    Noscript,
    /// Never content: template, svg, canvas, iframe, object, inputs, media, ruby annotations
    /// (`<rt>` furigana: a reading aid printed above the words, not part of the sentence)…
    Dropped,
    /// Other block-level elements (address, details, fieldset, center, …)
    OtherBlock,
    Other,
}

impl Tag {
    fn from_name(name: &str) -> Tag {
        match name {
            "html" => Tag::Html,
            "head" => Tag::Head,
            "body" => Tag::Body,
            "title" => Tag::Title,
            "meta" => Tag::Meta,
            "script" => Tag::Script,
            "style" => Tag::Style,
            "a" => Tag::A,
            "p" => Tag::P,
            "div" => Tag::Div,
            "span" | "font" => Tag::Span,
            "br" => Tag::Br,
            "hr" => Tag::Hr,
            "h1" => Tag::H(1),
            "h2" => Tag::H(2),
            "h3" => Tag::H(3),
            "h4" => Tag::H(4),
            "h5" => Tag::H(5),
            "h6" => Tag::H(6),
            "ul" | "menu" => Tag::Ul,
            "ol" => Tag::Ol,
            "li" => Tag::Li,
            "dl" => Tag::Dl,
            "dt" => Tag::Dt,
            "dd" => Tag::Dd,
            "pre" | "listing" | "plaintext" | "xmp" => Tag::Pre,
            "code" | "kbd" | "samp" | "tt" => Tag::Code,
            "blockquote" => Tag::Blockquote,
            "table" => Tag::Table,
            "tr" => Tag::Tr,
            "td" => Tag::Td,
            "th" => Tag::Th,
            "caption" => Tag::Caption,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "section" => Tag::Section,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "form" => Tag::Form,
            "em" | "i" | "cite" | "dfn" => Tag::Em,
            "strong" | "b" => Tag::Strong,
            "img" => Tag::Img,
            "noscript" => Tag::Noscript,
            "template" | "svg" | "annotation" | "annotation-xml" | "rt" | "rp" | "canvas"
            | "iframe" | "object" | "embed" | "input" | "button" | "select" | "textarea"
            | "option" | "optgroup" | "label" | "audio" | "video" | "source" | "track" | "map"
            | "dialog" | "link" | "base" | "frameset" | "frame" | "noframes" | "noembed"
            | "datalist" | "output" | "progress" | "meter" | "picture" | "slot" => Tag::Dropped,
            "address" | "center" | "details" | "summary" | "fieldset" | "legend" | "hgroup"
            | "thead" | "tbody" | "tfoot" | "colgroup" | "search" => Tag::OtherBlock,
            _ => Tag::Other,
        }
    }

    /// Block-level: starts a new text block (HTML's flow layout, as a browser shows it).
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text
                | Tag::A
                | Tag::Span
                | Tag::Br
                | Tag::Code
                | Tag::Em
                | Tag::Strong
                | Tag::Img
                | Tag::Other
        )
    }
}

/// Per-element flags read from attributes.
pub mod flags {
    /// `hidden`, `aria-hidden="true"`, or an inline style hiding it.
    pub const HIDDEN: u16 = 1;
    /// `role="main"`, `itemprop="articleBody"`/`text`: the page says this is the content.
    pub const CONTENT_MARK: u16 = 2;
    /// `role` is navigation, banner, contentinfo, complementary, search, or dialog/alertdialog.
    pub const ROLE_BOILERPLATE: u16 = 4;
    /// schema.org `itemtype` of a forum thread or Q&A page: its comments are its content.
    pub const FORUM_ITEMTYPE: u16 = 8;
    /// `<script type="application/ld+json">`: its text is JSON-LD metadata.
    pub const JSON_LD: u16 = 16;
    /// `rel="author"` (a byline link).
    pub const REL_AUTHOR: u16 = 32;
    /// `rel="tag"` (a tag link; WordPress marks category links `rel="category tag"`).
    pub const REL_TAG: u16 = 64;
    /// `rel="category"`.
    pub const REL_CATEGORY: u16 = 128;
}

/// A microdata property (`itemprop`), an RDFa `property`, or a `<time>`: the element it sits on, its name
/// (lower-cased; "time" for `<time>`), and its machine-readable value (`content`, `datetime`,
/// `href` or `src`) when it has one; otherwise the value is the element's text.
#[derive(Clone, Debug)]
pub struct Prop {
    pub node: u32,
    pub name: String,
    pub value: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub tag: Tag,
    pub flags: u16,
    pub parent: u32,
    /// One past the last descendant: the subtree is `self_index..end`.
    pub end: u32,
    /// Text nodes: their text; elements: the class/id tokens (lower-case, space separated).
    pub text: (u32, u32),
    /// `<a href>`: the href, in `Dom::attr_text`; empty otherwise.
    pub href: (u32, u32),
}

pub struct Dom {
    pub nodes: Vec<Node>,
    text: String,
    attr_text: String,
    /// `<meta name|property|itemprop|http-equiv=… content=…>` pairs, names lower-cased.
    pub metas: Vec<(String, String)>,
    /// Microdata properties and `<time datetime>` values, in document order (metadata).
    pub props: Vec<Prop>,
    /// Elements with `itemscope`: their index and `itemtype` (empty when none is given).
    pub itemscopes: Vec<(u32, String)>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// `<link rel=canonical href>`.
    pub canonical: Option<String>,
}

pub const NO_PARENT: u32 = u32::MAX;

impl Dom {
    /// An empty document, with room for `nodes` nodes.
    pub(super) fn with_capacity(nodes: usize) -> Dom {
        Dom {
            nodes: Vec::with_capacity(nodes),
            text: String::new(),
            attr_text: String::new(),
            metas: Vec::new(),
            props: Vec::new(),
            itemscopes: Vec::new(),
            lang: None,
            canonical: None,
        }
    }

    /// Appends a text node under `parent`.
    pub(super) fn push_text(&mut self, text: &str, parent: u32) {
        let index = self.nodes.len() as u32;
        let start = self.text.len() as u32;
        self.text.push_str(text);
        self.nodes.push(Node {
            tag: Tag::Text,
            flags: 0,
            parent,
            end: index + 1,
            text: (start, self.text.len() as u32),
            href: (0, 0),
        });
    }

    /// Ends element `index`'s subtree at the nodes pushed so far.
    pub(super) fn close(&mut self, index: u32) {
        self.nodes[index as usize].end = self.nodes.len() as u32;
    }

    /// Appends an element under `parent` and returns its index. `attrs` are its attributes
    /// sorted by name (`sink` keeps only those read here).
    pub(super) fn push_element(&mut self, name: &str, attrs: &[Attribute], parent: u32) -> u32 {
        let index = self.nodes.len() as u32;
        let el = Attrs(attrs);
        let tag = Tag::from_name(name);
        let mut flags = 0u16;
        let mut tab_panel = false;
        let hints_start = self.attr_text.len() as u32;
        let mut is_meta_key: Option<String> = None;
        let mut meta_content: Option<String> = None;
        // MathJax's rendered formulas (`<mjx-container class="MathJax CtxtMenu_Attached_0">`)
        // carry class names about rendering ("menu"), not about the page's layout.
        let rendered_math = name.starts_with("mjx-");
        for (key, value) in el.attrs() {
            match key {
                "class" if !rendered_math => push_tokens(&mut self.attr_text, value),
                // An id of four or more words is a slug of the section's own text
                // ("sharing-with-a-single-developer"), not a role name: skip it.
                "id" if value.split(['-', '_']).count() < 4 => {
                    push_tokens(&mut self.attr_text, value)
                }
                // React streams server-rendered content into `<div hidden id="S:0">`
                // and reveals it with a script: it is the page, not hidden clutter.
                "hidden" if !el.attr("id").is_some_and(is_stream_boundary) => {
                    flags |= flags::HIDDEN
                }
                "aria-hidden" if value.trim().eq_ignore_ascii_case("true") => {
                    flags |= flags::HIDDEN
                }
                "style" if hides(value) => flags |= flags::HIDDEN,
                "role" => {
                    let role = value.trim();
                    let is =
                        |names: &[&str]| names.iter().any(|n| role.eq_ignore_ascii_case(n));
                    if is(&["main", "article"]) {
                        flags |= flags::CONTENT_MARK
                    } else if is(&["tabpanel"]) {
                        tab_panel = true
                    } else if is(&[
                        "navigation",
                        "banner",
                        "contentinfo",
                        "complementary",
                        "search",
                        "dialog",
                        "alertdialog",
                        "menu",
                        "menubar",
                    ]) {
                        flags |= flags::ROLE_BOILERPLATE
                    }
                }
                "itemprop" if tag != Tag::Meta => {
                    let v = value.trim();
                    if v.eq_ignore_ascii_case("articleBody")
                        || v.eq_ignore_ascii_case("text")
                        || v.eq_ignore_ascii_case("reviewBody")
                    {
                        flags |= flags::CONTENT_MARK
                    }
                    let machine_value = ["content", "datetime", "href", "src", "title"]
                        .iter()
                        .find_map(|a| el.attr(a))
                        .map(|a| a.trim().to_string());
                    self.props.push(Prop {
                        node: index,
                        name: v.to_ascii_lowercase(),
                        value: machine_value,
                    });
                }
                // RDFa (`property="schema:datePublished" content="…"`) reads like
                // microdata: the name without its vocabulary prefix.
                "property" if tag != Tag::Meta => {
                    let v = value.trim();
                    let local = v.rsplit([':', '/']).next().unwrap_or(v);
                    self.props.push(Prop {
                        node: index,
                        name: local.to_ascii_lowercase(),
                        value: el.attr("content").map(|c| c.trim().to_string()),
                    });
                }
                "datetime" if name == "time" => self.props.push(Prop {
                    node: index,
                    name: "time".to_string(),
                    value: Some(value.trim().to_string()),
                }),
                "itemtype"
                    if ["DiscussionForumPosting", "QAPage", "Question", "Answer"]
                        .iter()
                        .any(|t| value.contains(t)) =>
                {
                    flags |= flags::FORUM_ITEMTYPE
                }
                "itemscope" => self
                    .itemscopes
                    .push((index, el.attr("itemtype").unwrap_or("").trim().to_string())),
                "type"
                    if tag == Tag::Script
                        && value.trim().eq_ignore_ascii_case("application/ld+json") =>
                {
                    flags |= flags::JSON_LD
                }
                "rel" if tag == Tag::A => {
                    for word in value.split_ascii_whitespace() {
                        if word.eq_ignore_ascii_case("author") {
                            flags |= flags::REL_AUTHOR
                        } else if word.eq_ignore_ascii_case("tag") {
                            flags |= flags::REL_TAG
                        } else if word.eq_ignore_ascii_case("category") {
                            flags |= flags::REL_CATEGORY
                        }
                    }
                }
                "name" | "property" | "itemprop" | "http-equiv" if tag == Tag::Meta => {
                    is_meta_key = Some(value.trim().to_ascii_lowercase())
                }
                "content" if tag == Tag::Meta => meta_content = Some(value.to_string()),
                "lang" if tag == Tag::Html => self.lang = Some(value.trim().to_string()),
                "rel" if name == "link" && value.eq_ignore_ascii_case("canonical") => {
                    if let Some(h) = el.attr("href") {
                        self.canonical = Some(h.trim().to_string())
                    }
                }
                _ => {}
            }
        }
        // A hidden tab panel is content one click away (the same example in another
        // language, the next step of a guide), not clutter.
        if tab_panel {
            flags &= !flags::HIDDEN;
        }
        // A <time> without `datetime` is read from its text.
        if name == "time" && el.attr("datetime").is_none() {
            self.props.push(Prop {
                node: index,
                name: "time".to_string(),
                value: None,
            });
        }
        if let (Some(k), Some(c)) = (is_meta_key, meta_content) {
            self.metas.push((k, c));
        }
        // Custom elements (`<cookie-banner>`) name themselves: treat the name as a hint.
        if name.contains('-') {
            push_tokens(&mut self.attr_text, name);
        }
        let hints_end = self.attr_text.len() as u32;
        let mut href = (hints_end, hints_end);
        if tag == Tag::A
            && let Some(h) = el.attr("href")
        {
            self.attr_text.push_str(h.trim());
            href.1 = self.attr_text.len() as u32;
        }
        self.nodes.push(Node {
            tag,
            flags,
            parent,
            end: index + 1,
            text: (hints_start, hints_end),
            href,
        });
        index
    }

    /// The `<main>` (or `role=main`/`itemprop=articleBody` element) that is `i` or holds it.
    pub fn declared_main(&self, i: usize) -> Option<usize> {
        let mut at = i as u32;
        while at != NO_PARENT {
            let node = &self.nodes[at as usize];
            if node.tag == Tag::Main || node.flags & flags::CONTENT_MARK != 0 {
                return Some(at as usize);
            }
            at = node.parent;
        }
        None
    }

    /// A text node's text.
    pub fn text(&self, i: usize) -> &str {
        let (a, b) = self.nodes[i].text;
        &self.text[a as usize..b as usize]
    }

    /// An element's class/id tokens, lower-case and space separated ("post entry content").
    pub fn hints(&self, i: usize) -> &str {
        let (a, b) = self.nodes[i].text;
        &self.attr_text[a as usize..b as usize]
    }

    pub fn href(&self, i: usize) -> &str {
        let (a, b) = self.nodes[i].href;
        &self.attr_text[a as usize..b as usize]
    }

    /// Text of all text nodes under element `i`, concatenated (for `<title>`, JSON-LD).
    pub fn inner_text(&self, i: usize) -> String {
        let end = self.nodes[i].end as usize;
        (i + 1..end)
            .filter(|&j| self.nodes[j].tag == Tag::Text)
            .map(|j| self.text(j))
            .collect()
    }

    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metas
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    pub fn body(&self) -> Option<usize> {
        self.nodes.iter().position(|n| n.tag == Tag::Body)
    }
}

/// An element's attributes as `push_element` reads them: in order of name, and by plain
/// (namespace-less) name for a lookup.
struct Attrs<'a>(&'a [Attribute]);

impl<'a> Attrs<'a> {
    /// Every attribute, namespaced ones (`xlink:href`) under their local name.
    fn attrs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        self.0.iter().map(|a| (&*a.name.local, &*a.value))
    }

    /// The value of the attribute with this name and no namespace.
    fn attr(&self, key: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|a| a.name.prefix.is_none() && a.name.ns == ns!() && &*a.name.local == key)
            .map(|a| &*a.value)
    }
}

/// Appends class/id words as lower-case tokens, splitting on `-`, `_`, spaces and camelCase
/// boundaries, so "relatedPosts" and "related-posts" both give "related posts".
fn push_tokens(out: &mut String, value: &str) {
    for class in value.split_ascii_whitespace() {
        push_class_tokens(out, without_module_hash(class));
    }
}

/// CSS modules name classes `file_local__hash` ("mdx-table_root__adKqa"): the hash is
/// noise, and its pieces can spell a pattern word ("ad"). A suffix after the last "__" of at
/// most 8 characters with a digit or an upper-case letter is taken for a hash (BEM elements,
/// "teaser__headline", are lower-case words).
fn without_module_hash(class: &str) -> &str {
    match last_split(class) {
        Some((name, suffix))
            if !name.is_empty()
                && (1..=8).contains(&suffix.len())
                && suffix
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && suffix
                    .bytes()
                    .any(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) =>
        {
            name
        }
        _ => class,
    }
}

/// `class.rsplit_once("__")` by a byte scan: the string searcher's setup costs more than
/// the search on names this short, and this runs on every class of the page.
fn last_split(class: &str) -> Option<(&str, &str)> {
    let at = class.as_bytes().windows(2).rposition(|w| w == b"__")?;
    Some((&class[..at], &class[at + 2..]))
}

fn push_class_tokens(out: &mut String, value: &str) {
    if value.is_ascii() {
        return push_ascii_class_tokens(out, value.as_bytes());
    }
    let mut prev_lower = false;
    let mut at_token_start = true;
    for c in value.chars() {
        if c.is_alphanumeric() {
            if at_token_start || (prev_lower && c.is_uppercase()) {
                out.push(' ');
            }
            out.extend(c.to_lowercase());
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            at_token_start = false;
        } else {
            at_token_start = true;
            prev_lower = false;
        }
    }
}

/// `push_class_tokens` on ASCII, byte by byte (nearly every class name is ASCII, and this
/// runs on every class and id of the page): the same tokens without Unicode case tables.
fn push_ascii_class_tokens(out: &mut String, value: &[u8]) {
    let mut prev_lower = false;
    let mut at_token_start = true;
    for &b in value {
        if b.is_ascii_alphanumeric() {
            if at_token_start || (prev_lower && b.is_ascii_uppercase()) {
                out.push(' ');
            }
            out.push(b.to_ascii_lowercase() as char);
            prev_lower = !b.is_ascii_uppercase();
            at_token_start = false;
        } else {
            at_token_start = true;
            prev_lower = false;
        }
    }
}

/// React's streaming-SSR boundary ids: "S:0", "B:12", "S:2e" (React counts in base 32).
fn is_stream_boundary(id: &str) -> bool {
    let mut parts = id.splitn(2, ':');
    matches!(parts.next(), Some("S" | "B"))
        && parts
            .next()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_alphanumeric()))
}

/// An inline style that hides the element.
/// Reads `property: value` pairs in place (no allocation: this runs on every styled element).
fn hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((property, value)) = decl.split_once(':') else {
            return false;
        };
        // "none !important" hides too: the priority flag is not part of the value.
        let value = value.split('!').next().unwrap_or("");
        let (property, value) = (property.trim(), value.trim());
        (property.eq_ignore_ascii_case("display") && value.eq_ignore_ascii_case("none"))
            || (property.eq_ignore_ascii_case("visibility") && value.eq_ignore_ascii_case("hidden"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_split_is_rsplit_once() {
        for class in ["a__b", "a___b", "__", "a_b", "", "x__y__z", "é__ü", "____"] {
            assert_eq!(last_split(class), class.rsplit_once("__"), "{class}");
        }
    }

    #[test]
    fn hiding_styles() {
        assert!(hides("color: red; display : none"));
        assert!(hides("VISIBILITY:hidden"));
        assert!(hides("display:none!important"));
        assert!(!hides("display: block; content-visibility: auto"));
    }

    #[test]
    fn react_stream_boundaries_count_in_base_32() {
        for id in ["S:0", "B:12", "S:2e", "S:1f"] {
            assert!(is_stream_boundary(id), "{id}");
        }
        for id in ["S:", "S", "X:1", "S:2-e", "menu"] {
            assert!(!is_stream_boundary(id), "{id}");
        }
    }

    #[test]
    fn tokens_split_case_and_separators() {
        let mut s = String::new();
        push_tokens(&mut s, "relatedPosts post-list_item");
        assert_eq!(s, " related posts post list item");
    }

    #[test]
    fn ascii_and_unicode_tokens_agree() {
        for value in ["relatedPosts", "ABCDef x9Y", "post-list_item", "a1B2c", "XMLHttp"] {
            let (mut fast, mut slow) = (String::new(), String::new());
            push_ascii_class_tokens(&mut fast, value.as_bytes());
            // The Unicode path, forced by a non-ASCII separator that is no token character.
            push_class_tokens(&mut slow, &format!("{value}\u{a0}"));
            assert_eq!(fast, slow, "{value}");
        }
    }

    #[test]
    fn css_module_hashes_are_not_tokens() {
        let mut s = String::new();
        push_tokens(&mut s, "mdx-table_root__adKqa teaser__headline");
        assert_eq!(s, " mdx table root teaser headline");
    }

    #[test]
    fn preorder_ranges_cover_subtrees() {
        let dom = super::super::parse(
            "<div class='a'><p>x<b>y</b></p></div><p>z</p>",
            512,
            crate::deadline::Deadline::NONE,
        );
        let div = dom.nodes.iter().position(|n| n.tag == Tag::Div).unwrap();
        assert_eq!(dom.hints(div), " a");
        assert_eq!(dom.inner_text(div), "xy");
        let last_p = dom.nodes.iter().rposition(|n| n.tag == Tag::P).unwrap();
        assert!(last_p >= dom.nodes[div].end as usize);
    }
}
