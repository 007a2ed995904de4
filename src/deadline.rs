//! Deadline: the per-page time budget (`limits.time_budget_ms`), checked cooperatively.
//!
//! The extractor looks at the clock between its stages and every so often inside the long
//! per-node loops; once the deadline has passed, the loop stops early and the extractor
//! returns `Error::TimeBudget`, which the public entry points turn into the degraded
//! fallback (`Extraction::degraded`). Nothing is killed: a page can overrun its
//! budget by at most the work between two checks.

use std::time::{Duration, Instant};

use crate::error::Error;

/// When the extraction of one page must give up.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    limit: Option<(Instant, Duration)>,
}

impl Deadline {
    /// No time limit.
    pub const NONE: Deadline = Deadline { limit: None };

    /// `budget` from now; a zero budget means no limit.
    pub fn after(budget: Duration) -> Deadline {
        if budget.is_zero() {
            return Deadline::NONE;
        }
        Deadline {
            limit: Some((Instant::now() + budget, budget)),
        }
    }

    /// Whether the deadline has passed (reads the clock).
    pub fn passed(&self) -> bool {
        self.limit.is_some_and(|(at, _)| Instant::now() >= at)
    }

    /// `passed()` for per-node loops: reads the clock only at every 1024th index, so the
    /// check costs nothing next to the work of the loop.
    pub fn passed_at(&self, index: usize) -> bool {
        index.is_multiple_of(1024) && self.passed()
    }

    /// `Err(Error::TimeBudget)` once the deadline has passed.
    pub fn check(&self) -> Result<(), Error> {
        match self.limit {
            Some((at, budget)) if Instant::now() >= at => Err(Error::TimeBudget {
                budget_ms: budget.as_millis() as u64,
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_never_passes_and_zero_budget_means_none() {
        assert!(!Deadline::NONE.passed());
        assert!(Deadline::NONE.check().is_ok());
        assert!(!Deadline::after(Duration::ZERO).passed());
    }

    #[test]
    fn a_passed_deadline_names_the_budget() {
        let d = Deadline::after(Duration::from_millis(1));
        std::thread::sleep(Duration::from_millis(5));
        assert!(d.passed());
        assert!(d.passed_at(0) && !d.passed_at(1));
        let e = d.check().unwrap_err().to_string();
        assert!(e.contains("time budget of 1 ms"), "{e}");
    }

    #[test]
    fn a_long_budget_has_not_passed() {
        let d = Deadline::after(Duration::from_secs(3600));
        assert!(!d.passed() && d.check().is_ok());
    }
}
