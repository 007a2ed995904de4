//! Robustness: bad, hostile and pathological inputs fed straight to the library.
//!
//! Each test feeds `Extractor::extract` one kind of bad input and checks that it does not
//! panic (a caught panic comes back as `Error::Panic`, which counts as a failure here), that it
//! finishes, that the result is bounded by the input, and that a failure is a clear error that
//! names what went wrong. Every case runs on its own thread under a 120 s hang guard: that is a
//! guard against hangs (infinite loops, runaway quadratic work), not a speed test, and it is
//! deliberately far above the time any case should take. Run with
//! `cargo test --release --test robustness` (the 50 MB page needs the release profile).

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use gleaner::{Config, Deadline, Error, Extraction, Extractor, PageInfo};

/// Hang guard, not a speed limit: a case still running after this long is stuck.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// Runs `f` on its own thread; fails the test if it has not finished within `HANG_GUARD`.
/// A panic on that thread is re-raised here.
fn guarded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = thread::Builder::new()
        .name(what.to_string())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn test thread");
    match rx.recv_timeout(HANG_GUARD) {
        Ok(v) => {
            handle.join().expect("test thread");
            v
        }
        Err(RecvTimeoutError::Disconnected) => match handle.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the thread sends before it ends"),
        },
        Err(RecvTimeoutError::Timeout) => {
            panic!("{what}: extraction still running after {HANG_GUARD:?} (hang guard)")
        }
    }
}

/// Extracts `bytes` with the default config under the hang guard.
fn extract(what: &str, bytes: Vec<u8>) -> Result<Extraction, Error> {
    extract_with(what, bytes, None)
}

/// Like `extract`, with a transport charset label (as from an HTTP header).
fn extract_with(
    what: &str,
    bytes: Vec<u8>,
    charset: Option<&'static str>,
) -> Result<Extraction, Error> {
    guarded(what, move || {
        let extractor = Extractor::new(Config::default()).expect("default config");
        // No time budget: these pages must be fast, and the hang guard says when one is not.
        let page = PageInfo::new().charset(charset).deadline(Deadline::NONE);
        extractor.extract(&bytes, &page)
    })
}

/// Extraction that must succeed; returns the result after checking it is bounded by the input.
fn extract_ok(what: &str, bytes: Vec<u8>) -> Extraction {
    let len = bytes.len();
    match extract(what, bytes) {
        Ok(x) => {
            assert_bounded(what, len, &x);
            x
        }
        Err(e) => panic!("{what}: expected Ok, got Err({e:?})"),
    }
}

/// Extraction that must fail with a real error (not a caught panic).
fn extract_err(what: &str, bytes: Vec<u8>) -> Error {
    match extract(what, bytes) {
        Ok(x) => panic!(
            "{what}: expected an error, got Ok with text {:?}",
            preview(&x.text)
        ),
        Err(Error::Panic(msg)) => panic!("{what}: the extractor panicked: {msg}"),
        Err(e) => e,
    }
}

/// Output comes from the input: the text cannot be longer than the input, allowing for each
/// byte to grow into a three-byte U+FFFD.
fn assert_bounded(what: &str, input_len: usize, x: &Extraction) {
    assert!(
        x.text.len() <= 3 * input_len,
        "{what}: {} bytes of text from {input_len} bytes of input",
        x.text.len()
    );
    let title_len = x.title.as_ref().map_or(0, String::len);
    assert!(
        title_len <= 3 * input_len,
        "{what}: {title_len}-byte title from {input_len} bytes of input"
    );
}

fn preview(text: &str) -> String {
    text.chars().take(200).collect()
}

// ---------------------------------------------------------------------------------------------
// Page material

const NAV: &str = r#"<nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>"#;

const P1: &str = "The city council voted on Tuesday to extend the night bus network to the three \
    outer districts, ending a two-year campaign by residents who said the last train left them \
    stranded after late shifts at the hospital and the distribution centres near the ring road.";
const P2: &str = "Under the plan, four new routes will run every thirty minutes between midnight \
    and five in the morning from September, paid for by a small rise in the parking levy that \
    the council expects to raise about two million a year once the new meters are installed.";
const P3: &str = "Opposition members argued that the money would be better spent on daytime \
    services, which they said were unreliable and overcrowded, but the motion passed by \
    twenty-nine votes to eleven after a debate that ran for almost three hours in the chamber.";
const P4: &str = "Transport officials will publish the timetables in July and have promised a \
    review after the first six months, when passenger numbers on each of the new routes will be \
    compared with the forecasts that were presented to councillors before the vote took place.";

/// A small realistic article page: nav links, headline, the given paragraphs.
fn article_page(paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Night buses for the outer districts</title></head>\n<body>{NAV}\n\
         <article><h1>Night buses for the outer districts</h1>\n{body}</article>\n\
         <footer>Contact us</footer></body></html>\n"
    )
}

/// `open` repeated `depth` times around an article paragraph, then `close` repeated.
fn nested_page(open: &str, close: &str, depth: usize) -> String {
    let mut html = String::with_capacity((open.len() + close.len()) * depth + 1024);
    html.push_str("<!DOCTYPE html><html><head><title>Deep</title></head><body>");
    for _ in 0..depth {
        html.push_str(open);
    }
    html.push_str(P1);
    for _ in 0..depth {
        html.push_str(close);
    }
    html.push_str("</body></html>");
    html
}

/// A fragment of P1 that survives whitespace normalisation.
const P1_FRAGMENT: &str = "ending a two-year campaign by residents";

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
fn pseudo_random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Empty and binary input

#[test]
fn empty_input_is_an_error_that_says_empty() {
    let e = extract_err("empty", Vec::new());
    assert!(matches!(e, Error::Empty), "{e:?}");
    assert!(e.to_string().to_lowercase().contains("empty"), "{e}");
}

#[test]
fn random_bytes_with_nuls_are_an_error_that_says_binary() {
    let mut bytes = pseudo_random_bytes(64 * 1024, 0x9E37_79B9_7F4A_7C15);
    // Make sure of NULs and of no accidental byte-order mark at the start.
    bytes[0] = b'G';
    for i in (1..bytes.len()).step_by(37) {
        bytes[i] = 0;
    }
    let e = extract_err("random bytes", bytes);
    assert!(matches!(e, Error::Binary(_)), "{e:?}");
    assert!(e.to_string().to_lowercase().contains("binary"), "{e}");
}

#[test]
fn png_file_is_an_error_that_says_binary() {
    // PNG signature, IHDR chunk of a 256x256 RGBA image, then an IDAT chunk of "compressed" data.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(
        b"\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00",
    );
    png.extend_from_slice(&[0x5c, 0x72, 0xa8, 0x66]);
    png.extend_from_slice(b"\x00\x00\x10\x00IDAT");
    png.extend(pseudo_random_bytes(4096, 42));
    let e = extract_err("png", png);
    assert!(matches!(e, Error::Binary(_)), "{e:?}");
    assert!(e.to_string().to_lowercase().contains("binary"), "{e}");
}

#[test]
fn pdf_file_is_an_error_that_says_binary() {
    let mut pdf =
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            .to_vec();
    pdf.extend_from_slice(b"2 0 obj\n<< /Length 3000 /Filter /FlateDecode >>\nstream\n");
    pdf.extend(pseudo_random_bytes(3000, 7));
    pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
    let e = extract_err("pdf", pdf);
    assert!(matches!(e, Error::Binary(_)), "{e:?}");
    let msg = e.to_string().to_lowercase();
    assert!(msg.contains("binary") && msg.contains("pdf"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// Truncated pages

/// The article page cut right after P3's paragraph, followed by `tail` (the cut-off markup).
fn truncated_page(tail: &str) -> Vec<u8> {
    let full = article_page(&[P1, P2, P3]);
    let cut = full.find("</p>\n</article>").expect("page layout") + "</p>\n".len();
    format!("{}{tail}", &full[..cut]).into_bytes()
}

#[test]
fn truncated_html_cut_mid_tag_keeps_the_text_before_the_cut() {
    let x = extract_ok("cut mid-tag", truncated_page("<p cla"));
    for p in [P1, P2, P3] {
        let start: String = p.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
        assert!(x.text.contains(&start), "missing {start:?} in {:?}", x.text);
    }
    assert!(x.text.ends_with("in the chamber."), "{:?}", x.text);
}

#[test]
fn truncated_html_cut_mid_attribute_keeps_the_text_before_the_cut() {
    let x = extract_ok(
        "cut mid-attribute",
        truncated_page("<p class=\"lead\" data-track=\"para-4 sec"),
    );
    assert!(x.text.contains("night bus network"), "{:?}", x.text);
    assert!(x.text.ends_with("in the chamber."), "{:?}", x.text);
    assert!(
        !x.text.contains("data-track"),
        "markup leaked: {:?}",
        x.text
    );
}

#[test]
fn truncated_html_cut_mid_text_keeps_the_partial_paragraph() {
    let x = extract_ok(
        "cut mid-text",
        truncated_page("<p>Transport officials will publish the timetables in July and have prom"),
    );
    assert!(x.text.contains("in the chamber."), "{:?}", x.text);
    assert!(
        x.text.contains("publish the timetables in July"),
        "{:?}",
        x.text
    );
}

// ---------------------------------------------------------------------------------------------
// Encodings

#[test]
fn invalid_utf8_in_a_page_declared_utf8_becomes_replacement_characters() {
    let mut page = article_page(&[P1, "PLACEHOLDER", P3]).into_bytes();
    let at = page
        .windows(11)
        .position(|w| w == b"PLACEHOLDER")
        .expect("placeholder");
    let mut bad =
        b"The old depot on M\xfchlenweg, closed since 2019, will \xc3 be the \xff\xfe new \
        terminus for two of the routes, and the council said the \xe2\x82 conversion work would \
        start in the spring and cost less than the original estimate of four million euros."
            .to_vec();
    bad.extend_from_slice(&page[at + 11..]);
    page.truncate(at);
    page.extend(bad);
    let x = extract_ok("invalid utf-8", page);
    assert_eq!(x.encoding, Some("UTF-8"));
    assert!(x.text.contains('\u{FFFD}'), "{:?}", x.text);
    assert!(
        x.text.contains("The old depot on M\u{FFFD}hlenweg"),
        "{:?}",
        x.text
    );
    assert!(x.text.contains("night bus network"), "{:?}", x.text);
}

#[test]
fn wrong_charset_windows_1252_declared_on_utf8_bytes_decodes_as_utf8() {
    let page = article_page(&[
        P1,
        "The caf\u{e9} owners on the Stra\u{df}e near the terminus welcomed the vote: cr\u{e8}me \
         br\u{fb}l\u{e9}e and coffee will now be sold until two in the morning, they said, because \
         the night shift workers from the hospital finally have a way to get home afterwards.",
        P3,
    ])
    .replace("charset=\"utf-8\"", "charset=\"windows-1252\"");
    let x = extract_ok("1252 declared, utf-8 bytes", page.into_bytes());
    assert!(
        x.text.contains("cr\u{e8}me br\u{fb}l\u{e9}e"),
        "{:?}",
        x.text
    );
    assert!(!x.text.contains("\u{c3}"), "mojibake: {:?}", x.text);
}

#[test]
fn wrong_charset_utf8_declared_on_latin1_bytes_is_decoded_without_failing() {
    let page = article_page(&[P1, "LATIN1", P3]);
    let para =
        b"The caf\xe9 owners near the terminus welcomed the vote, saying that the night shift \
        workers from the hospital and the warehouses would finally have a way to get home, and \
        that they would stay open later on weekdays to serve them coffee.";
    let mut bytes = Vec::new();
    let at = page.find("LATIN1").unwrap();
    bytes.extend_from_slice(&page.as_bytes()[..at]);
    bytes.extend_from_slice(para);
    bytes.extend_from_slice(&page.as_bytes()[at + 6..]);
    let x = extract_ok("utf-8 declared, latin-1 bytes", bytes);
    // As in a browser: the declaration is believed and the stray byte becomes U+FFFD.
    assert!(x.text.contains("The caf\u{FFFD} owners"), "{:?}", x.text);
    assert!(x.text.contains("night bus network"), "{:?}", x.text);
}

#[test]
fn wrong_charset_unknown_label_falls_back_to_detection() {
    let page = article_page(&[P1, "LATIN1", P3])
        .replace("charset=\"utf-8\"", "charset=\"x-no-such-charset\"");
    let para = b"Les propri\xe9taires du caf\xe9 pr\xe8s du terminus ont salu\xe9 le vote : les \
        employ\xe9s de nuit de l'h\xf4pital pourront enfin rentrer chez eux, et le caf\xe9 restera \
        ouvert plus tard en semaine pour leur servir un caf\xe9 cr\xe8me tr\xe8s chaud.";
    let mut bytes = Vec::new();
    let at = page.find("LATIN1").unwrap();
    bytes.extend_from_slice(&page.as_bytes()[..at]);
    bytes.extend_from_slice(para);
    bytes.extend_from_slice(&page.as_bytes()[at + 6..]);
    let x = extract_ok("unknown charset label", bytes);
    assert!(
        x.text.contains("Les propri\u{e9}taires du caf\u{e9}"),
        "{:?}",
        x.text
    );
}

#[test]
fn wrong_charset_multibyte_header_on_utf8_bytes_is_decoded_without_failing() {
    // A transport header claiming Shift_JIS for a UTF-8 page: mojibake is acceptable, failing
    // or losing the ASCII text is not.
    let page = article_page(&[P1, "Gr\u{fc}\u{df}e aus M\u{fc}nchen und Z\u{fc}rich.", P3]);
    let x = match extract_with(
        "shift_jis header",
        page.clone().into_bytes(),
        Some("shift_jis"),
    ) {
        Ok(x) => x,
        Err(e) => panic!("expected Ok, got {e:?}"),
    };
    assert_bounded("shift_jis header", page.len(), &x);
    assert!(x.text.contains("night bus network"), "{:?}", x.text);
}

// ---------------------------------------------------------------------------------------------
// Size

#[test]
fn fifty_megabyte_page_completes_with_text() {
    const TARGET: usize = 50 * 1024 * 1024;
    let mut html = String::with_capacity(TARGET + 4096);
    html.push_str("<!DOCTYPE html><html><head><title>Huge</title></head><body>");
    html.push_str(NAV);
    html.push_str("<article><h1>A very long report</h1>");
    let paragraphs = [P1, P2, P3, P4];
    let mut i = 0usize;
    while html.len() < TARGET {
        html.push_str(&format!("<p>Section {i}. {}</p>\n", paragraphs[i % 4]));
        i += 1;
    }
    html.push_str("</article></body></html>");
    let len = html.len();
    assert!(len >= TARGET);
    let x = extract_ok("50 MB page", html.into_bytes());
    assert!(!x.text.trim().is_empty(), "no text from a {len}-byte page");
    assert!(
        !x.truncated,
        "a 50 MB page is under the 64 MiB default limit"
    );
    assert!(
        x.text.contains("Section 0. The city council"),
        "{:?}",
        preview(&x.text)
    );
}

// ---------------------------------------------------------------------------------------------
// Deep nesting (100,000 levels)

const DEPTH: usize = 100_000;

#[test]
fn nesting_100k_div() {
    let x = extract_ok("div", nested_page("<div>", "</div>", DEPTH).into_bytes());
    assert!(x.text.contains(P1_FRAGMENT), "{:?}", preview(&x.text));
}

#[test]
fn nesting_100k_ul_li() {
    let x = extract_ok(
        "ul li",
        nested_page("<ul><li>", "</li></ul>", DEPTH).into_bytes(),
    );
    assert!(x.text.contains(P1_FRAGMENT), "{:?}", preview(&x.text));
}

#[test]
fn nesting_100k_p_div() {
    let x = extract_ok(
        "p div",
        nested_page("<p><div>", "</div></p>", DEPTH).into_bytes(),
    );
    assert!(x.text.contains(P1_FRAGMENT), "{:?}", preview(&x.text));
}

#[test]
fn nesting_100k_table_tr_td() {
    let x = extract_ok(
        "table tr td",
        nested_page("<table><tr><td>", "</td></tr></table>", DEPTH).into_bytes(),
    );
    assert!(x.text.contains(P1_FRAGMENT), "{:?}", preview(&x.text));
}

#[test]
fn nesting_100k_b() {
    let x = extract_ok("b", nested_page("<b>", "</b>", DEPTH).into_bytes());
    assert!(x.text.contains(P1_FRAGMENT), "{:?}", preview(&x.text));
}

#[test]
fn nesting_100k_a() {
    // Text that is all link text reads as navigation, so an empty result is acceptable here:
    // the test is that extraction finishes and succeeds.
    let x = extract_ok(
        "a",
        nested_page("<a href=\"/x\">", "</a>", DEPTH).into_bytes(),
    );
    assert!(
        x.text.is_empty() || x.text.contains(P1_FRAGMENT),
        "{:?}",
        preview(&x.text)
    );
}

#[test]
fn nesting_100k_unclosed_div() {
    // A page cut off (or generated) without any end tags.
    let mut html = nested_page("<div>", "", DEPTH);
    html.truncate(html.len() - "</body></html>".len());
    let x = extract_ok("unclosed div", html.into_bytes());
    assert!(x.text.contains(P1_FRAGMENT), "{:?}", preview(&x.text));
}

#[test]
fn nesting_100k_div_inside_noscript() {
    // With scripting off, <noscript> content is parsed as markup, so its nesting counts. It
    // finishes, but slowly (about 50 s here, against well under a second for the same divs
    // outside <noscript>): the nesting cap misses them. See nesting_cap_applies_inside_noscript.
    let html = nested_page("<div>", "</div>", DEPTH)
        .replacen("<body>", "<body><noscript>", 1)
        .replacen("</body>", "</noscript></body>", 1);
    let x = extract_ok("div in noscript", html.into_bytes());
    assert!(x.text.contains(P1_FRAGMENT), "{:?}", preview(&x.text));
}

#[test]
fn a_page_behind_thousands_of_unclosed_divs_is_read_as_itself() {
    // Past the cap the page's own <nav>, <article> and <footer> stay elements (as siblings),
    // so the nav and footer are still dropped and the story kept, as without the divs.
    let page = article_page(&[P1, P2, P3, P4]);
    let plain = extract_ok("article", page.clone().into_bytes());
    let buried = format!("{}{page}", "<div>".repeat(5_000));
    let x = extract_ok("article behind 5,000 <div>s", buried.into_bytes());
    assert_eq!(x.text, plain.text);
    assert!(x.text.contains(P1_FRAGMENT) && !x.text.contains("Weather"));
}

// ---------------------------------------------------------------------------------------------
// Attributes

#[test]
fn ten_thousand_attributes_on_one_tag() {
    let attrs: String = (0..10_000)
        .map(|i| format!(" data-a{i}=\"v{i}\""))
        .collect();
    let page = article_page(&[P1, P2, P3]).replace("<article>", &format!("<article{attrs}>"));
    let x = extract_ok("10k attributes", page.into_bytes());
    assert!(
        x.text.contains("night bus network"),
        "{:?}",
        preview(&x.text)
    );
    assert!(
        !x.text.contains("data-a"),
        "markup leaked: {:?}",
        preview(&x.text)
    );
}

#[test]
fn one_megabyte_attribute_value() {
    let value = "lorem ipsum dolor sit amet ".repeat(1024 * 1024 / 27 + 1);
    let page =
        article_page(&[P1, P2, P3]).replace("<article>", &format!("<article title=\"{value}\">"));
    let x = extract_ok("1 MB attribute", page.into_bytes());
    assert!(
        x.text.contains("night bus network"),
        "{:?}",
        preview(&x.text)
    );
    assert!(
        !x.text.contains("lorem ipsum"),
        "attribute leaked: {:?}",
        preview(&x.text)
    );
}

#[test]
fn one_megabyte_class_attribute() {
    // class is tokenised and matched against the clutter patterns, unlike most attributes.
    let value = "col-md-8 articleBody text-large js-track-7 ".repeat(1024 * 1024 / 43 + 1);
    let page =
        article_page(&[P1, P2, P3]).replace("<article>", &format!("<article class=\"{value}\">"));
    let x = extract_ok("1 MB class", page.into_bytes());
    assert!(
        x.text.contains("night bus network"),
        "{:?}",
        preview(&x.text)
    );
}

// ---------------------------------------------------------------------------------------------
// Many siblings, nothing visible

#[test]
fn one_hundred_thousand_sibling_paragraphs() {
    let mut html =
        String::from("<!DOCTYPE html><html><head><title>Many</title></head><body><article>");
    for i in 0..100_000 {
        html.push_str(&format!(
            "<p>Paragraph {i} of the minutes records that the committee discussed item {i} \
             and agreed to return to it at the next meeting.</p>"
        ));
    }
    html.push_str("</article></body></html>");
    let x = extract_ok("100k sibling p", html.into_bytes());
    assert!(
        x.text.contains("Paragraph 0 of the minutes"),
        "{:?}",
        preview(&x.text)
    );
    assert!(
        x.text.contains("Paragraph 99999 of the minutes"),
        "last paragraph missing"
    );
    assert_eq!(x.text.matches("of the minutes records").count(), 100_000);
}

#[test]
fn page_of_only_whitespace_gives_empty_text() {
    let x = extract_ok("whitespace", " \t\r\n  \n\n\t ".repeat(10_000).into_bytes());
    assert_eq!(x.text, "");
    assert_eq!(x.title, None);
}

#[test]
fn page_that_is_only_a_script_gives_empty_text() {
    let js = format!(
        "<script>\nvar article = \"{P1}\";\nvar more = '{P2}';\n\
         document.write('<p>' + article + '</p><p>' + more + '</p>');\n</script>\n"
    );
    let x = extract_ok("only a script", js.into_bytes());
    assert_eq!(x.text, "", "script text leaked");
    assert_eq!(x.title, None);
}
