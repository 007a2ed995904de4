//! Page type: a page-level guess (article, listing, forum, product, documentation, other)
//! from what the page declares (JSON-LD `@type`, `og:type`, microdata `itemtype`), the shape
//! of its URL, and what its document looks like (long paragraphs, repeated teaser cards,
//! posts by several users, prices and a basket button, code blocks). One walk of the flat
//! document; a pure function of the parsed page.

use serde::Serialize;

use super::text::url_path;
use crate::parse::dom::{Dom, Tag};

/// What kind of page a page is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum PageType {
    /// A story, a post, an essay: running text by an author.
    Article,
    /// A list of other pages: a section front, a catalogue, search results, a job board.
    Listing,
    /// A discussion: posts by several users, a Q&A thread.
    Forum,
    /// One product for sale: a price and a basket button.
    Product,
    /// Technical documentation: reference pages, guides with code.
    Documentation,
    /// Anything else (a service page, a homepage, a form). The default.
    #[default]
    Other,
}

impl PageType {
    /// The type's name, as in JSON records: `"article"`, `"listing"`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            PageType::Article => "article",
            PageType::Listing => "listing",
            PageType::Forum => "forum",
            PageType::Product => "product",
            PageType::Documentation => "documentation",
            PageType::Other => "other",
        }
    }
}

/// What the page declares about itself, read by the other metadata readers.
#[derive(Debug, Default)]
pub struct Declared<'a> {
    /// JSON-LD `@type`s of the objects describing the page, lower-case.
    pub schema_types: &'a [String],
    /// `og:type`.
    pub og_type: Option<&'a str>,
    pub url: Option<&'a str>,
    /// The page has a publication date / an author (articles and posts do; shop and
    /// service pages rarely do).
    pub has_date: bool,
    pub has_author: bool,
    /// A date is shown next to the headline (a dateline or a `<time>`): posts show theirs.
    pub shows_date: bool,
}

/// Evidence counted in one walk of the document.
#[derive(Debug, Default)]
struct Counts {
    /// Paragraphs of running text (at least `LONG_PARAGRAPH` characters).
    long_paragraphs: u32,
    /// Characters in those paragraphs.
    long_paragraph_chars: u32,
    /// Headings h2–h4 made of a link: teaser cards.
    linked_headings: u32,
    articles: u32,
    code_blocks: u32,
    prices: u32,
    basket: bool,
    /// Elements whose class names a forum post or a comment by a user.
    post_elements: u32,
    /// Elements whose class names a user ("username", "poster"): forum posts carry one each.
    user_elements: u32,
    product_itemtype: bool,
    forum_itemtype: bool,
    article_itemtype: bool,
    docs_hints: u32,
}

const LONG_PARAGRAPH: usize = 150;
/// A page with this many prices is a shop's category page: a product page shows one (or a
/// few, with its variants).
const MANY_PRICES: u32 = 8;

pub fn classify(dom: &Dom, declared: &Declared) -> PageType {
    let counts = count(dom);
    let mut score = Scores::default();
    for t in declared.schema_types {
        match t.as_str() {
            "product" | "productgroup" | "offer" | "aggregateoffer" | "individualproduct" => {
                score.product += 3.0
            }
            "discussionforumposting" | "qapage" => score.forum += 3.0,
            "techarticle" | "apireference" | "softwaresourcecode" => score.documentation += 2.0,
            "collectionpage" | "itemlist" | "searchresultspage" | "offercatalog" => {
                score.listing += 1.5
            }
            "article"
            | "newsarticle"
            | "blogposting"
            | "reportagenewsarticle"
            | "analysisnewsarticle"
            | "opinionnewsarticle"
            | "liveblogposting"
            | "report"
            | "scholarlyarticle"
            | "recipe"
            | "howto" => score.article += 2.0,
            _ => {}
        }
    }
    match declared.og_type.map(str::to_ascii_lowercase).as_deref() {
        Some("article" | "blog" | "news" | "newsarticle") => score.article += 1.5,
        Some("product" | "og:product" | "product.item" | "product.group") => score.product += 3.0,
        _ => {}
    }
    if counts.product_itemtype {
        score.product += 2.0;
    }
    if counts.forum_itemtype {
        score.forum += 2.0;
    }
    if counts.article_itemtype {
        score.article += 1.0;
    }
    if let Some(url) = declared.url {
        url_shape(url, &mut score);
    }
    // Running text makes an article, the more so with a date and an author; many teaser
    // cards and little running text a listing.
    let text_weight = (counts.long_paragraph_chars as f64 / 3000.0).min(2.0);
    let byline_weight = match (declared.has_date, declared.has_author) {
        (true, true) => 1.5,
        (true, false) | (false, true) => 1.0,
        (false, false) => 0.0,
    };
    score.article += text_weight.min(if byline_weight > 0.0 { 2.0 } else { 1.0 }) + byline_weight;
    if declared.shows_date {
        score.article += 0.5;
    }
    let teaser_grid = counts.linked_headings >= 6 && counts.long_paragraphs < 6;
    if teaser_grid {
        score.listing += 1.5 + (counts.linked_headings as f64 / 20.0).min(1.5);
    }
    if counts.articles >= 5 {
        score.listing += 1.0;
    }
    // A shop page with one price and a basket button is a product; a grid of priced cards
    // is a category page (a listing).
    if counts.prices >= MANY_PRICES {
        score.listing += 2.5;
    } else if counts.prices > 0 && counts.basket {
        score.product += 2.0;
    }
    // Posts by several users, each with its user box.
    if counts.post_elements >= 3 && counts.user_elements >= 3 {
        score.forum += 1.0;
    }
    if counts.post_elements >= 3 {
        score.forum += 1.0 + (counts.post_elements as f64 / 10.0).min(1.5);
    }
    if counts.code_blocks >= 2 {
        score.documentation += 0.5 + (counts.code_blocks as f64 / 5.0).min(1.5);
    }
    if counts.docs_hints > 0 {
        score.documentation += 1.0;
    }
    score.best()
}

#[derive(Debug, Default)]
struct Scores {
    article: f64,
    listing: f64,
    forum: f64,
    product: f64,
    documentation: f64,
}

impl Scores {
    /// The type with the highest score, if any reaches the bar; "other" otherwise.
    fn best(&self) -> PageType {
        // Evidence below this is too thin to call the page anything.
        const MIN_SCORE: f64 = 1.5;
        let all = [
            (self.article, PageType::Article),
            (self.forum, PageType::Forum),
            (self.product, PageType::Product),
            (self.documentation, PageType::Documentation),
            (self.listing, PageType::Listing),
        ];
        all.iter()
            .filter(|(s, _)| *s >= MIN_SCORE)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(PageType::Other, |&(_, t)| t)
    }
}

/// URL path shapes: "/forum/", "/product/", "/docs/", "/category/", "/2024/01/05/slug".
fn url_shape(url: &str, score: &mut Scores) {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let path = url_path(url).to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let has = |names: &[&str]| segments.iter().any(|s| names.contains(s));
    if has(&[
        "forum",
        "forums",
        "thread",
        "threads",
        "topic",
        "topics",
        "t",
        "discussion",
        "discussions",
        "community",
        "questions",
        "viewtopic.php",
        "showthread.php",
    ]) || host.starts_with("forum")
        || host.starts_with("community")
        || host.starts_with("discuss")
    {
        score.forum += 1.5;
    }
    if has(&[
        "product", "products", "p", "dp", "item", "shop", "produkt", "produit", "producto",
    ]) {
        score.product += 1.5;
    }
    if has(&[
        "docs",
        "doc",
        "documentation",
        "api",
        "reference",
        "manual",
        "guide",
        "guides",
        "reference-guide",
        "sdk",
        "handbook",
    ]) || host.starts_with("docs.")
        || host.starts_with("developer.")
        || host.contains("readthedocs")
    {
        score.documentation += 1.5;
    }
    if has(&[
        "category",
        "categories",
        "tag",
        "tags",
        "archive",
        "archives",
        "search",
        "collections",
        "collection",
        "c",
    ]) {
        score.listing += 1.5;
    }
    if segments.is_empty() {
        // A site's home page is a listing or a landing page, never an article.
        score.listing += 0.5;
        score.article -= 1.0;
    }
    if super::dates::from_url(url).is_some()
        || segments.last().is_some_and(|s| s.matches('-').count() >= 4)
    {
        score.article += 1.0;
    }
}

fn count(dom: &Dom) -> Counts {
    let mut c = Counts::default();
    // Text length per element, summed bottom-up in one reverse pass.
    let mut len = vec![0u32; dom.nodes.len()];
    for (i, n) in dom.nodes.iter().enumerate().rev() {
        let own = if n.tag == Tag::Text {
            dom.text(i).trim().len() as u32
        } else {
            len.get(i).copied().unwrap_or(0)
        };
        if let Some(l) = len.get_mut(i) {
            *l = own;
        }
        if let Some(parent) = len.get_mut(n.parent as usize) {
            *parent += own;
        }
    }
    for ((i, n), &chars) in dom.nodes.iter().enumerate().zip(&len) {
        match n.tag {
            Tag::P if chars as usize >= LONG_PARAGRAPH => {
                c.long_paragraphs += 1;
                c.long_paragraph_chars += chars;
            }
            Tag::H(2..=4) => {
                let end = n.end as usize;
                // A heading linking to its own anchor ("#p9001", a forum post's subject) is
                // not a teaser for another page.
                let linked = (i + 1..end)
                    .any(|j| {
                        dom.nodes.get(j).is_some_and(|a| a.tag == Tag::A)
                            && !dom.href(j).starts_with('#')
                    })
                    || dom
                        .nodes
                        .get(n.parent as usize)
                        .is_some_and(|p| p.tag == Tag::A);
                if linked {
                    c.linked_headings += 1;
                }
            }
            Tag::Article => c.articles += 1,
            Tag::Pre => c.code_blocks += 1,
            Tag::Text => {
                let t = dom.text(i);
                if t.len() < 40 {
                    if t.bytes().any(|b| b.is_ascii_digit()) && has_price(t) {
                        c.prices += 1;
                    }
                    let t = t.trim_start().as_bytes();
                    if BASKET.iter().any(|b| {
                        t.get(..b.len())
                            .is_some_and(|start| start.eq_ignore_ascii_case(b.as_bytes()))
                    }) {
                        c.basket = true;
                    }
                }
            }
            _ => {}
        }
        if n.tag != Tag::Text {
            // One pass over the class/id tokens. Forum software names its posts: phpBB
            // "postbody", vBulletin "postbit", XenForo "message" with its user, bbPress
            // "bbp-reply", and many themes a "post" with its "body" or "content".
            let (mut forum_name, mut post, mut part, mut user, mut docs) =
                (false, false, false, false, false);
            for t in dom.hints(i).split(' ') {
                match t {
                    "postbody" | "postbit" | "postprofile" | "bbp" | "ipsforum" => {
                        forum_name = true
                    }
                    "post" | "topic" => post = true,
                    "message" => post = true,
                    "body" | "content" | "text" | "author" | "container" => part = true,
                    "user" => part = true,
                    "username" | "poster" | "postauthor" | "userinfo" => user = true,
                    "docs" | "documentation" | "sphinxsidebar" | "toctree" | "rst"
                    | "docusaurus" | "mkdocs" | "gitbook" => docs = true,
                    _ => {}
                }
            }
            if forum_name || (post && part) {
                c.post_elements += 1;
            }
            c.user_elements += user as u32;
            c.docs_hints += docs as u32;
        }
    }
    for (_, itemtype) in &dom.itemscopes {
        // (Not Question or Answer: FAQ sections are made of them.)
        if itemtype.ends_with("DiscussionForumPosting") || itemtype.ends_with("QAPage") {
            c.forum_itemtype = true;
        } else if itemtype.ends_with("/Product") {
            c.product_itemtype = true;
        } else if itemtype.ends_with("Article") || itemtype.ends_with("BlogPosting") {
            c.article_itemtype = true;
        }
    }
    c
}

/// Basket buttons, in the languages of the benchmark pages.
const BASKET: [&str; 9] = [
    "add to cart",
    "add to basket",
    "add to bag",
    "buy now",
    "in den warenkorb",
    "ajouter au panier",
    "añadir al carrito",
    "aggiungi al carrello",
    "add to trolley",
];

/// A short text that reads as a price: a currency sign next to a number ("$19.99", "19,99 €").
fn has_price(t: &str) -> bool {
    let t = t.trim();
    ["$", "€", "£", "¥", "USD", "EUR", "GBP"]
        .iter()
        .any(|sign| {
            t.find(sign).is_some_and(|at| {
                let digit_within = |s: &[u8]| s.iter().take(3).any(u8::is_ascii_digit);
                let (head, tail) = t.as_bytes().split_at_checked(at).unwrap_or_default();
                let before: Vec<u8> = head.iter().rev().take(3).copied().collect();
                let after = tail.get(sign.len()..).unwrap_or_default();
                digit_within(after) || digit_within(&before)
            })
        })
}
