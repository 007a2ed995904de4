//! JSON-LD: the schema.org objects in `<script type="application/ld+json">` blocks, read
//! leniently (HTML comment and CDATA wrappers, raw line breaks inside strings, trailing
//! commas, several objects in one block; as a last resort the key fields by pattern), and
//! the fields of the page's main object (an Article, else a WebPage) pulled out.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::text::clean_value;
use crate::parse::dom::{Dom, flags};

/// What the page's JSON-LD says about it.
#[derive(Debug, Default)]
pub struct JsonLd {
    /// Every `@type` of an object that describes the page itself (not the teasers, comments
    /// or list items inside it), lower-case.
    pub types: Vec<String>,
    pub headline: Option<String>,
    /// The `name` of a WebPage (often the `<title>`, site name included).
    pub page_name: Option<String>,
    pub authors: Vec<String>,
    pub date_published: Option<String>,
    pub date_modified: Option<String>,
    pub description: Option<String>,
    /// The publisher's or the WebSite's name.
    pub sitename: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub image: Option<String>,
    pub sections: Vec<String>,
    pub keywords: Vec<String>,
}

/// Article-like types: an object of one of these is the page's main content.
const ARTICLE_TYPES: [&str; 22] = [
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "liveblogposting",
    "socialmediaposting",
    "discussionforumposting",
    "scholarlyarticle",
    "techarticle",
    "apireference",
    "report",
    "satiricalarticle",
    "medicalscholarlyarticle",
    "posting",
    "recipe",
    "howto",
    "review",
];

/// Page types: the page's own description when it has no article object.
const PAGE_TYPES: [&str; 11] = [
    "webpage",
    "itempage",
    "aboutpage",
    "faqpage",
    "qapage",
    "profilepage",
    "collectionpage",
    "searchresultspage",
    "medicalwebpage",
    "contactpage",
    "realestatelisting",
];

/// Keys whose objects are other things than the page (teasers, comments, list items,
/// citations): their articles are not the main article.
const FOREIGN_KEYS: [&str; 12] = [
    "itemlistelement",
    "relatedlink",
    "significantlink",
    "citation",
    "comment",
    "review",
    "haspart",
    "mentions",
    "subjectof",
    "workexample",
    "suggestedanswer",
    "acceptedanswer",
];

/// Reads every JSON-LD block of the page.
pub fn read(dom: &Dom) -> JsonLd {
    let mut roots = Vec::new();
    for (i, node) in dom.nodes.iter().enumerate() {
        if node.flags & flags::JSON_LD != 0 {
            roots.extend(parse_lenient(&dom.inner_text(i)));
        }
    }
    from_values(&roots)
}

/// The fields of the main object among parsed JSON-LD values.
pub fn from_values(roots: &[Value]) -> JsonLd {
    let mut objects = Vec::new();
    for root in roots {
        collect(root, 0, &mut objects);
    }
    let graph = Graph {
        by_id: objects
            .iter()
            .filter(|o| o.len() > 1)
            .filter_map(|o| Some((o.get("@id")?.as_str()?, *o)))
            .collect(),
    };
    let resolve = |v| graph.resolve(v);
    let mut out = JsonLd {
        types: objects.iter().flat_map(|o| types_of(o)).collect(),
        ..JsonLd::default()
    };
    let article = objects.iter().find(|o| {
        types_of(o)
            .iter()
            .any(|t| ARTICLE_TYPES.contains(&t.as_str()))
    });
    let page = objects
        .iter()
        .find(|o| types_of(o).iter().any(|t| PAGE_TYPES.contains(&t.as_str())));
    // A Q&A page's question carries the thread's title, author and date.
    let question = objects
        .iter()
        .find(|o| types_of(o).iter().any(|t| t == "question"));
    // A product page describes its product.
    let product = objects
        .iter()
        .find(|o| types_of(o).iter().any(|t| t == "product"));
    let main = article.or(question).or(page).or(product);
    if let Some(main) = main {
        out.headline = string(main.get("headline"))
            .or_else(|| string(main.get("name")))
            .filter(|h| h.chars().count() <= 400);
        out.authors = people(main.get("author").or(main.get("creator")), &graph);
        out.date_published = string(main.get("datePublished"))
            .or_else(|| string(main.get("dateCreated")))
            .or_else(|| string(main.get("uploadDate")));
        out.date_modified = string(main.get("dateModified"));
        out.description = string(main.get("description"));
        out.language = string(main.get("inLanguage"));
        out.url = string(main.get("url"));
        out.image = image(main.get("image").or(main.get("thumbnailUrl")), &graph);
        out.sections = strings(main.get("articleSection"));
        out.keywords = keywords(main.get("keywords"));
        out.sitename = main
            .get("publisher")
            .and_then(resolve)
            .and_then(|p| string(p.get("name")));
    }
    if let Some(page) = page {
        out.page_name = string(page.get("name")).or_else(|| string(page.get("headline")));
        out.description = out.description.or_else(|| string(page.get("description")));
        out.language = out.language.or_else(|| string(page.get("inLanguage")));
        out.date_published = out
            .date_published
            .or_else(|| string(page.get("datePublished")));
        out.date_modified = out
            .date_modified
            .or_else(|| string(page.get("dateModified")));
        if out.authors.is_empty() {
            out.authors = people(page.get("author"), &graph);
        }
    }
    if out.sitename.is_none() {
        out.sitename = objects
            .iter()
            .find(|o| types_of(o).iter().any(|t| t == "website"))
            .and_then(|o| string(o.get("name")))
            .or_else(|| {
                page.and_then(|p| p.get("isPartOf"))
                    .and_then(resolve)
                    .and_then(|w| string(w.get("name")))
            });
    }
    out
}

/// The objects by `@id`, so that `{"@id": "…"}` references can be followed.
struct Graph<'v> {
    by_id: HashMap<&'v str, &'v Map<String, Value>>,
}

impl<'v> Graph<'v> {
    /// An object, or the object a bare `{"@id": …}` reference points to.
    fn resolve(&self, v: &'v Value) -> Option<&'v Map<String, Value>> {
        let o = v.as_object()?;
        match o.get("@id").and_then(Value::as_str) {
            Some(id) if o.len() == 1 => self.by_id.get(id).copied(),
            _ => Some(o),
        }
    }
}

/// Every object that describes the page or a part of it, depth first; the contents of
/// `FOREIGN_KEYS` (teasers, comments, list items) are skipped.
fn collect<'v>(value: &'v Value, depth: usize, out: &mut Vec<&'v Map<String, Value>>) {
    // Real JSON-LD nests a handful of levels; the cap keeps hostile input cheap.
    if depth > 12 || out.len() > 1000 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, depth + 1, out)),
        Value::Object(map) => {
            out.push(map);
            for (key, v) in map {
                let key = key.to_ascii_lowercase();
                if !FOREIGN_KEYS.contains(&key.as_str()) && (v.is_object() || v.is_array()) {
                    collect(v, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// An object's `@type`s, lower-case, without a schema.org prefix.
fn types_of(o: &Map<String, Value>) -> Vec<String> {
    let one = |v: &Value| {
        v.as_str().map(|t| {
            let t = t.rsplit(['/', ':']).next().unwrap_or(t);
            t.trim().to_ascii_lowercase()
        })
    };
    match o.get("@type") {
        Some(Value::Array(ts)) => ts.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A string value (the first of an array; a `{"@value": …}` object).
fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => clean_value(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(|i| string(Some(i))),
        Value::Object(o) => string(o.get("@value")),
        _ => None,
    }
}

/// All string values of a value that may be a string or an array of them.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(|i| string(Some(i))).collect(),
        Some(v) => string(Some(v)).into_iter().collect(),
        None => Vec::new(),
    }
}

/// `keywords`: an array, or one comma-separated string.
fn keywords(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => s.split(',').filter_map(clean_value).collect(),
        other => strings(other),
    }
}

/// Names of the people (or organisations) in an `author` value: a name, an object with a
/// `name` (or given and family names), an `@id` reference, or an array of these.
fn people<'v>(v: Option<&'v Value>, graph: &Graph<'v>) -> Vec<String> {
    let Some(v) = v else { return Vec::new() };
    let items: Vec<&Value> = match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .filter_map(|item| match item {
            Value::String(s) => clean_value(s),
            Value::Object(_) => {
                let o = graph.resolve(item)?;
                string(o.get("name")).or_else(|| {
                    let given = string(o.get("givenName"))?;
                    Some(match string(o.get("familyName")) {
                        Some(family) => format!("{given} {family}"),
                        None => given,
                    })
                })
            }
            _ => None,
        })
        .collect()
}

/// An image URL: a string, an ImageObject (`url` or `contentUrl`), or the first of an array.
fn image<'v>(v: Option<&'v Value>, graph: &Graph<'v>) -> Option<String> {
    match v? {
        Value::String(s) => clean_value(s),
        Value::Array(items) => items.iter().find_map(|i| image(Some(i), graph)),
        obj @ Value::Object(_) => {
            let o = graph.resolve(obj)?;
            string(o.get("url")).or_else(|| string(o.get("contentUrl")))
        }
        _ => None,
    }
}

/// Parses one `<script type="application/ld+json">` text as leniently as browsers' readers
/// do: whatever parses gives its values; broken JSON is repaired where the damage is the
/// usual kind, and failing that the key article fields are found by pattern.
pub fn parse_lenient(raw: &str) -> Vec<Value> {
    let text = unwrap(raw);
    if text.is_empty() {
        return Vec::new();
    }
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return vec![v];
    }
    let repaired = repair(text);
    let mut values = Vec::new();
    // A stream reads concatenated objects ("{…}{…}") and stops at trailing garbage (";").
    for v in serde_json::Deserializer::from_str(&repaired).into_iter::<Value>() {
        match v {
            Ok(v) => values.push(v),
            Err(_) => break,
        }
    }
    if values.is_empty() {
        values.extend(salvage(&repaired));
    }
    values
}

/// Strips the HTML comment and CDATA wrappers that old CMSs put around script text.
fn unwrap(raw: &str) -> &str {
    let mut s = raw.trim();
    for prefix in ["<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["] {
        s = s.strip_prefix(prefix).unwrap_or(s).trim_start();
    }
    for suffix in ["-->", "//]]>", "/*]]>*/", "]]>"] {
        s = s.strip_suffix(suffix).unwrap_or(s).trim_end();
    }
    s
}

/// Fixes the usual damage: raw line breaks and tabs inside strings (JSON forbids them) and
/// trailing commas before `}` or `]`.
fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                '\n' | '\r' | '\t' => {
                    out.push(' ');
                    continue;
                }
                _ => {}
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => in_string = true,
            '}' | ']' => {
                if let Some(kept) = out.trim_end().strip_suffix(',') {
                    let kept = kept.len();
                    out.truncate(kept);
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The last resort for JSON that will not parse: the article fields found by pattern.
fn salvage(text: &str) -> Option<Value> {
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static FIELD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#""(headline|name|datePublished|dateModified|@type)"\s*:\s*"((?:[^"\\]|\\.){1,400})""#,
        )
        .expect("valid regex")
    });
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#""author"\s*:\s*(?:\[\s*)?(?:"((?:[^"\\]|\\.){1,100})"|\{[^{}]*?"name"\s*:\s*"((?:[^"\\]|\\.){1,100})")"#,
        )
        .expect("valid regex")
    });
    let mut object = Map::new();
    for m in FIELD.captures_iter(text) {
        let key = m[1].to_string();
        if !object.contains_key(&key) {
            object.insert(key, Value::String(m[2].replace("\\\"", "\"")));
        }
    }
    if let Some(m) = AUTHOR.captures(text) {
        let name = m.get(1).or(m.get(2)).map_or("", |n| n.as_str());
        object.insert("author".into(), Value::String(name.replace("\\\"", "\"")));
    }
    // A name is the page's only for a site or an organisation; in an article the first
    // "name" is usually its author's or publisher's.
    let is_site = object
        .get("@type")
        .and_then(Value::as_str)
        .is_some_and(|t| t == "WebSite" || t == "Organization");
    if !is_site {
        object.remove("name");
    }
    if !object.contains_key("headline") && !object.contains_key("datePublished") && !is_site {
        return None;
    }
    object
        .entry("@type")
        .or_insert_with(|| Value::String("Article".into()));
    Some(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(json: &str) -> JsonLd {
        from_values(&parse_lenient(json))
    }

    #[test]
    fn graph_with_references() {
        let ld = read_str(
            r##"{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","@id":"id-site","name":"Orchard Notes"},
              {"@type":"WebPage","@id":"id-page","name":"Pruning | Orchard Notes","isPartOf":{"@id":"id-site"}},
              {"@type":"Person","@id":"id-ann","name":"Ann Lee"},
              {"@type":["BlogPosting"],"headline":"Pruning","author":[{"@id":"id-ann"},{"@type":"Person","name":"Bo Ek"}],
               "datePublished":"2024-03-01T08:00:00+01:00","keywords":"apples, pruning","articleSection":["Garden"]}]}"##,
        );
        assert_eq!(ld.headline.as_deref(), Some("Pruning"));
        assert_eq!(ld.authors, ["Ann Lee", "Bo Ek"]);
        assert_eq!(
            ld.date_published.as_deref(),
            Some("2024-03-01T08:00:00+01:00")
        );
        assert_eq!(ld.sitename.as_deref(), Some("Orchard Notes"));
        assert_eq!(ld.page_name.as_deref(), Some("Pruning | Orchard Notes"));
        assert_eq!(ld.keywords, ["apples", "pruning"]);
        assert_eq!(ld.sections, ["Garden"]);
        assert!(ld.types.contains(&"blogposting".to_string()));
    }

    #[test]
    fn teasers_in_lists_are_not_the_article() {
        let ld = read_str(
            r##"{"@type":"CollectionPage","name":"News","mainEntity":{"@type":"ItemList",
               "itemListElement":[{"@type":"NewsArticle","headline":"Teaser"}]}}"##,
        );
        assert_eq!(ld.headline.as_deref(), Some("News"));
    }

    #[test]
    fn broken_json_is_repaired_or_salvaged() {
        let ld = read_str("<!--\n{\"@type\":\"NewsArticle\",\"headline\":\"Two\nlines\",}\n-->");
        assert_eq!(ld.headline.as_deref(), Some("Two lines"));
        let ld = read_str(
            r##"{"@type":"NewsArticle","headline":"Cut short","author":{"name":"Ann Lee"},"datePublished":"2024-01-05" "##,
        );
        assert_eq!(ld.headline.as_deref(), Some("Cut short"));
        assert_eq!(ld.authors, ["Ann Lee"]);
        assert_eq!(ld.date_published.as_deref(), Some("2024-01-05"));
        let two =
            parse_lenient(r##"{"@type":"WebSite","name":"A"}{"@type":"Article","headline":"B"};"##);
        assert_eq!(two.len(), 2);
        assert!(parse_lenient("not json at all").is_empty());
    }
}
