//! Machine-readable values in the page body: microdata (`itemprop` on an `itemscope` of the
//! page's own article, not of a comment or a teaser) and `<time datetime>` elements.

use super::text::{clean_value, collapse};
use super::zone::Zone;
use crate::parse::dom::{Dom, NO_PARENT, Prop};

/// Item types whose properties describe something other than the page (a comment's author,
/// a review's date, a teaser in a list).
const FOREIGN_ITEMTYPES: [&str; 5] = ["Comment", "Review", "ListItem", "Answer", "Offer"];

/// The `itemtype` of the nearest `itemscope` around `node` (the node itself excluded).
fn enclosing_itemtype(dom: &Dom, node: usize) -> Option<&str> {
    let mut p = dom.nodes.get(node)?.parent;
    while p != NO_PARENT {
        if let Ok(k) = dom.itemscopes.binary_search_by_key(&p, |(i, _)| *i) {
            return dom.itemscopes.get(k).map(|(_, itemtype)| itemtype.as_str());
        }
        p = dom.nodes.get(p as usize)?.parent;
    }
    None
}

/// Properties of the page's own item: not in a comment, review or teaser list.
fn own_props<'d>(
    dom: &'d Dom,
    zone: &'d Zone,
    names: &'d [&str],
) -> impl Iterator<Item = &'d Prop> {
    dom.props.iter().filter(move |p| {
        names.contains(&p.name.as_str())
            && !enclosing_itemtype(dom, p.node as usize)
                .is_some_and(|t| FOREIGN_ITEMTYPES.iter().any(|f| t.ends_with(f)))
            && !zone.is_foreign(dom, p.node as usize)
    })
}

/// A property's value: its machine-readable attribute, else its text.
fn value(dom: &Dom, prop: &Prop) -> Option<String> {
    match &prop.value {
        Some(v) => clean_value(v),
        None => clean_value(&collapse(&dom.inner_text(prop.node as usize))),
    }
}

/// `itemprop="author"` (or `creator`): the `name` property inside it, else its text.
pub fn authors(dom: &Dom, zone: &Zone) -> Vec<String> {
    let mut names = Vec::new();
    for prop in own_props(dom, zone, &["author", "creator"]) {
        let node = prop.node as usize;
        let Some(end) = dom.nodes.get(node).map(|n| n.end) else {
            continue;
        };
        let inner_name = dom
            .props
            .iter()
            .find(|p| p.name == "name" && p.node > prop.node && p.node < end);
        let name = match inner_name {
            Some(n) => value(dom, n),
            // An author given as a link to a profile page is named by the link text.
            None if prop.value.as_deref().is_some_and(|v| v.contains('/')) => {
                clean_value(&collapse(&dom.inner_text(node)))
            }
            None => value(dom, prop),
        };
        if let Some(name) = name.filter(|n| n.chars().count() <= 200) {
            names.push(name);
        }
    }
    names
}

/// The `headline` property's text.
pub fn headline(dom: &Dom, zone: &Zone) -> Option<String> {
    own_props(dom, zone, &["headline"]).find_map(|p| value(dom, p))
}

/// `datePublished` (or `dateCreated`) values, in document order.
pub fn published(dom: &Dom, zone: &Zone) -> Vec<String> {
    own_props(dom, zone, &["datepublished", "datecreated"])
        .filter_map(|p| value(dom, p))
        .collect()
}

/// `dateModified` values.
pub fn modified(dom: &Dom, zone: &Zone) -> Vec<String> {
    own_props(dom, zone, &["datemodified"])
        .filter_map(|p| value(dom, p))
        .collect()
}

/// `<time>` elements outside sidebars, teasers and comments: (node, `datetime` or else the
/// text, whether the element's class says it is an update time).
pub fn times(dom: &Dom, zone: &Zone) -> Vec<(usize, String, bool)> {
    dom.props
        .iter()
        .filter(|p| p.name == "time")
        .filter(|p| !zone.is_foreign(dom, p.node as usize))
        .filter_map(|p| {
            let node = p.node as usize;
            let hints = dom.hints(node);
            let updated = hints.contains("updated") || hints.contains("modified");
            Some((node, value(dom, p)?, updated))
        })
        .collect()
}
