//! Small text helpers shared by the metadata readers: white space, entities, tags, URL parts.

use std::borrow::Cow;

/// Collapses runs of ASCII white space and no-break spaces; keeps the ideographic space
/// (U+3000), which CJK headlines use as punctuation.
pub fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_ascii_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A metadata value made presentable: HTML tags and entities that CMSs leave in JSON-LD and
/// `<meta>` values ("Tom &amp;amp; Jerry", "<p>Summary</p>") resolved, white space collapsed.
/// Empty values become `None`.
pub fn clean_value(s: &str) -> Option<String> {
    let s = if s.contains('<') {
        strip_tags(s)
    } else {
        s.to_string()
    };
    let s = if s.contains('&') { unescape(&s) } else { s };
    let s = collapse(&s);
    (!s.is_empty()).then_some(s)
}

/// Drops `<…>` tags (a value is never markup we need to keep).
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Resolves numeric entities and the named ones that occur in metadata values.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((before, after_amp)) = rest.split_once('&') {
        out.push_str(before);
        // The `;` ends an entity of at most 9 characters.
        let semicolon = after_amp.find(';').filter(|&e| e < 10);
        let decoded = semicolon.and_then(|e| after_amp.get(..e)).and_then(entity);
        match (semicolon, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = after_amp.get(e + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = after_amp;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "ccedil" => 'ç',
        _ => return None,
    })
}

/// The path of a URL ("https://x.org/a/b?q" → "/a/b"), or the string up to its query when
/// it is not an absolute URL (a path already).
pub fn url_path(url: &str) -> Cow<'_, str> {
    match url::Url::parse(url) {
        Ok(parsed) if parsed.has_host() => Cow::Owned(parsed.path().to_string()),
        _ => Cow::Borrowed(url.split(['?', '#']).next().unwrap_or(url)),
    }
}

/// The host of a URL, lower-case, without "www.".
pub fn url_host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_lose_tags_and_entities() {
        assert_eq!(
            clean_value("<p>Tom &amp; Jerry&#8217;s&nbsp;day</p>").as_deref(),
            Some("Tom & Jerry’s day")
        );
        assert_eq!(clean_value("  \n "), None);
        assert_eq!(unescape("a & b &bogus; &#x41;"), "a & b &bogus; A");
    }

    #[test]
    fn url_parts() {
        assert_eq!(url_path("https://x.org/a/b?q=1"), "/a/b");
        assert_eq!(url_path("https://x.org"), "/");
        assert_eq!(
            url_host("https://www.Example.org:8080/x").as_deref(),
            Some("example.org")
        );
    }
}
