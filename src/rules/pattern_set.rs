//! A set of case-insensitive line patterns that runs only the patterns a text could match.
//!
//! One lazy DFA over a hundred patterns costs much to build (every process) and keeps
//! building states as it meets new text. Instead each pattern is compiled alone, on first
//! need, and a text is tried only against the patterns whose required literal it contains
//! (an Aho-Corasick scan, ASCII case-blind); patterns without one are always tried. The
//! answer is the same as the whole set's: a pattern skipped cannot match.

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, meta};
use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many strings in a literal set: beyond it a sub-pattern tells nothing.
const MAX_STRINGS: usize = 64;
/// Required literals are cut to this many bytes.
const LITERAL_BYTES: usize = 8;
/// A character class of at most this many characters counts as a set of literals.
const MAX_CLASS_CHARS: u32 = 16;
/// Characters that case-fold to an ASCII letter (`ſ` to s, the Kelvin sign to k): the ASCII
/// case-blind scan cannot see them, so a text holding one is tried against every pattern.
const NON_ASCII_FOLDS: [&str; 2] = ["\u{17F}", "\u{212A}"];

/// One pattern: its syntax tree, compiled on first use.
struct Pattern {
    hir: Hir,
    engine: OnceLock<Engine>,
}

type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>>;

/// How a pattern is matched: a forward lazy DFA alone (a set only asks whether a pattern
/// matches, so the reverse automata and the other engines the regex crate builds are not
/// needed), or, where the DFA cannot serve, the regex crate's engine.
enum Engine {
    Dfa(Box<(DFA, CachePool, OnceLock<Option<meta::Regex>>)>),
    Meta(Option<meta::Regex>),
}

impl Pattern {
    /// The pattern matches `text`. One that does not compile (past the size limit) never
    /// matches.
    fn is_match(&self, text: &str) -> bool {
        match self.engine.get_or_init(|| self.compile()) {
            Engine::Dfa(parts) => {
                let (dfa, caches, fallback) = &**parts;
                let input = Input::new(text).earliest(true);
                match dfa.try_search_fwd(&mut caches.get(), &input) {
                    Ok(found) => found.is_some(),
                    // The DFA gave up (it never does as configured): the full engine decides.
                    Err(_) => fallback
                        .get_or_init(|| self.meta())
                        .as_ref()
                        .is_some_and(|r| r.is_match(text)),
                }
            }
            Engine::Meta(regex) => regex.as_ref().is_some_and(|r| r.is_match(text)),
        }
    }

    fn compile(&self) -> Engine {
        // An empty match could fall inside a character, which the regex crate rejects and
        // a bare DFA does not: patterns that can match empty text keep the full engine.
        let never_empty = self.hir.properties().minimum_len().is_some_and(|n| n > 0);
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(thompson::WhichCaptures::None))
            .build_from_hir(&self.hir);
        let dfa = nfa.ok().and_then(|nfa| DFA::builder().build_from_nfa(nfa).ok());
        match dfa {
            Some(dfa) if never_empty => {
                let for_pool = dfa.clone();
                let create: Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe> =
                    Box::new(move || for_pool.create_cache());
                Engine::Dfa(Box::new((dfa, Pool::new(create), OnceLock::new())))
            }
            _ => Engine::Meta(self.meta()),
        }
    }

    fn meta(&self) -> Option<meta::Regex> {
        meta::Regex::builder().build_from_hir(&self.hir).ok()
    }
}

/// The compiled set.
pub struct PatternSet {
    patterns: Vec<Pattern>,
    /// All the required literals; literal `i` belongs to pattern `owner[i]`.
    literals: Option<AhoCorasick>,
    owner: Vec<usize>,
    /// Patterns with no required literal: tried on every text.
    ungated: Vec<usize>,
}

impl PatternSet {
    /// The set of `hirs` (parsed with the same syntax the regex crate uses).
    pub fn new(hirs: Vec<Hir>) -> Result<PatternSet, String> {
        let mut owner = Vec::new();
        let mut strings: Vec<Vec<u8>> = Vec::new();
        let mut ungated = Vec::new();
        for (i, hir) in hirs.iter().enumerate() {
            match required(&facts(hir)).map(|set| minimal(truncated(set))) {
                Some(set) => {
                    owner.extend(std::iter::repeat_n(i, set.len()));
                    strings.extend(set);
                }
                None => ungated.push(i),
            }
        }
        let literals = match strings.is_empty() {
            true => None,
            false => Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&strings)
                    .map_err(|e| e.to_string())?,
            ),
        };
        let patterns = hirs
            .into_iter()
            .map(|hir| Pattern {
                hir,
                engine: OnceLock::new(),
            })
            .collect();
        Ok(PatternSet {
            patterns,
            literals,
            owner,
            ungated,
        })
    }

    /// Some pattern of the set matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        // An ASCII text (most) cannot hold them: one quick scan instead of two searches.
        if !text.is_ascii() && NON_ASCII_FOLDS.iter().any(|c| text.contains(c)) {
            return self.patterns.iter().any(|p| p.is_match(text));
        }
        if self.ungated.iter().any(|&i| self.patterns[i].is_match(text)) {
            return true;
        }
        let Some(literals) = &self.literals else {
            return false;
        };
        // Each pattern is tried once, however many of its literals the text holds; the
        // record is allocated at the first literal found (most texts hold none).
        let mut tried: Vec<bool> = Vec::new();
        literals.find_overlapping_iter(text).any(|m| {
            let i = self.owner[m.pattern().as_usize()];
            tried.resize(self.patterns.len(), false);
            !std::mem::replace(&mut tried[i], true) && self.patterns[i].is_match(text)
        })
    }
}

/// What a sub-pattern says about the text it matches: exactly one of a few strings, and/or
/// some string of a set that every match contains. Strings are ASCII-lowercased.
#[derive(Default)]
struct Facts {
    exact: Option<Vec<Vec<u8>>>,
    required: Option<Vec<Vec<u8>>>,
}

fn exact(set: Vec<Vec<u8>>) -> Facts {
    Facts {
        exact: Some(set),
        required: None,
    }
}

fn facts(hir: &Hir) -> Facts {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => exact(vec![Vec::new()]),
        HirKind::Literal(lit) => exact(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Class(class) => class_strings(class).map_or_else(Facts::default, exact),
        HirKind::Capture(cap) => facts(&cap.sub),
        HirKind::Repetition(rep) => {
            let sub = facts(&rep.sub);
            match (rep.min, rep.max) {
                (1, Some(1)) => sub,
                (0, Some(1)) => sub.exact.map_or_else(Facts::default, |mut e| {
                    e.push(Vec::new());
                    exact(dedup(e))
                }),
                (0, _) => Facts::default(),
                _ => Facts {
                    exact: None,
                    required: required(&sub),
                },
            }
        }
        HirKind::Concat(subs) => concat(subs),
        HirKind::Alternation(subs) => alternation(subs),
    }
}

/// The characters of a small class, ASCII-lowercased; `ſ` and the Kelvin sign are left out
/// (a text holding one skips the literal scan).
fn class_strings(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    match class {
        Class::Unicode(c) => {
            let size: u32 = c.ranges().iter().map(|r| r.end() as u32 - r.start() as u32 + 1).sum();
            if size > MAX_CLASS_CHARS {
                return None;
            }
            for ch in c.iter().flat_map(|r| r.start()..=r.end()) {
                if !NON_ASCII_FOLDS.iter().any(|f| f.starts_with(ch)) {
                    out.push(ch.to_ascii_lowercase().to_string().into_bytes());
                }
            }
        }
        Class::Bytes(c) => {
            let size: u32 = c.ranges().iter().map(|r| u32::from(r.end() - r.start()) + 1).sum();
            if size > MAX_CLASS_CHARS {
                return None;
            }
            out.extend(c.iter().flat_map(|r| r.start()..=r.end()).map(|b| vec![b.to_ascii_lowercase()]));
        }
    }
    let out = dedup(out);
    (!out.is_empty()).then_some(out)
}

/// A concatenation: runs of exactly-known pieces multiply out into longer literals; the
/// best of those and of the pieces' own required sets is required of the whole.
fn concat(subs: &[Hir]) -> Facts {
    let mut best = None;
    let mut run = Some(vec![Vec::new()]);
    let mut all_exact = true;
    for sub in subs {
        let f = facts(sub);
        match f.exact {
            Some(e) => {
                let joined = run.as_ref().and_then(|r| product(r, &e));
                if joined.is_none() {
                    all_exact = false;
                    best = better(best, run.take().filter(|r| !r.contains(&Vec::new())));
                }
                run = joined.or(Some(e));
            }
            None => {
                all_exact = false;
                best = better(best, run.take().filter(|r| !r.contains(&Vec::new())));
                best = better(best, f.required);
                run = Some(vec![Vec::new()]);
            }
        }
    }
    if all_exact {
        return Facts {
            exact: run,
            required: None,
        };
    }
    Facts {
        exact: None,
        required: better(best, run.filter(|r| !r.contains(&Vec::new()))),
    }
}

/// An alternation: exact when every branch is; requires the union of the branches'
/// required sets when every branch has one.
fn alternation(subs: &[Hir]) -> Facts {
    let all: Vec<Facts> = subs.iter().map(facts).collect();
    let exact = all
        .iter()
        .map(|f| f.exact.clone())
        .collect::<Option<Vec<_>>>()
        .map(|sets| dedup(sets.concat()))
        .filter(|e| e.len() <= MAX_STRINGS);
    let required = all
        .iter()
        .map(required)
        .collect::<Option<Vec<_>>>()
        .map(|sets| dedup(sets.concat()))
        .filter(|r| r.len() <= MAX_STRINGS);
    Facts { exact, required }
}

/// A set of strings one of which every match contains, if the facts give one.
fn required(f: &Facts) -> Option<Vec<Vec<u8>>> {
    let exact = f.exact.clone().filter(|e| !e.contains(&Vec::new()));
    better(exact, f.required.clone())
}

/// The more selective of two required sets: the longer shortest string, then fewer strings.
fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    let score = |s: &Vec<Vec<u8>>| {
        let shortest = s.iter().map(Vec::len).min().unwrap_or(0);
        (shortest, std::cmp::Reverse(s.len()))
    };
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Every string of `a` followed by every string of `b`; None past the size limit.
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_STRINGS {
        return None;
    }
    let all = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
        .collect();
    Some(dedup(all))
}

/// The first `LITERAL_BYTES` of each string (what starts a required string is required too):
/// a smaller automaton to build, nearly as selective.
fn truncated(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    dedup(set.into_iter().map(|mut s| {
        s.truncate(LITERAL_BYTES);
        s
    }).collect())
}

/// `set` without the strings that hold another of its strings: finding that one is enough.
fn minimal(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let holds = |s: &[u8], t: &[u8]| s != t && s.windows(t.len()).any(|w| w == t);
    let keep = |s: &Vec<u8>| !set.iter().any(|t| holds(s, t));
    set.iter().filter(|s| keep(s)).cloned().collect()
}

fn dedup(mut set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    set.sort_unstable();
    set.dedup();
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> PatternSet {
        let hirs = patterns
            .iter()
            .map(|p| regex_syntax::parse(&format!("(?i){p}")).unwrap())
            .collect();
        PatternSet::new(hirs).unwrap()
    }

    #[test]
    fn only_ascii_case_folds_and_two_signs_reach_ascii_letters() {
        for c in ('a'..='z').chain('A'..='Z') {
            let hir = regex_syntax::parse(&format!("(?i){c}")).unwrap();
            let HirKind::Class(Class::Unicode(class)) = hir.kind() else {
                panic!("{c}: {hir:?}");
            };
            for ch in class.iter().flat_map(|r| r.start()..=r.end()) {
                let known = ch.eq_ignore_ascii_case(&c) || NON_ASCII_FOLDS.contains(&&*ch.to_string());
                assert!(known, "{c} folds to {ch:?}");
            }
        }
    }

    #[test]
    fn required_literals() {
        let req = |p: &str| required(&facts(&regex_syntax::parse(&format!("(?i){p}")).unwrap())).map(minimal);
        let strs = |v: &[&str]| Some(v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>());
        assert_eq!(req(r"^.*\ball rights reserved\.?$"), strs(&["all rights reserved"]));
        assert_eq!(req(r"^(tweet|print)$"), strs(&["print", "tweet"]));
        assert_eq!(req(r"^\d+\s+min read$"), strs(&["min read"]));
        assert_eq!(req(r"^\d+$"), None);
        assert_eq!(req(r"^(a|\d+)$"), None);
    }

    #[test]
    fn the_set_matches_as_a_whole_set_does() {
        let s = set(&[r"^share$", r"^.*\bcookies\b.*$", r"^\d+ min read$", r"^\d+$"]);
        assert!(s.is_match("Share"));
        assert!(s.is_match("We use COOKIES here"));
        assert!(s.is_match("3 MIN READ"));
        assert!(s.is_match("2024"));
        assert!(s.is_match("\u{17F}hare"));
        assert!(!s.is_match("Shared"));
        assert!(!s.is_match("cookiesx"));
    }
}
