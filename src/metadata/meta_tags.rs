//! `<meta>` tags: OpenGraph (`og:*`, `article:*`), Twitter cards, Dublin Core (`dc.*`,
//! `dcterms.*`), Parse.ly, Sailthru, Highwire (`citation_*`) and plain names (author, date,
//! description, keywords). Each field lists its keys in order of trust.

use super::text::clean_value;
use crate::parse::dom::Dom;

pub const AUTHOR: &[&str] = &[
    "author",
    "article:author",
    "og:article:author",
    "article:author_name",
    "parsely-author",
    "sailthru.author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "book:author",
    "cxenseparse:author",
    "twitter:data1:author",
];

pub const PUBLISHED: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "publishdate",
    "published_time",
    "published-date",
    "published",
    "pubdate",
    "article.published",
    "originalpublicationdate",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date.issued",
    "dc.date.created",
    "dc.date",
    "dcterms.issued",
    "dcterms.created",
    "dcterms.date",
    "datecreated",
    "date",
    "created",
    "release_date",
    "uploaddate",
];

pub const MODIFIED: &[&str] = &[
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "article:modified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "modified",
];

pub const SITENAME: &[&str] = &[
    "og:site_name",
    "application-name",
    "apple-mobile-web-app-title",
    "dc.publisher",
    "dcterms.publisher",
    "publisher",
];

pub const DESCRIPTION: &[&str] = &[
    "og:description",
    "description",
    "twitter:description",
    "dc.description",
    "dcterms.description",
    "sailthru.description",
];

pub const SECTION: &[&str] = &[
    "article:section",
    "og:article:section",
    "parsely-section",
    "sailthru.section",
    "section",
    "category",
];

/// Tags, one per tag.
pub const TAGS: &[&str] = &["article:tag", "og:article:tag"];

/// Tags as comma-separated lists.
pub const TAG_LISTS: &[&str] = &[
    "parsely-tags",
    "sailthru.tags",
    "news_keywords",
    "keywords",
    "citation_keywords",
];

pub const IMAGE: &[&str] = &[
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
    "parsely-image-url",
    "sailthru.image.full",
    "thumbnail",
];

pub const URL: &[&str] = &["og:url", "twitter:url", "parsely-link"];

pub const LANGUAGE: &[&str] = &[
    "content-language",
    "og:locale",
    "dc.language",
    "dcterms.language",
    "language",
    "inlanguage",
];

pub const TYPE: &[&str] = &["og:type", "parsely-type"];

/// The first non-empty value among `keys`, in the order of `keys`.
pub fn first(dom: &Dom, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| dom.meta(k).and_then(clean_value))
}

/// Every value of the first key among `keys` that has any (`article:tag` repeats).
pub fn all(dom: &Dom, keys: &[&str]) -> Vec<String> {
    for key in keys {
        let values: Vec<String> = dom
            .metas
            .iter()
            .filter(|(k, _)| k == key)
            .filter_map(|(_, v)| clean_value(v))
            .collect();
        if !values.is_empty() {
            return values;
        }
    }
    Vec::new()
}

/// Every value of every key among `keys`, in document order (for dates: the caller checks each).
pub fn each<'d>(dom: &'d Dom, keys: &'d [&str]) -> impl Iterator<Item = (&'d str, &'d str)> {
    keys.iter().flat_map(move |key| {
        dom.metas
            .iter()
            .filter(move |(k, v)| k == key && !v.trim().is_empty())
            .map(|(k, v)| (k.as_str(), v.trim()))
    })
}
