//! Dates: machine-readable values (ISO 8601, RFC 2822) and dates written for people in
//! English, German, French, Spanish (and a few more languages' month names), numeric dates
//! read in the page's locale ("05/01/2024" is 5 January in Germany, May 1 in the US), and
//! dates in URL paths. Relative dates ("12 hours ago") are never read as dates.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;

/// A publication date: the calendar date, and the time with its UTC offset when known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageDate {
    pub date: NaiveDate,
    pub time: Option<DateTime<FixedOffset>>,
}

impl PageDate {
    fn day(date: NaiveDate) -> PageDate {
        PageDate { date, time: None }
    }

    /// ISO 8601: "2024-01-05", or "2024-01-05T10:30:00+01:00" when the time and offset are known.
    pub fn iso(&self) -> String {
        match self.time {
            Some(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            None => self.date.format("%Y-%m-%d").to_string(),
        }
    }
}

/// How a numeric date with two small numbers is read: "05/01/2024".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    DayFirst,
    MonthFirst,
}

/// The numeric date order of a page from its language tag (and, without one, its host):
/// the US writes month first; nearly everyone else day first.
pub fn order_for(language: Option<&str>, host: Option<&str>) -> Order {
    match language.map(|l| l.to_ascii_lowercase().replace('_', "-")) {
        Some(l) if l == "en-us" || l == "en" => Order::MonthFirst,
        Some(l) if !l.is_empty() => Order::DayFirst,
        _ => match host.and_then(|h| h.rsplit('.').next()) {
            Some("com" | "org" | "net" | "edu" | "gov" | "us" | "io") | None => Order::MonthFirst,
            Some(_) => Order::DayFirst,
        },
    }
}

/// The range a publication date must fall in: not before the web (1990), not after `today`
/// (the fetch; one day of slack for time zones).
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub latest: NaiveDate,
}

impl Bounds {
    pub fn until(today: NaiveDate) -> Bounds {
        Bounds {
            latest: today.succ_opt().unwrap_or(today),
        }
    }

    pub fn now() -> Bounds {
        Bounds::until(chrono::Utc::now().date_naive())
    }

    pub fn admits(&self, date: NaiveDate) -> bool {
        date.year() >= 1990 && date <= self.latest
    }
}

/// Parses a machine-readable date value (`<meta content>`, JSON-LD, `datetime`): ISO 8601,
/// RFC 2822, compact "20240105", or failing those a date written for people.
pub fn parse_machine(value: &str, order: Order) -> Option<PageDate> {
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?",
        )
        .expect("valid regex")
    });
    let v = value.trim();
    if let Some(c) = ISO.captures(v) {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, num(2)?, num(3)?)?;
        let time = match (num(4), num(5), c.get(7)) {
            (Some(h), Some(m), Some(zone)) => {
                let t = NaiveTime::from_hms_opt(h, m, num(6).unwrap_or(0))?;
                offset(zone.as_str())
                    .and_then(|o| NaiveDateTime::new(date, t).and_local_timezone(o).single())
            }
            _ => None,
        };
        // A midnight UTC stamp is usually a date-only value stored as a timestamp.
        let time = time.filter(|t| t.format("%H:%M:%S").to_string() != "00:00:00");
        return Some(PageDate { date, time });
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(v) {
        return Some(PageDate {
            date: t.date_naive(),
            time: Some(t),
        });
    }
    find_in_text(v, order).map(|(date, _)| PageDate::day(date))
}

/// "+01:00", "+0100", "+01", "Z", "UTC", "GMT" as an offset.
fn offset(zone: &str) -> Option<FixedOffset> {
    if matches!(zone, "Z" | "z" | "UTC" | "GMT") {
        return FixedOffset::east_opt(0);
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// Month names and abbreviations → month number (English, German, French, Spanish,
/// Italian, Portuguese, Dutch).
const MONTH_NAMES: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("jänner", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("februari", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("maart", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("maio", 5),
    ("mei", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("ago", 8),
    ("augustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    ("fév", 2),
];

static MONTHS: LazyLock<HashMap<&'static str, u32>> =
    LazyLock::new(|| MONTH_NAMES.iter().copied().collect());

/// The month alternation for the patterns, longest names first.
fn month_alternation() -> String {
    let mut names: Vec<&str> = MONTHS.keys().copied().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.join("|")
}

struct Patterns {
    ymd: Regex,
    dmy_dots: Regex,
    numeric: Regex,
    day_month_year: Regex,
    month_day_year: Regex,
    cjk: Regex,
}

#[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let months = month_alternation();
    let re = |p: &str| Regex::new(p).expect("valid regex");
    Patterns {
        ymd: re(r"\b((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b"),
        // German and most of Europe: "05.01.2024", "5. 1. 2024", "05.01.24".
        dmy_dots: re(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2}|\d{2}\b)"),
        numeric: re(r"\b(\d{1,2})[/-](\d{1,2})[/-]((?:19|20)\d{2}|\d{2})\b"),
        // "5 January 2024", "5. Januar 2024", "1er janvier 2024", "5 de enero de 2024",
        // "Monday 5th Jan. 2024".
        day_month_year: re(&format!(
            r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th|er|e|º|°)?\.?\s*(?:de\s+)?({months})\.?,?\s*(?:de\s+|del\s+)?((?:19|20)\d{{2}})\b"
        )),
        // "January 5, 2024", "Jan 5th 2024".
        month_day_year: re(&format!(
            r"(?i)\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+((?:19|20)\d{{2}})\b"
        )),
        cjk: re(r"((?:19|20)\d{2})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})"),
    }
});

/// Two-digit years: "24" is 2024, "98" is 1998.
fn full_year(y: &str) -> Option<i32> {
    let n: i32 = y.parse().ok()?;
    Some(match y.len() {
        2 if n <= 69 => 2000 + n,
        2 => 1900 + n,
        _ => n,
    })
}

/// The first date written in `text` and the byte offset where it starts.
pub fn find_in_text(text: &str, order: Order) -> Option<(NaiveDate, usize)> {
    find_all(text, order).into_iter().next()
}

/// Every date written in `text`, in order of position.
pub fn find_all(text: &str, order: Order) -> Vec<(NaiveDate, usize)> {
    // Every written date has at least four digits ("5/1/24", "5. Jan 2024"): most text has
    // fewer, and is done without running a pattern.
    if text.bytes().filter(u8::is_ascii_digit).nth(3).is_none() {
        return Vec::new();
    }
    let p = &*PATTERNS;
    let mut found: Vec<(NaiveDate, usize, usize)> = Vec::new();
    let mut add = |date: Option<NaiveDate>, m: regex::Match| {
        if let Some(d) = date {
            found.push((d, m.start(), m.end()));
        }
    };
    let month = |name: &str| {
        MONTHS
            .get(name.to_lowercase().trim_end_matches('.'))
            .copied()
    };
    let ymd = |y: Option<i32>, m: Option<u32>, d: Option<u32>| NaiveDate::from_ymd_opt(y?, m?, d?);
    for c in p.ymd.captures_iter(text) {
        add(
            ymd(c[1].parse().ok(), c[2].parse().ok(), c[3].parse().ok()),
            c.get_match(),
        );
    }
    for c in p.cjk.captures_iter(text) {
        add(
            ymd(c[1].parse().ok(), c[2].parse().ok(), c[3].parse().ok()),
            c.get_match(),
        );
    }
    for c in p.day_month_year.captures_iter(text) {
        add(
            ymd(full_year(&c[3]), month(&c[2]), c[1].parse().ok()),
            c.get_match(),
        );
    }
    for c in p.month_day_year.captures_iter(text) {
        add(
            ymd(full_year(&c[3]), month(&c[1]), c[2].parse().ok()),
            c.get_match(),
        );
    }
    for c in p.dmy_dots.captures_iter(text) {
        add(
            ymd(full_year(&c[3]), c[2].parse().ok(), c[1].parse().ok()),
            c.get_match(),
        );
    }
    for c in p.numeric.captures_iter(text) {
        let (a, b): (u32, u32) = match (c[1].parse(), c[2].parse()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => continue,
        };
        // A number above 12 can only be the day, whatever the locale.
        let (day, month) = match order {
            _ if a > 12 => (a, b),
            _ if b > 12 => (b, a),
            Order::DayFirst => (a, b),
            Order::MonthFirst => (b, a),
        };
        add(
            ymd(full_year(&c[3]), Some(month), Some(day)),
            c.get_match(),
        );
    }
    found.sort_by_key(|&(_, start, end)| (start, std::cmp::Reverse(end)));
    // Overlapping matches (the "05.01.2024" inside "2024.05.01"?) keep the first, longest.
    let mut out: Vec<(NaiveDate, usize)> = Vec::new();
    let mut covered_until = 0;
    for (date, start, end) in found {
        if start >= covered_until || out.is_empty() {
            out.push((date, start));
            covered_until = end;
        }
    }
    out
}

/// A date in a URL path: "/2024/01/05/slug", "/2024-01-05-slug", "/20240105/".
pub fn from_url(url: &str) -> Option<NaiveDate> {
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static SEPARATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[/_-]((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.-]|$)")
            .expect("valid regex")
    });
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)").expect("valid regex")
    });
    let path = super::text::url_path(url);
    [&*SEPARATED, &*COMPACT].iter().find_map(|re| {
        let c = re.captures(&path)?;
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    })
}


/// Text before a date that says it is not the publication date ("Updated", "Aktualisiert").
pub fn is_update_label(before: &str) -> bool {
    #[allow(clippy::expect_used)] // a constant pattern; the unit tests compile it
    static UPDATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(updated?|last modified|modified|aktualisiert|geändert|mis à jour|modifié|actualizado|actualización|revised)\W{0,3}(on|am|le|el)?\s*:?\s*$",
        )
        .expect("valid regex")
    });
    let tail_start = before.char_indices().rev().nth(30).map_or(0, |(i, _)| i);
    UPDATE.is_match(before.get(tail_start..).unwrap_or(before))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn first(text: &str, order: Order) -> Option<NaiveDate> {
        find_in_text(text, order).map(|(date, _)| date)
    }

    #[test]
    fn machine_values() {
        let v = parse_machine("2024-01-05T10:30:00+01:00", Order::DayFirst).unwrap();
        assert_eq!(v.iso(), "2024-01-05T10:30:00+01:00");
        assert_eq!(
            parse_machine("2024-01-05T10:30:00.000Z", Order::DayFirst)
                .unwrap()
                .iso(),
            "2024-01-05T10:30:00Z"
        );
        assert_eq!(
            parse_machine("2024-01-05", Order::DayFirst).unwrap().iso(),
            "2024-01-05"
        );
        assert_eq!(
            parse_machine("20240105", Order::DayFirst).unwrap().date,
            d(2024, 1, 5)
        );
        assert_eq!(
            parse_machine("Fri, 05 Jan 2024 10:00:00 +0000", Order::DayFirst)
                .unwrap()
                .iso(),
            "2024-01-05T10:00:00Z"
        );
        // Without an offset the time cannot be placed: the date alone is kept.
        assert_eq!(
            parse_machine("2024-01-05 10:30:00", Order::DayFirst)
                .unwrap()
                .iso(),
            "2024-01-05"
        );
        assert!(parse_machine("yesterday", Order::DayFirst).is_none());
        assert!(parse_machine("2024-13-45", Order::DayFirst).is_none());
    }

    #[test]
    fn dates_written_for_people() {
        let o = Order::DayFirst;
        assert_eq!(first("5. Januar 2024", o), Some(d(2024, 1, 5)));
        assert_eq!(first("am 23. März 2023 um 10 Uhr", o), Some(d(2023, 3, 23)));
        assert_eq!(first("Publié le 1er février 2024", o), Some(d(2024, 2, 1)));
        assert_eq!(first("5 de enero de 2024", o), Some(d(2024, 1, 5)));
        assert_eq!(first("January 5th, 2024", o), Some(d(2024, 1, 5)));
        assert_eq!(first("Posted Jan. 5 2024", o), Some(d(2024, 1, 5)));
        assert_eq!(first("Monday 5 Sept 2022", o), Some(d(2022, 9, 5)));
        assert_eq!(
            first("Kassel, 23.09.2023 – von Markus Engel", o),
            Some(d(2023, 9, 23))
        );
        assert_eq!(first("2024年1月5日", o), Some(d(2024, 1, 5)));
        assert_eq!(first("12 hours ago", o), None);
        assert_eq!(first("vor 3 Tagen", o), None);
    }

    #[test]
    fn numeric_dates_follow_the_locale() {
        assert_eq!(first("05/01/2024", Order::DayFirst), Some(d(2024, 1, 5)));
        assert_eq!(first("05/01/2024", Order::MonthFirst), Some(d(2024, 5, 1)));
        // 13 cannot be a month: unambiguous in both orders.
        assert_eq!(first("13/01/2024", Order::MonthFirst), Some(d(2024, 1, 13)));
        assert_eq!(order_for(Some("de-DE"), None), Order::DayFirst);
        assert_eq!(order_for(Some("en-US"), None), Order::MonthFirst);
        assert_eq!(order_for(Some("en-GB"), None), Order::DayFirst);
        assert_eq!(order_for(None, Some("example.de")), Order::DayFirst);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            from_url("https://x.org/2024/01/05/slug/"),
            Some(d(2024, 1, 5))
        );
        assert_eq!(
            from_url("https://x.org/news/2023-11-30-slug"),
            Some(d(2023, 11, 30))
        );
        assert_eq!(
            from_url("https://x.org/a/20220401/b.html"),
            Some(d(2022, 4, 1))
        );
        assert_eq!(from_url("https://x.org/2024/01/slug"), None);
        assert_eq!(from_url("https://x.org/p/123456789"), None);
    }

    #[test]
    fn bounds_reject_the_future_and_prehistory() {
        let b = Bounds::until(d(2024, 6, 1));
        assert!(b.admits(d(2024, 6, 2)));
        assert!(!b.admits(d(2024, 6, 3)));
        assert!(!b.admits(d(1985, 1, 1)));
    }

    #[test]
    fn update_labels() {
        assert!(is_update_label("Published Jan 1, 2024 · Updated "));
        assert!(is_update_label("Zuletzt aktualisiert am "));
        assert!(!is_update_label("Published on "));
    }
}
