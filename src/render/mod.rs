//! Render: the kept blocks as plain text or Markdown.
//!
//! Plain text: one paragraph per line, a blank line between blocks; the items of one list and
//! the rows of one table stay on consecutive lines ("- item", "1. item", cells joined " | ").
//! Markdown adds heading marks, emphasis, code fences, quote marks and table rules.

use crate::config::Style;
use crate::score::{Block, BlockKind};

pub fn render(blocks: &[&Block], style: Style) -> String {
    let mut out = String::new();
    let mut prev: Option<&Block> = None;
    for b in blocks {
        if let Some(p) = prev {
            out.push_str(if continues(p, b) { "\n" } else { "\n\n" });
        }
        match style {
            Style::Text => render_text(b, &mut out),
            Style::Markdown => render_markdown(b, &mut out),
        }
        prev = Some(b);
    }
    out
}

/// List items after list items, and rows after rows of the same table, stay on the next line.
fn continues(prev: &Block, next: &Block) -> bool {
    match (prev.kind, next.kind) {
        (BlockKind::ListItem { .. }, BlockKind::ListItem { .. }) => true,
        (BlockKind::Row { .. }, BlockKind::Row { first, .. }) => !first,
        _ => false,
    }
}

fn list_prefix(depth: u8, ordinal: Option<u32>, marker: bool) -> String {
    let indent = "  ".repeat(depth.saturating_sub(1) as usize);
    match (marker, ordinal) {
        (false, _) => format!("{indent}  "),
        (true, Some(n)) => format!("{indent}{n}. "),
        (true, None) => format!("{indent}- "),
    }
}

fn render_text(b: &Block, out: &mut String) {
    match b.kind {
        BlockKind::ListItem {
            depth,
            ordinal,
            marker,
        } => {
            out.push_str(&list_prefix(depth, ordinal, marker));
            out.push_str(&b.text);
        }
        _ => out.push_str(&b.text),
    }
}

fn render_markdown(b: &Block, out: &mut String) {
    let body = match b.kind {
        BlockKind::Heading(level) => {
            format!(
                "{} {}",
                "#".repeat(level as usize),
                b.markdown.replace('\n', " ")
            )
        }
        BlockKind::ListItem {
            depth,
            ordinal,
            marker,
        } => {
            format!("{}{}", list_prefix(depth, ordinal, marker), b.markdown)
        }
        BlockKind::Pre => format!("```\n{}\n```", b.text),
        BlockKind::Row { first, header } => {
            let row = format!("| {} |", b.markdown.replace('\n', " "));
            if first {
                let cells = b.markdown.matches(" | ").count() + 1;
                let rule = format!("|{}", " --- |".repeat(cells));
                if header {
                    format!("{row}\n{rule}")
                } else {
                    // Markdown tables need a header row: give an empty one.
                    format!("|{}\n{rule}\n{row}", "  |".repeat(cells))
                }
            } else {
                row
            }
        }
        BlockKind::Paragraph | BlockKind::Caption => b.markdown.clone(),
    };
    if b.in_quote {
        let quoted: Vec<String> = body.lines().map(|l| format!("> {l}")).collect();
        out.push_str(&quoted.join("\n"));
    } else {
        out.push_str(&body);
    }
}
