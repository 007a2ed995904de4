//! The tree sink: html5ever's tree builder writes into a light linked arena of our own, which
//! is flattened once into the preorder `Dom`.
//!
//! The tree builder moves nodes after creating them (foster parenting out of tables, the
//! adoption agency reparenting children, a second `<body>` tag merging its attributes), which
//! a preorder array cannot take in place; a linked arena can, and costs a fraction of a general
//! DOM: no per-node attribute maps, class or id sets, only the attributes `Dom` reads, and
//! comments without their text. Its tree is the one any conforming sink builds: text appended
//! next to text merges, `<template>` contents hang under a fragment inside the template, and
//! reparented children never merge with the text before them.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, QualName, local_name, ns};

use super::dom::{Dom, NO_PARENT};

/// An arena index.
type Id = u32;
const NONE: Id = u32::MAX;
const DOCUMENT: Id = 0;

enum Kind {
    Document,
    /// An element (its name in `Arena::names`) with the attributes `Dom` reads, sorted by
    /// name (see `wanted`).
    Element(Vec<Attribute>),
    Text(StrTendril),
    /// A template's contents: under the template in the arena, invisible in the `Dom`.
    Fragment,
    /// A comment, doctype or processing instruction: dropped from the `Dom`, but it keeps the
    /// text on either side of it two nodes, as in any DOM.
    Other,
}

struct Node {
    kind: Kind,
    parent: Id,
    first: Id,
    last: Id,
    prev: Id,
    next: Id,
}

/// The parsed page, before flattening.
pub struct Arena {
    nodes: Vec<Node>,
    /// Each node's element name (empty for other nodes), apart from `nodes` so that the tree
    /// builder's scope checks, which ask for names on every tag, stay a plain index.
    names: Vec<QualName>,
}

impl Arena {
    fn new(room: usize) -> Arena {
        let mut arena = Arena {
            nodes: Vec::with_capacity(room),
            names: Vec::with_capacity(room),
        };
        arena.orphan(Kind::Document, no_name());
        arena
    }

    fn orphan(&mut self, kind: Kind, name: QualName) -> Id {
        let id = self.nodes.len() as Id;
        self.names.push(name);
        self.nodes.push(Node {
            kind,
            parent: NONE,
            first: NONE,
            last: NONE,
            prev: NONE,
            next: NONE,
        });
        id
    }

    fn node(&mut self, id: Id) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    fn detach(&mut self, id: Id) {
        let Node {
            parent, prev, next, ..
        } = self.nodes[id as usize];
        if parent == NONE {
            return;
        }
        let node = self.node(id);
        (node.parent, node.prev, node.next) = (NONE, NONE, NONE);
        match prev {
            NONE => self.node(parent).first = next,
            p => self.node(p).next = next,
        }
        match next {
            NONE => self.node(parent).last = prev,
            n => self.node(n).prev = prev,
        }
    }

    fn append(&mut self, parent: Id, child: Id) {
        self.detach(child);
        let last = self.nodes[parent as usize].last;
        let node = self.node(child);
        (node.parent, node.prev) = (parent, last);
        match last {
            NONE => self.node(parent).first = child,
            l => self.node(l).next = child,
        }
        self.node(parent).last = child;
    }

    fn insert_before(&mut self, sibling: Id, child: Id) {
        self.detach(child);
        let Node { parent, prev, .. } = self.nodes[sibling as usize];
        let node = self.node(child);
        (node.parent, node.prev, node.next) = (parent, prev, sibling);
        self.node(sibling).prev = child;
        match prev {
            NONE => self.node(parent).first = child,
            p => self.node(p).next = child,
        }
    }

    /// Appends `text` to node `id` when it is a text node; false otherwise.
    fn extend_text(&mut self, id: Id, text: &StrTendril) -> bool {
        if id == NONE {
            return false;
        }
        match &mut self.node(id).kind {
            Kind::Text(t) => {
                t.push_tendril(text);
                true
            }
            _ => false,
        }
    }

    /// Copies the tree into the preorder array, walking it without recursion.
    pub fn flatten(&self) -> Dom {
        let mut dom = Dom::with_capacity(self.nodes.len());
        // The nodes descended into: arena id, array index (NO_PARENT for the document and
        // fragments, whose children belong to the element around them), and the parent
        // their siblings take.
        let mut stack: Vec<(Id, u32, u32)> = Vec::new();
        let mut parent = NO_PARENT;
        let mut at = self.nodes[DOCUMENT as usize].first;
        loop {
            if at == NONE {
                let Some((up, index, outer)) = stack.pop() else {
                    return dom;
                };
                if index != NO_PARENT {
                    dom.close(index);
                }
                parent = outer;
                at = self.nodes[up as usize].next;
                continue;
            }
            let node = &self.nodes[at as usize];
            let index = match &node.kind {
                Kind::Element(attrs) => {
                    dom.push_element(&self.names[at as usize].local, attrs, parent)
                }
                Kind::Text(text) => {
                    dom.push_text(text, parent);
                    NO_PARENT
                }
                _ => NO_PARENT,
            };
            if node.first == NONE {
                at = node.next;
                continue;
            }
            stack.push((at, index, parent));
            if index != NO_PARENT {
                parent = index;
            }
            at = node.first;
        }
    }
}

/// The name of a node that is no element.
fn no_name() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

/// The attributes `Dom::push_element` reads; the rest are dropped as they arrive.
fn wanted(name: &LocalName) -> bool {
    matches!(
        &**name,
        "class"
            | "id"
            | "hidden"
            | "aria-hidden"
            | "style"
            | "role"
            | "itemprop"
            | "property"
            | "datetime"
            | "itemtype"
            | "itemscope"
            | "type"
            | "rel"
            | "name"
            | "http-equiv"
            | "content"
            | "lang"
            | "href"
            | "src"
            | "title"
    )
}

/// The sink html5ever's tree builder drives.
pub struct Sink(RefCell<Arena>);

impl Sink {
    /// A sink whose arena has room for `room` nodes up front. Grown by doubling instead, the
    /// arena leaves the allocator its old copies, which mimalloc keeps resident for a while
    /// (a page of a million `<span>`s: 502 MB peak grown, 400 MB presized); room
    /// never written to is never resident.
    pub fn with_room(room: usize) -> Sink {
        Sink(RefCell::new(Arena::new(room)))
    }
}

impl TreeSink for Sink {
    type Handle = Id;
    type Output = Arena;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Arena {
        self.0.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> Ref<'a, QualName> {
        Ref::map(self.0.borrow(), |arena| &arena.names[*target as usize])
    }

    fn create_element(&self, name: QualName, mut attrs: Vec<Attribute>, _: ElementFlags) -> Id {
        attrs.retain(|a| wanted(&a.name.local));
        if attrs.is_empty() {
            attrs = Vec::new();
        } else {
            attrs.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        }
        let template = name.ns == ns!(html) && name.local == local_name!("template");
        let mut arena = self.0.borrow_mut();
        let id = arena.orphan(Kind::Element(attrs), name);
        if template {
            let contents = arena.orphan(Kind::Fragment, no_name());
            arena.append(id, contents);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> Id {
        self.0.borrow_mut().orphan(Kind::Other, no_name())
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.0.borrow_mut().orphan(Kind::Other, no_name())
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        let mut arena = self.0.borrow_mut();
        match child {
            NodeOrText::AppendNode(id) => arena.append(*parent, id),
            NodeOrText::AppendText(text) => {
                let last = arena.nodes[*parent as usize].last;
                if !arena.extend_text(last, &text) {
                    let id = arena.orphan(Kind::Text(text), no_name());
                    arena.append(*parent, id);
                }
            }
        }
    }

    fn append_based_on_parent_node(&self, element: &Id, prev: &Id, child: NodeOrText<Id>) {
        let has_parent = self.0.borrow().nodes[*element as usize].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child)
        } else {
            self.append(prev, child)
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let mut arena = self.0.borrow_mut();
        let id = arena.orphan(Kind::Other, no_name());
        arena.append(DOCUMENT, id);
    }

    fn get_template_contents(&self, target: &Id) -> Id {
        self.0.borrow().nodes[*target as usize].first
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    /// A node with an old parent leaves it first; with no parent to insert into, nothing
    /// happens (the node stays detached).
    fn append_before_sibling(&self, sibling: &Id, new_node: NodeOrText<Id>) {
        let mut arena = self.0.borrow_mut();
        if let NodeOrText::AppendNode(id) = new_node {
            arena.detach(id);
        }
        if arena.nodes[*sibling as usize].parent == NONE {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(id) => arena.insert_before(*sibling, id),
            NodeOrText::AppendText(text) => {
                let prev = arena.nodes[*sibling as usize].prev;
                if !arena.extend_text(prev, &text) {
                    let id = arena.orphan(Kind::Text(text), no_name());
                    arena.insert_before(*sibling, id);
                }
            }
        }
    }

    /// A second `<html>` or `<body>` tag: its attributes join the element's where the name
    /// is new.
    fn add_attrs_if_missing(&self, target: &Id, attrs: Vec<Attribute>) {
        let mut arena = self.0.borrow_mut();
        let Kind::Element(have) = &mut arena.node(*target).kind else {
            return;
        };
        for attr in attrs.into_iter().filter(|a| wanted(&a.name.local)) {
            if let Err(at) = have.binary_search_by(|a| a.name.cmp(&attr.name)) {
                have.insert(at, attr);
            }
        }
    }

    fn remove_from_parent(&self, target: &Id) {
        self.0.borrow_mut().detach(*target);
    }

    /// Moves every child of `node` to the end of `new_parent`'s children, text unmerged.
    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        let mut arena = self.0.borrow_mut();
        let (first, last) = {
            let n = arena.node(*node);
            let ends = (n.first, n.last);
            (n.first, n.last) = (NONE, NONE);
            ends
        };
        if first == NONE {
            return;
        }
        let mut child = first;
        while child != NONE {
            let c = arena.node(child);
            c.parent = *new_parent;
            child = c.next;
        }
        let old_last = arena.nodes[*new_parent as usize].last;
        match old_last {
            NONE => arena.node(*new_parent).first = first,
            l => {
                arena.node(l).next = first;
                arena.node(first).prev = l;
            }
        }
        arena.node(*new_parent).last = last;
    }
}
