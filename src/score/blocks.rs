//! Blocks: the page cut into the units a reader sees (paragraphs, headings, list items, table
//! rows, code blocks), each with the features the selector scores: characters, characters
//! inside links, words, sentence ends. One forward walk over the cleaned flat document.
//!
//! Block-level elements start and end blocks; inline elements (links, emphasis, spans) add to
//! the open one. A data table row is one block with its cells joined; a layout table (one that
//! nests tables or sections) is treated as plain containers, as browsers lay it out.

use crate::clean::Cleaned;
use crate::deadline::Deadline;
use crate::parse::dom::{Dom, Tag};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    /// A list item; `marker` is false for the second and later blocks of one item.
    ListItem {
        depth: u8,
        ordinal: Option<u32>,
        marker: bool,
    },
    Pre,
    /// A data table row; `first` marks the first row of its table.
    Row {
        first: bool,
        header: bool,
    },
    Caption,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub kind: BlockKind,
    /// The block-level element the block's text first appeared in.
    pub node: u32,
    pub text: String,
    /// Inline Markdown (emphasis, code, links), built only when asked for.
    pub markdown: String,
    pub in_quote: bool,
    pub chars: u32,
    pub link_chars: u32,
    pub words: u32,
    /// Sentence-ending punctuation followed by a space or the end (". ", "! ", "。").
    pub sentence_ends: u32,
}

impl Block {
    /// A block of `text` (trimmed as it should stand) with its features counted: characters
    /// and sentence ends ([`text_stats`]), words; `link_chars` is capped at the characters.
    pub fn new(
        kind: BlockKind,
        node: u32,
        text: String,
        link_chars: u32,
        in_quote: bool,
        markdown: String,
    ) -> Block {
        let (chars, sentence_ends) = text_stats(&text);
        Block {
            kind,
            node,
            words: text.split_whitespace().count() as u32,
            markdown,
            text,
            in_quote,
            chars,
            link_chars: link_chars.min(chars),
            sentence_ends,
        }
    }

    pub fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

/// Non-whitespace characters and sentence ends (". ", "! ", "? ", "; ", "。") in a text.
pub fn text_stats(text: &str) -> (u32, u32) {
    let mut chars = 0u32;
    let mut sentence_ends = 0u32;
    let mut prev_end = false;
    for c in text.chars() {
        if !c.is_whitespace() {
            chars += 1;
        }
        if prev_end && c.is_whitespace() {
            sentence_ends += 1;
        }
        prev_end = matches!(c, '.' | '!' | '?' | ';');
        if matches!(c, '。' | '！' | '？') {
            sentence_ends += 1;
        }
    }
    if prev_end {
        sentence_ends += 1;
    }
    (chars, sentence_ends)
}

/// What closing an open element must undo.
#[derive(Clone, Copy)]
enum Close {
    /// Ends a block (and a kind context if `pops_kind`).
    Block {
        pops_kind: bool,
    },
    Link,
    Emphasis(&'static str),
    Pre,
    Quote,
    List,
    Cell,
    Table,
    Nothing,
}

struct Segmenter<'a> {
    dom: &'a Dom,
    markdown: bool,
    blocks: Vec<Block>,
    text: String,
    md: String,
    owner: u32,
    link_chars: u32,
    pending_space: bool,
    in_link: u32,
    link_href: Vec<(usize, String)>,
    in_pre: u32,
    in_quote: u32,
    in_cell: u32,
    /// Innermost kind-giving context (heading, list item, pre, row, caption).
    kinds: Vec<BlockKind>,
    /// Open lists: depth is the length; the counter numbers `<ol>` items.
    lists: Vec<Option<u32>>,
    /// Open data tables: whether a row was emitted yet.
    tables: Vec<bool>,
    /// Open block elements (owners for new blocks).
    block_owners: Vec<u32>,
}

/// Cuts the cleaned document into blocks. `markdown` also builds each block's inline Markdown.
/// Stops early once `deadline` has passed; the caller checks it.
pub fn segment(dom: &Dom, cleaned: &Cleaned, markdown: bool, deadline: Deadline) -> Vec<Block> {
    let layout = layout_tables(dom, cleaned);
    let mut s = Segmenter {
        dom,
        markdown,
        blocks: Vec::new(),
        text: String::new(),
        md: String::new(),
        owner: 0,
        link_chars: 0,
        pending_space: false,
        in_link: 0,
        link_href: Vec::new(),
        in_pre: 0,
        in_quote: 0,
        in_cell: 0,
        kinds: Vec::new(),
        lists: Vec::new(),
        tables: Vec::new(),
        block_owners: vec![0],
    };
    let mut closing: Vec<(u32, Close)> = Vec::new();
    let n = dom.nodes.len();
    let mut i = 0;
    while i < n && !deadline.passed_at(i) {
        while let Some(&(end, action)) = closing.last() {
            if end as usize > i {
                break;
            }
            closing.pop();
            s.close(action);
        }
        if cleaned.removed[i] {
            i = dom.nodes[i].end as usize;
            continue;
        }
        let node = &dom.nodes[i];
        if node.tag == Tag::Text {
            s.push_text(dom.text(i));
            i += 1;
            continue;
        }
        let action = s.open(i, layout[i]);
        closing.push((node.end, action));
        i += 1;
    }
    while let Some((_, action)) = closing.pop() {
        s.close(action);
    }
    s.flush();
    s.blocks
}

/// Marks `<table>`s used for layout: those holding another table or sectioning content.
fn layout_tables(dom: &Dom, cleaned: &Cleaned) -> Vec<bool> {
    let n = dom.nodes.len();
    // has_structure[i]: the subtree below i holds a table or sectioning/heading element.
    let mut has_structure = vec![false; n];
    let mut layout = vec![false; n];
    for i in (0..n).rev() {
        if cleaned.removed[i] {
            continue;
        }
        let node = &dom.nodes[i];
        if node.tag == Tag::Table {
            layout[i] = has_structure[i];
        }
        let structural = matches!(
            node.tag,
            Tag::Table
                | Tag::Article
                | Tag::Section
                | Tag::Main
                | Tag::Blockquote
                | Tag::Pre
                | Tag::Ul
                | Tag::Ol
                | Tag::H(1)
                | Tag::H(2)
        );
        if node.parent != u32::MAX {
            let p = node.parent as usize;
            has_structure[p] |= has_structure[i] || structural;
        }
    }
    layout
}

impl Segmenter<'_> {
    fn open(&mut self, i: usize, is_layout_table: bool) -> Close {
        let node = &self.dom.nodes[i];
        let tag = node.tag;
        if self.in_cell > 0 && tag.is_block() && !matches!(tag, Tag::Table) {
            // Inside a data cell, blocks are just spaces.
            self.pending_space = true;
            return Close::Nothing;
        }
        match tag {
            Tag::Br => self.line_break(),
            Tag::A => self.open_link(i),
            Tag::Em | Tag::Strong | Tag::Code if self.markdown && self.in_pre == 0 => {
                self.open_emphasis(tag)
            }
            Tag::Hr => {
                self.flush();
                Close::Nothing
            }
            Tag::Table if !is_layout_table => {
                self.flush();
                self.tables.push(false);
                Close::Table
            }
            Tag::Tr if !self.tables.is_empty() && self.in_cell == 0 => self.open_row(i),
            Tag::Td | Tag::Th if !self.tables.is_empty() => self.open_cell(tag),
            Tag::H(level) => self.begin_kind(i, BlockKind::Heading(level)),
            Tag::Pre => {
                self.flush();
                self.in_pre += 1;
                self.kinds.push(BlockKind::Pre);
                self.block_owners.push(i as u32);
                Close::Pre
            }
            Tag::Ul | Tag::Ol => {
                self.flush();
                self.lists.push((tag == Tag::Ol).then_some(0));
                self.block_owners.push(i as u32);
                Close::List
            }
            Tag::Li => self.open_list_item(i),
            Tag::Figcaption | Tag::Caption => self.begin_kind(i, BlockKind::Caption),
            Tag::Blockquote => {
                self.flush();
                self.in_quote += 1;
                self.block_owners.push(i as u32);
                Close::Quote
            }
            t if t.is_block() => {
                self.flush();
                self.block_owners.push(i as u32);
                Close::Block { pops_kind: false }
            }
            _ => Close::Nothing,
        }
    }

    /// `<br>`: a new line inside the block (kept in `<pre>`).
    fn line_break(&mut self) -> Close {
        if self.in_pre > 0 {
            self.push_raw("\n");
        } else if !self.text.is_empty() {
            self.text.push('\n');
            self.md.push_str(if self.markdown { "  \n" } else { "" });
            self.pending_space = false;
        }
        Close::Nothing
    }

    /// `<a href>`: its text counts as link text (an anchor without href is plain text).
    fn open_link(&mut self, i: usize) -> Close {
        let href = self.dom.href(i);
        if href.is_empty() {
            return Close::Nothing;
        }
        self.in_link += 1;
        if self.markdown {
            self.space_if_pending();
            self.md.push('[');
            self.link_href.push((self.md.len(), href.to_string()));
        }
        Close::Link
    }

    /// `<em>`, `<strong>`, `<code>` in Markdown: their marks.
    fn open_emphasis(&mut self, tag: Tag) -> Close {
        let mark = match tag {
            Tag::Em => "*",
            Tag::Strong => "**",
            _ => "`",
        };
        self.space_if_pending();
        self.md.push_str(mark);
        Close::Emphasis(mark)
    }

    /// A data table's `<tr>`: one block, the first of its table marked.
    fn open_row(&mut self, i: usize) -> Close {
        self.flush();
        let first = !self.tables.last().copied().unwrap_or(true);
        if let Some(t) = self.tables.last_mut() {
            *t = true;
        }
        let row = BlockKind::Row {
            first,
            header: false,
        };
        self.begin_kind(i, row)
    }

    /// A data cell: joined to the row's other cells with " | "; a `<th>` makes a header row.
    fn open_cell(&mut self, tag: Tag) -> Close {
        if !self.text.is_empty() {
            self.text.push_str(" | ");
            self.md.push_str(" | ");
        }
        self.pending_space = false;
        if tag == Tag::Th
            && let Some(BlockKind::Row { header, .. }) = self.kinds.last_mut()
        {
            *header = true;
        }
        self.in_cell += 1;
        Close::Cell
    }

    /// `<li>`: a list item at the list's depth, numbered in an `<ol>`.
    fn open_list_item(&mut self, i: usize) -> Close {
        let depth = self.lists.len().max(1) as u8;
        let ordinal = match self.lists.last_mut() {
            Some(Some(counter)) => {
                *counter += 1;
                Some(*counter)
            }
            _ => None,
        };
        let item = BlockKind::ListItem {
            depth,
            ordinal,
            marker: true,
        };
        self.begin_kind(i, item)
    }

    fn begin_kind(&mut self, i: usize, kind: BlockKind) -> Close {
        self.flush();
        self.kinds.push(kind);
        self.block_owners.push(i as u32);
        Close::Block { pops_kind: true }
    }

    fn close(&mut self, action: Close) {
        match action {
            Close::Block { pops_kind } => {
                self.flush();
                self.block_owners.pop();
                if pops_kind {
                    self.kinds.pop();
                }
            }
            Close::Link => {
                self.in_link -= 1;
                if let Some((at, href)) = self.link_href.pop() {
                    if self.md.len() > at {
                        self.md.push_str("](");
                        self.md.push_str(&href);
                        self.md.push(')');
                    } else {
                        self.md.truncate(at - 1); // an empty link: drop the '['
                    }
                }
            }
            Close::Emphasis(mark) => {
                if self.md.ends_with(mark) {
                    self.md.truncate(self.md.len() - mark.len()); // empty emphasis
                } else {
                    self.md.push_str(mark);
                }
            }
            Close::Pre => {
                self.flush();
                self.in_pre -= 1;
                self.kinds.pop();
                self.block_owners.pop();
            }
            Close::Quote => {
                self.flush();
                self.in_quote -= 1;
                self.block_owners.pop();
            }
            Close::List => {
                self.flush();
                self.lists.pop();
                self.block_owners.pop();
            }
            Close::Cell => {
                self.in_cell -= 1;
                self.pending_space = false;
            }
            Close::Table => {
                self.flush();
                self.tables.pop();
            }
            Close::Nothing => {}
        }
    }

    fn space_if_pending(&mut self) {
        if self.pending_space
            && !self.text.is_empty()
            && !self.text.ends_with('\n')
            && !self.text.ends_with(' ')
        {
            self.text.push(' ');
            self.md.push(' ');
        }
        self.pending_space = false;
    }

    fn push_text(&mut self, raw: &str) {
        if self.text.is_empty() {
            self.owner = self.block_owners.last().copied().unwrap_or(0);
        }
        if self.in_pre > 0 {
            self.push_raw(raw);
            return;
        }
        let before = self.text.len();
        for word in raw.split_inclusive(char::is_whitespace) {
            let trimmed = word.trim_end();
            if word.starts_with(char::is_whitespace) {
                self.pending_space = true;
            }
            if !trimmed.is_empty() {
                self.space_if_pending();
                self.text.push_str(trimmed);
                if self.markdown {
                    self.md.push_str(trimmed);
                }
            }
            if trimmed.len() < word.len() {
                self.pending_space = true;
            }
        }
        if self.in_link > 0 {
            self.link_chars += self.text[before..]
                .chars()
                .filter(|c| !c.is_whitespace())
                .count() as u32;
        }
    }

    fn push_raw(&mut self, raw: &str) {
        self.text.push_str(raw);
        if self.markdown {
            self.md.push_str(raw);
        }
    }

    /// Ends the open block, computing its features.
    fn flush(&mut self) {
        if self.text.trim().is_empty() {
            self.text.clear();
            self.md.clear();
            self.link_chars = 0;
            self.pending_space = false;
            return;
        }
        let kind = match self.kinds.last_mut() {
            Some(BlockKind::ListItem {
                marker,
                depth,
                ordinal,
            }) => {
                let k = BlockKind::ListItem {
                    depth: *depth,
                    ordinal: *ordinal,
                    marker: *marker,
                };
                *marker = false;
                k
            }
            Some(k) => *k,
            None => BlockKind::Paragraph,
        };
        let text = if kind == BlockKind::Pre {
            trim_blank_lines(&self.text)
        } else {
            self.text.trim().to_string()
        };
        let markdown = std::mem::take(&mut self.md).trim().to_string();
        self.blocks.push(Block::new(
            kind,
            self.owner,
            text,
            self.link_chars,
            self.in_quote > 0,
            markdown,
        ));
        self.text.clear();
        self.link_chars = 0;
        self.pending_space = false;
    }
}

/// Drops leading and trailing blank lines of a code block, keeping indentation.
fn trim_blank_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .unwrap_or(0);
    lines[first..=last]
        .iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{Patterns, clean};
    use crate::rules::Rules;

    fn blocks(html: &str) -> Vec<Block> {
        let cfg = Rules::default();
        let dom = crate::parse::parse(html, 512, Deadline::NONE);
        let cleaned = clean(
            &dom,
            &Patterns::new(&cfg.clean),
            &cfg.clean,
            None,
            Deadline::NONE,
        );
        segment(&dom, &cleaned, true, Deadline::NONE)
    }

    #[test]
    fn paragraphs_links_and_whitespace() {
        let b = blocks("<p>One  <a href='/x'>two\n three</a>four.</p><p>Five</p>");
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].text, "One two threefour.");
        assert_eq!(b[0].markdown, "One [two three](/x)four.");
        assert_eq!(b[0].link_chars, 8);
        assert_eq!(b[0].sentence_ends, 1);
        assert_eq!(b[1].text, "Five");
    }

    #[test]
    fn lists_tables_and_pre() {
        let b = blocks(
            "<ol><li>a<ul><li>b</li></ul></li><li><p>c</p></li></ol>\
             <table><tr><th>h1</th><th>h2</th></tr><tr><td><p>x</p></td><td>y</td></tr></table>\
             <pre>\n  fn main() {\n      x\n  }\n</pre>",
        );
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "a",
                "b",
                "c",
                "h1 | h2",
                "x | y",
                "  fn main() {\n      x\n  }"
            ]
        );
        assert_eq!(
            b[1].kind,
            BlockKind::ListItem {
                depth: 2,
                ordinal: None,
                marker: true
            }
        );
        assert_eq!(
            b[2].kind,
            BlockKind::ListItem {
                depth: 1,
                ordinal: Some(2),
                marker: true
            }
        );
        assert_eq!(
            b[3].kind,
            BlockKind::Row {
                first: true,
                header: true
            }
        );
        assert_eq!(b[5].kind, BlockKind::Pre);
    }

    #[test]
    fn layout_tables_are_containers() {
        let b = blocks(
            "<table><tr><td><table><tr><td>nav</td></tr></table></td>\
             <td><p>First paragraph.</p><p>Second.</p></td></tr></table>",
        );
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["nav", "First paragraph.", "Second."]);
    }

    #[test]
    fn br_breaks_lines_inside_a_paragraph() {
        let b = blocks("<div>line one<br>line two<br><br>line three</div>");
        assert_eq!(b[0].text, "line one\nline two\n\nline three");
    }
}
