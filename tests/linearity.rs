//! Linear time: each pathological shape at size n and 4n, counted in instructions, not
//! seconds. The release `gleaner` binary runs each page under `valgrind --tool=callgrind`
//! (as `scripts/instructions.py` does for corpus/), with no time budget and one worker; an
//! instruction count moves by well under 1% from run to run, whatever else the machine is
//! doing. The cost of starting the binary (rules, compiled patterns), counted on a one-line
//! page, is taken off both, so the ratio is that of the work the page itself causes: 4n
//! may cost at most `MAX_RATIO` × n.
//!
//! Without valgrind the test says so on the terminal and passes, unless
//! `GLEANER_REQUIRE_VALGRIND=1` (which `.ci/run` sets, after installing valgrind) makes it
//! fail.

use std::io::Write;
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{BIN, TempDir};

/// 4n may cost at most this many times n. Linear work gives 4; the shapes measure 3.2–4.3
/// (nesting the highest, and falling to 4.07 from 8,000 to 32,000), while a quadratic part
/// costs 16× on its share, so one that is just 5% of the work at n gives 4 + 12 × 0.05 = 4.6.
const MAX_RATIO: f64 = 4.6;

fn shape(name: &str, n: usize) -> String {
    let body = match name {
        "paragraphs" => (0..n)
            .map(|i| format!("<p>Line {i} of the log.</p>"))
            .collect(),
        "spans" => "<div>".to_string() + &"<span>word </span>".repeat(n) + "</div>",
        "links" => (0..n)
            .map(|i| format!("<a href=\"/p/{i}\">link {i}</a> "))
            .collect(),
        "cells" => {
            "<table>".to_string() + &"<tr><td>a cell</td><td>b</td></tr>".repeat(n) + "</table>"
        }
        "nesting" => "<div>".repeat(n) + "deep text" + &"</div>".repeat(n),
        "attributes" => {
            let attrs: String = (0..n).map(|i| format!(" data-a{i}=\"v{i}\"")).collect();
            format!("<p{attrs}>One paragraph with many attributes.</p>")
        }
        "text node" => format!("<p>{}</p>", "word ".repeat(n)),
        "baseline" => "<p>One line.</p>".to_string(),
        _ => unreachable!(),
    };
    format!("<html><head><title>T</title></head><body>{body}</body></html>")
}

/// Whether callgrind can run (asked once); without it, says so where the test's output is
/// not captured.
fn valgrind_present() -> bool {
    static PRESENT: OnceLock<bool> = OnceLock::new();
    *PRESENT.get_or_init(|| {
        let present = Command::new("valgrind")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !present {
            let _ = writeln!(
                std::io::stderr(),
                "\n*** linearity: valgrind is not installed, so the linear-time tests are \
                 SKIPPED (apt-get install valgrind; .ci/run installs it) ***\n"
            );
        }
        present
    })
}

/// Checks for valgrind; false (after the message) when it is missing, unless
/// `GLEANER_REQUIRE_VALGRIND=1` makes that a failure.
fn can_count() -> bool {
    let present = valgrind_present();
    let required = std::env::var("GLEANER_REQUIRE_VALGRIND").is_ok_and(|v| v == "1");
    assert!(
        present || !required,
        "GLEANER_REQUIRE_VALGRIND=1 but valgrind is not installed: the linearity test \
         counts instructions with callgrind (Debian: apt-get install valgrind)"
    );
    present
}

/// The instructions `gleaner extract --jobs 1` spends on `page`, under callgrind.
fn instructions(dir: &TempDir, name: &str, page: &str, must_contain: &str) -> u64 {
    let file = name.replace(' ', "-");
    let path = dir.write(&format!("{file}.html"), page.as_bytes());
    let config = dir.write("no-budget.toml", b"[limits]\ntime_budget_ms = 0\n");
    let out = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!(
            "--callgrind-out-file={}",
            dir.path(&format!("{file}.cg"))
        ))
        .args([BIN, "extract", "--jobs", "1", "--config", &config, &path])
        .output()
        .expect("run valgrind");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{name}: gleaner failed under valgrind: {err}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(must_contain),
        "{name}: no {must_contain:?} in the text"
    );
    // callgrind's last lines: "==pid== Collected : 123,456,789".
    err.lines()
        .rev()
        .find_map(|l| {
            l.split_once("Collected :")
                .map(|(_, n)| n.trim().replace(',', ""))
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{name}: no count in valgrind's report: {err}"))
}

/// What starting the binary on a one-line page costs, counted once for all shapes.
fn baseline() -> u64 {
    static BASE: OnceLock<u64> = OnceLock::new();
    *BASE.get_or_init(|| {
        let dir = TempDir::new("linearity-baseline");
        instructions(&dir, "baseline", &shape("baseline", 0), "One line.")
    })
}

/// Counts `name` at n and 4n and holds the ratio of the page's own work to `MAX_RATIO`.
fn check(name: &str, n: usize, must_contain: &str) {
    if !can_count() {
        return;
    }
    let dir = TempDir::new(&format!("linearity-{}", name.replace(' ', "-")));
    let base = baseline();
    let small = instructions(&dir, name, &shape(name, n), must_contain);
    let large = instructions(&dir, name, &shape(name, 4 * n), must_contain);
    let (work_small, work_large) = (small.saturating_sub(base), large.saturating_sub(base));
    let ratio = work_large as f64 / work_small.max(1) as f64;
    let line = format!(
        "linearity {name}: n = {n}: {work_small} → 4n: {work_large} instructions beyond the \
         start's {base} ({ratio:.2}×)"
    );
    let _ = writeln!(std::io::stderr(), "{line}");
    // The page must cost enough beyond the start for the ratio to mean something.
    assert!(
        work_small > base / 10,
        "{line}: n is too small to measure against the start"
    );
    assert!(
        ratio <= MAX_RATIO,
        "superlinear: {line} (at most {MAX_RATIO}×)"
    );
}

#[test]
fn paragraphs_cost_linear_instructions() {
    check("paragraphs", 5_000, "of the log.");
}

#[test]
fn spans_cost_linear_instructions() {
    check("spans", 10_000, "word word");
}

#[test]
fn links_cost_linear_instructions() {
    check("links", 5_000, "");
}

#[test]
fn table_cells_cost_linear_instructions() {
    check("cells", 5_000, "a cell");
}

#[test]
fn nesting_costs_linear_instructions() {
    check("nesting", 2_000, "deep text");
}

#[test]
fn attributes_cost_linear_instructions() {
    check("attributes", 100_000, "many attributes");
}

#[test]
fn a_long_text_node_costs_linear_instructions() {
    check("text node", 200_000, "word word");
}
