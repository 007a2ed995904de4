//! Writer: puts finished records out, in input order (holding early finishers until the
//! ones before them are done) or as they come (`--unordered`); applies `--dedup`; counts
//! records for the progress line and the summary. Output goes through a buffer that is
//! flushed whenever no result is waiting, so a pipe downstream sees records promptly and a
//! kill leaves at most one partial line.

use super::Outcome;
use super::dedup::Dedup;
use super::flight::InFlight;
use crate::output::Writer;
use crate::progress::{Progress, Summary};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::mpsc::{Receiver, TryRecvError};

/// A worker's result, with its place in the input.
pub(crate) struct Finished {
    pub seq: u64,
    /// Bytes the record held in flight (released when written).
    pub held: usize,
    pub outcome: Outcome,
}

pub(crate) struct Sink {
    pub out: Writer<Box<dyn Write + Send>>,
    pub ordered: bool,
    pub dedup: Option<Dedup>,
    pub progress: bool,
}

/// Writes every result that arrives until the workers are done; returns the counts and the
/// output, not yet finished (more records may follow).
pub(crate) fn write_all(
    mut sink: Sink,
    results: Receiver<Finished>,
    flight: &InFlight,
) -> anyhow::Result<(Summary, Writer<Box<dyn Write + Send>>)> {
    let mut summary = Summary::default();
    let mut progress = Progress::new(sink.progress, None);
    // Results that finished before the ones ahead of them in the input.
    let mut early: BTreeMap<u64, Finished> = BTreeMap::new();
    let mut next_seq = 0u64;
    let result = loop {
        let finished = match results.try_recv() {
            Ok(f) => f,
            Err(TryRecvError::Empty) => {
                // Nothing waiting: a good moment to push the buffer out.
                if let Err(e) = sink.out.flush() {
                    break Err(e);
                }
                match results.recv() {
                    Ok(f) => f,
                    Err(_) => break Ok(()),
                }
            }
            Err(TryRecvError::Disconnected) => break Ok(()),
        };
        let mut ready = Vec::new();
        if sink.ordered {
            early.insert(finished.seq, finished);
            while let Some(f) = early.remove(&next_seq) {
                ready.push(f);
                next_seq += 1;
            }
        } else {
            ready.push(finished);
        }
        let mut failed = None;
        for f in ready {
            flight.leave(f.held);
            if let Err(e) = write_one(&mut sink, &mut summary, f.outcome) {
                failed = Some(e);
                break;
            }
        }
        if let Some(e) = failed {
            break Err(e);
        }
        progress.show(&summary);
    };
    summary.seconds = progress.seconds();
    progress.finish();
    match result {
        Ok(()) => Ok((summary, sink.out)),
        Err(e) => {
            // Stop the reader: there is nowhere to put more records.
            flight.stop();
            Err(anyhow::Error::new(e).context("cannot write the output"))
        }
    }
}

fn write_one(sink: &mut Sink, summary: &mut Summary, outcome: Outcome) -> std::io::Result<()> {
    match outcome {
        Outcome::AlreadyDone => {
            summary.read += 1;
            summary.already_done += 1;
        }
        Outcome::Skipped => {
            summary.read += 1;
            summary.skipped += 1;
        }
        Outcome::Stopped => summary.interrupted = true,
        Outcome::Record(mut record, page_bytes) => {
            summary.page_bytes += page_bytes;
            if let Some(dedup) = sink.dedup.as_mut()
                && record.error.is_none()
                && let Some(text) = dedup.filter(record.url.as_deref(), &record.text)
            {
                record.text = text;
            }
            summary.count(&record);
            sink.out.write(&record)?;
        }
    }
    Ok(())
}
