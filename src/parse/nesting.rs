//! Nesting cap: drop start/end tag pairs nested deeper than a limit, before html5ever sees them.
//!
//! html5ever's tree builder scans the stack of open elements for many start and end tags
//! ("has a p element in button scope", "has an element in scope"), so a page with 100,000
//! nested `<div>`s costs O(depth²): measured here at 44 s for 100k divs. Browsers cap the DOM
//! depth for the same reason (Blink: 512). We count nesting with a cheap tag scan and, only when
//! the page goes deeper than the cap, cut the excess tags out; their text stays, attached to the
//! deepest kept element. Pages within the cap are passed through untouched and unallocated.

use std::borrow::Cow;

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

/// Returns `html` with every start tag deeper than `max_depth` (and its end tag) removed.
pub fn cap_nesting(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut skipped = 0usize;
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
        if is_end {
            if skipped > 0 {
                skipped -= 1;
                cuts.push((start, tag_end));
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
            skipped += 1;
            cuts.push((start, tag_end));
        } else {
            depth += 1;
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (a, b) in cuts {
        out.push_str(&html[last..a]);
        last = b;
    }
    out.push_str(&html[last..]);
    Cow::Owned(out)
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
    fn deep_nesting_is_cut_at_the_cap_and_text_kept() {
        let html = format!("{}x{}", "<div>".repeat(10), "</div>".repeat(10));
        let capped = cap_nesting(&html, 4);
        assert_eq!(
            capped,
            format!("{}x{}", "<div>".repeat(4), "</div>".repeat(4))
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
    fn quoted_gt_and_raw_text_do_not_confuse_the_count() {
        let html = r#"<div title="a>b"><script>"<div><div><div>"</script><div>x</div></div>"#;
        assert!(matches!(cap_nesting(html, 2), Cow::Borrowed(_)));
    }
}
