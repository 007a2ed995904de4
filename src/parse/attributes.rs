//! Attribute cap: attributes no stage reads are dropped from tags that have very many,
//! before html5ever sees them.
//!
//! html5ever's tokenizer checks each attribute against the tag's earlier ones for a
//! duplicate, so one tag of n attributes costs O(n²): 8,000 attributes took about 8× the
//! time of 2,000. Past the first `KEPT` attributes of a tag, only the first occurrence of
//! each name in `READ` (the names the DOM copy, the metadata readers and html5ever's tree
//! builder look at) is kept; every other attribute is cut from the page's text. What reaches
//! the later stages is the same: html5ever drops repeated names itself (the first one wins),
//! and the rest are never read.

/// Attributes a tag keeps untouched, whatever their names.
const KEPT: usize = 32;

/// Tags shorter than this (bytes after the name) are not looked at: they cannot hold enough
/// attributes (`a b c`: two bytes each) to cost html5ever more than `KEPT`² comparisons.
const SCAN_BYTES: usize = 128;

/// Every attribute name a later stage reads: `parse::dom` (classes, ids, flags, microdata,
/// RDFa, metas, links) and html5ever's tree builder (`<input type>`, `<font color|face|size>`
/// leaving foreign content, `<annotation-xml encoding>`).
const READ: &[&[u8]] = &[
    b"class",
    b"id",
    b"hidden",
    b"aria-hidden",
    b"style",
    b"role",
    b"itemprop",
    b"property",
    b"datetime",
    b"itemtype",
    b"itemscope",
    b"type",
    b"rel",
    b"name",
    b"http-equiv",
    b"content",
    b"lang",
    b"href",
    b"src",
    b"title",
    b"color",
    b"face",
    b"size",
    b"encoding",
];

/// For a start tag whose name ends at `from` and which the caller's scan says ends at
/// `tag_end` (after its `>`): the byte ranges of the attributes to cut, in order; empty for
/// a tag with few attributes, or when this tokenizer and the caller's scan disagree on where
/// the tag ends (it is then left alone).
pub fn excess(bytes: &[u8], from: usize, tag_end: usize) -> Vec<(usize, usize)> {
    if tag_end.saturating_sub(from) < SCAN_BYTES {
        return Vec::new();
    }
    let Some((attrs, end)) = tokenize(bytes, from) else {
        return Vec::new();
    };
    if end != tag_end || attrs.len() <= KEPT {
        return Vec::new();
    }
    let mut seen = 0u32;
    let mut cut = Vec::new();
    for (k, a) in attrs.iter().enumerate() {
        let name = &bytes[a.name.0..a.name.1];
        let read = READ.iter().position(|r| r.eq_ignore_ascii_case(name));
        let first = read.is_some_and(|r| seen & (1 << r) == 0);
        if let Some(r) = read {
            seen |= 1 << r;
        }
        if k >= KEPT && !first && cuttable(bytes, a.span.1) {
            cut.push(a.span);
        }
    }
    cut
}

/// One attribute: its name's bytes and the bytes of `name="value"` as written.
struct Attr {
    name: (usize, usize),
    span: (usize, usize),
}

/// Whether cutting an attribute that ends at `end` leaves its neighbours as they were: the
/// next attribute must not start with `=`, or it would become the value of the one before.
fn cuttable(bytes: &[u8], end: usize) -> bool {
    let next = bytes[end..].iter().find(|&&c| !is_space(c));
    next != Some(&b'=')
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The attributes of a start tag from the end of its name, as HTML's tokenizer reads them
/// (attribute name, after name, before value, quoted and unquoted value states), and the
/// index after the tag's `>`. None when the page ends inside the tag.
fn tokenize(bytes: &[u8], from: usize) -> Option<(Vec<Attr>, usize)> {
    let len = bytes.len();
    // The tag name runs to a space, `/` or `>` (the caller's scan may stop earlier).
    let mut i = from;
    while i < len && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let mut attrs = Vec::new();
    loop {
        while i < len && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((attrs, i + 1)),
            _ => {
                let start = i;
                // A name may begin with `=`; after that, `=` ends it.
                i += 1;
                while i < len && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
                    i += 1;
                }
                let name = (start, i);
                let mut j = i;
                while j < len && is_space(bytes[j]) {
                    j += 1;
                }
                if bytes.get(j) == Some(&b'=') {
                    i = value_end(bytes, j + 1)?;
                }
                attrs.push(Attr {
                    name,
                    span: (start, i),
                });
            }
        }
    }
}

/// The end of an attribute value that starts after its `=` at `from` (spaces first allowed).
fn value_end(bytes: &[u8], from: usize) -> Option<usize> {
    let len = bytes.len();
    let mut i = from;
    while i < len && is_space(bytes[i]) {
        i += 1;
    }
    match bytes.get(i)? {
        q @ (b'"' | b'\'') => memchr::memchr(*q, &bytes[i + 1..]).map(|e| i + 1 + e + 1),
        // `a=>`: an empty value; the `>` ends the tag.
        b'>' => Some(i),
        _ => {
            while i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
                i += 1;
            }
            Some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(html: &str) -> String {
        let from = html.find([' ', '>']).unwrap();
        let end = html.find('>').map(|e| e + 1).unwrap();
        let mut out = html.to_string();
        for (a, b) in excess(html.as_bytes(), from, end).into_iter().rev() {
            out.replace_range(a..b, "");
        }
        out
    }

    #[test]
    fn few_attributes_are_left_alone() {
        let html = format!("<p{}>", " data-x=\"a long value to pass the scan size\"".repeat(4));
        assert_eq!(apply(&html), html);
    }

    #[test]
    fn past_the_kept_ones_only_first_read_names_stay() {
        let many: String = (0..40).map(|i| format!(" data-a{i}=v{i}")).collect();
        let html = format!("<p{many} class=\"x\" data-z='1' class=y ID=k hidden>");
        let out = apply(&html);
        let kept: String = (0..KEPT).map(|i| format!(" data-a{i}=v{i}")).collect();
        let cut_spaces = " ".repeat(40 - KEPT);
        assert_eq!(
            out,
            format!("<p{kept}{cut_spaces} class=\"x\"   ID=k hidden>")
        );
    }

    #[test]
    fn a_repeat_of_a_name_in_the_kept_ones_is_cut() {
        let many: String = (0..40).map(|i| format!(" data-a{i}=v{i}")).collect();
        let html = format!("<p class=a{many} class=b>");
        assert!(!apply(&html).contains("class=b"));
        assert!(apply(&html).contains("class=a"));
    }

    #[test]
    fn an_attribute_before_an_equals_sign_is_kept() {
        // `=c` is an attribute of its own (unread: cut); cutting `data-b=2` as well would
        // make `=c` the value of `class`.
        let many: String = (0..40).map(|i| format!(" d{i}")).collect();
        let html = format!("<p{many} class data-b=2 =c>");
        assert!(apply(&html).ends_with(" class data-b=2 >"), "{}", apply(&html));
    }

    #[test]
    fn quoted_values_and_slashes_are_read_as_html_does() {
        let many: String = (0..40).map(|i| format!(" d{i}='x > y'")).collect();
        let html = format!("<p{many}/ e=\"q\"f g=>");
        let (attrs, end) = tokenize(html.as_bytes(), 2).unwrap();
        assert_eq!(end, html.len());
        let names: Vec<&str> = attrs
            .iter()
            .skip(40)
            .map(|a| &html[a.name.0..a.name.1])
            .collect();
        assert_eq!(names, ["e", "f", "g"]);
        assert_eq!(tokenize(b"<p a='unclosed>", 2).map(|_| ()), None);
    }
}
