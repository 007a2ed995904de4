//! Nesting cap: elements nested deeper than a limit become siblings, before html5ever sees them.
//!
//! html5ever's tree builder scans the stack of open elements for many start and end tags
//! ("has a p element in button scope", "has an element in scope"), so a page with 100,000
//! nested `<div>`s costs O(depth²): measured here at 44 s for 100k divs. Browsers cap the DOM
//! depth for the same reason: Blink, past 512 open elements, attaches each new element to the
//! parent at the limit instead of the current node, so what lies deeper becomes a run of
//! siblings. We do the same on the page's text, with a cheap tag scan: past the cap, each start
//! tag first closes the one over-cap element still open, and each end tag only closes that one.
//! The page's own elements (its `<article>`, headings, `<nav>`) survive with their text, so a
//! page behind a thousand unclosed `<div>`s is still read as a page. Pages within the cap are
//! passed through untouched and unallocated. The same scan applies the attribute cap
//! (`parse::attributes`) to tags with very many attributes.

use std::borrow::Cow;

use super::attributes;

/// Elements whose end tag is optional or that never nest (void): not counted as depth, so
/// pages full of unclosed `<p>`/`<li>`/`<td>` are not mistaken for deep ones.
fn is_uncounted(name: &[u8]) -> bool {
    const NAMES: &[&[u8]] = &[
        // void elements (HTML §13.1.2)
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"param",
        b"source",
        b"track",
        b"wbr",
        b"keygen",
        b"image",
        b"basefont",
        b"bgsound",
        b"frame",
        // elements with optional end tags (HTML §13.1.2.4): the parser closes them itself
        b"p",
        b"li",
        b"dt",
        b"dd",
        b"option",
        b"optgroup",
        b"tr",
        b"td",
        b"th",
        b"thead",
        b"tbody",
        b"tfoot",
        b"colgroup",
        b"rt",
        b"rp",
        b"caption",
        b"html",
        b"head",
        b"body",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Elements whose content is raw text in HTML: a `<div` inside them is not a tag. Inside
/// `<svg>`/`<math>` nothing is raw text, and `<noscript>` is parsed as markup (scripting off),
/// so a tag scan that skipped them there would let deep nesting through uncounted.
fn is_raw_text(name: &[u8]) -> bool {
    const NAMES: &[&[u8]] = &[
        b"script",
        b"style",
        b"textarea",
        b"title",
        b"xmp",
        b"iframe",
        b"noembed",
        b"noframes",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Returns `html` with every element that opens deeper than `max_depth` made a sibling of the
/// previous one at that depth (see the module header).
pub fn cap_nesting(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // Edits to the page, in order: replace bytes start..end with `close_tag_of`'s end tag
    // (or with nothing).
    let mut edits: Vec<Edit> = Vec::new();
    let mut depth = 0usize;
    // Start tags past the cap whose end tag has not come yet.
    let mut over_cap = 0usize;
    // The one over-cap element still open (the byte range of its name), if any.
    let mut open_over_cap: Option<(usize, usize)> = None;
    let mut foreign = 0usize; // open <svg>/<math> elements
    let mut pos = 0usize;
    while let Some(off) = memchr::memchr(b'<', &bytes[pos..]) {
        let start = pos + off;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            pos = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let (is_end, name_at) = match rest.first() {
            Some(b'/') => (true, start + 2),
            Some(c) if c.is_ascii_alphabetic() => (false, start + 1),
            Some(b'!') | Some(b'?') => {
                pos = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e + 1);
                continue;
            }
            _ => {
                pos = start + 1;
                continue;
            }
        };
        let name_end = bytes[name_at..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b':'))
            .map_or(bytes.len(), |e| name_at + e);
        let name = &bytes[name_at..name_end];
        let (tag_end, self_closing) = tag_close(bytes, name_end);
        pos = tag_end;
        // The attribute cap rides on this scan: its cuts are edits too (taken back below
        // when the whole tag gives way).
        let before_cuts = edits.len();
        edits.extend(
            attributes::excess(bytes, name_end, tag_end)
                .into_iter()
                .map(|(start, end)| Edit {
                    start,
                    end,
                    close_tag_of: None,
                }),
        );
        if name.is_empty() || is_uncounted(name) {
            continue;
        }
        let is_foreign_root =
            name.eq_ignore_ascii_case(b"svg") || name.eq_ignore_ascii_case(b"math");
        if is_foreign_root && !self_closing {
            if is_end {
                foreign = foreign.saturating_sub(1);
            } else {
                foreign += 1;
            }
        }
        if is_end && foreign == 0 && is_raw_text(name) {
            // The end of a `<script>`, `<title>`…, whose start was not counted either.
            continue;
        }
        if is_end {
            if over_cap > 0 {
                // Past the cap an end tag closes the open over-cap element, whichever it
                // names: text after it belongs to the element at the cap, as in the page.
                over_cap -= 1;
                edits.truncate(before_cuts);
                edits.push(Edit {
                    start,
                    end: tag_end,
                    close_tag_of: open_over_cap.take(),
                });
            } else {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if foreign == 0 && is_raw_text(name) {
            pos = skip_raw_text(bytes, tag_end, name);
            continue;
        }
        if self_closing {
            continue;
        }
        if depth >= max_depth {
            over_cap += 1;
            if let Some(open) = open_over_cap.replace((name_at, name_end)) {
                edits.push(Edit {
                    start,
                    end: start,
                    close_tag_of: Some(open),
                });
            }
        } else {
            depth += 1;
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(html);
    }
    // A start tag's attribute cuts come before the edit at its `<` (stable: edits at one
    // place keep their order).
    edits.sort_by_key(|e| e.start);
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for edit in edits {
        out.push_str(&html[last..edit.start]);
        if let Some((a, b)) = edit.close_tag_of {
            out.push_str("</");
            out.push_str(&html[a..b]);
            out.push('>');
        }
        last = edit.end;
    }
    out.push_str(&html[last..]);
    Cow::Owned(out)
}

/// One change `cap_nesting` makes: the bytes `start..end` of the page give way to the end
/// tag of the element whose name is at `close_tag_of`, or to nothing.
struct Edit {
    start: usize,
    end: usize,
    close_tag_of: Option<(usize, usize)>,
}

/// Finds the `>` that ends a tag whose name ends at `from`, skipping quoted attribute values.
/// Returns the index after `>` and whether the tag ended with `/>`.
fn tag_close(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return (i + 1, i > from && bytes[i - 1] == b'/'),
            q @ (b'"' | b'\'') if i > 0 && is_after_equals(bytes, i) => {
                i = memchr::memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e + 1);
            }
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

/// True when the quote at `i` opens an attribute value (`= "…"`, spaces allowed).
fn is_after_equals(bytes: &[u8], i: usize) -> bool {
    bytes[..i]
        .iter()
        .rev()
        .find(|c| !c.is_ascii_whitespace())
        .is_some_and(|c| *c == b'=')
}

/// Skips to the end of `</name>` after a raw-text element's start tag.
fn skip_raw_text(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + off;
        let tail = &bytes[at + 1..];
        if tail.first() == Some(&b'/')
            && tail.len() > name.len()
            && tail[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return at;
        }
        i = at + 1;
    }
    bytes.len()
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|e| from + e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_pass_through_unchanged() {
        let html = "<div><p>a<div>b</div></div><script>'<div>'</script>";
        assert!(matches!(cap_nesting(html, 3), Cow::Borrowed(_)));
    }

    #[test]
    fn elements_past_the_cap_become_siblings_with_their_text() {
        let html = format!("{}x{}", "<div>".repeat(10), "</div>".repeat(10));
        let capped = cap_nesting(&html, 4);
        assert_eq!(
            capped,
            format!(
                "{}{}x</div>{}",
                "<div>".repeat(5),
                "</div><div>".repeat(5),
                "</div>".repeat(4)
            )
        );
    }

    #[test]
    fn a_page_behind_the_cap_keeps_its_elements_and_tail_text() {
        let html = "<div><div><article><h1>T</h1> tail<p>a</p></article>after";
        let capped = cap_nesting(html, 2);
        // <article> opens past the cap and stays; <h1> closes it first and becomes its
        // sibling; </h1> closes <h1>, so " tail" and the paragraph sit at the cap, as does
        // everything after </article> (which closes nothing: nothing over the cap is open).
        assert_eq!(
            capped,
            "<div><div><article></article><h1>T</h1> tail<p>a</p>after"
        );
    }

    #[test]
    fn end_tags_past_the_cap_never_close_the_elements_within_it() {
        let html = "<div><div><span>a<b>b</b>c</span></div>d</div>";
        // Past the cap (2): <span> and <b>. </b> closes <b>; </span> has no open over-cap
        // element left and goes; the two </div>s close the two kept divs.
        assert_eq!(
            cap_nesting(html, 2),
            "<div><div><span>a</span><b>b</b>c</div>d</div>"
        );
    }

    #[test]
    fn nesting_inside_svg_title_and_noscript_is_counted() {
        for wrapper in ["<svg><title>", "<noscript>", "<svg><style>"] {
            let html = format!("{wrapper}{}x", "<div>".repeat(10));
            assert!(matches!(cap_nesting(&html, 4), Cow::Owned(_)), "{wrapper}");
        }
    }

    #[test]
    fn raw_text_end_tags_are_not_counted() {
        // Each </script> once took a level off the count, so scripts hid deep nesting.
        let html = "<div><script>1</script>".repeat(10);
        assert!(matches!(cap_nesting(&html, 4), Cow::Owned(_)));
        // Past the cap, </title> ends the title, not the open over-cap element.
        let html = "<div><div><div><title>t</title><p>x</p></div>";
        assert_eq!(
            cap_nesting(html, 2),
            "<div><div><div><title>t</title><p>x</p></div>"
        );
    }

    #[test]
    fn quoted_gt_and_raw_text_do_not_confuse_the_count() {
        let html = r#"<div title="a>b"><script>"<div><div><div>"</script><div>x</div></div>"#;
        assert!(matches!(cap_nesting(html, 2), Cow::Borrowed(_)));
    }

    /// The nesting cap (`limits.max_nesting`, 512 by default) applied to 100,000 `<div>`s wrapped in
    /// `wrap_open` … `wrap_close`: returns how deep the `<div>`s that reach the parser nest.
    fn div_depth_after_cap(wrap_open: &str, wrap_close: &str) -> usize {
        let html = format!(
            "<html><body>{wrap_open}{}a paragraph of the story{}{wrap_close}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let max = crate::Limits::default().max_nesting;
        let capped = cap_nesting(&html, max);
        let (mut depth, mut deepest) = (0usize, 0usize);
        for piece in capped.split('<').skip(1) {
            if piece.starts_with("div>") {
                depth += 1;
                deepest = deepest.max(depth);
            } else if piece.starts_with("/div>") {
                depth = depth.saturating_sub(1);
            }
        }
        deepest
    }

    // Past the cap each element becomes a sibling of the previous one, so at most one more
    // level than the cap is ever open.

    #[test]
    fn nesting_cap_applies_to_plain_divs() {
        // The control for the three tests below: outside raw-text elements the cap works.
        let max = crate::Limits::default().max_nesting;
        let n = div_depth_after_cap("", "");
        assert!(
            n <= max + 1,
            "<div>s nest {n} deep at the parser (cap {max})"
        );
    }

    #[test]
    fn nesting_cap_applies_inside_noscript() {
        let max = crate::Limits::default().max_nesting;
        let n = div_depth_after_cap("<noscript>", "</noscript>");
        assert!(
            n <= max + 1,
            "<div>s nest {n} deep at the parser (cap {max})"
        );
    }

    #[test]
    fn nesting_cap_applies_inside_svg_title() {
        let max = crate::Limits::default().max_nesting;
        let n = div_depth_after_cap("<svg><title>", "</title></svg>");
        assert!(
            n <= max + 1,
            "<div>s nest {n} deep at the parser (cap {max})"
        );
    }

    #[test]
    fn nesting_cap_applies_inside_svg_style() {
        let max = crate::Limits::default().max_nesting;
        let n = div_depth_after_cap("<svg><style>", "</style></svg>");
        assert!(
            n <= max + 1,
            "<div>s nest {n} deep at the parser (cap {max})"
        );
    }
}
