//! Stdin that a stop request can walk away from. A read on a pipe that never writes blocks
//! for ever, and no flag check between records can end it; so stdin is read on a thread of
//! its own (the pump), and [`Stdin`] takes the pump's chunks, waking every few milliseconds
//! to look at the stop flag. Once the flag is set, a read that would wait fails with an
//! error [`is_stopped`] recognises, and the pump is left blocked until the process exits.

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

/// How much the pump reads at a time, and how many chunks it reads ahead (so memory stays
/// bounded whatever comes down the pipe).
const CHUNK: usize = 64 * 1024;
const AHEAD: usize = 2;
/// How often a waiting read looks at the stop flag.
const POLL: Duration = Duration::from_millis(20);

/// The process's stdin, read through the pump, until `stop` is set.
pub struct Stdin {
    stop: Arc<AtomicBool>,
}

impl Stdin {
    pub fn new(stop: Arc<AtomicBool>) -> Stdin {
        Stdin { stop }
    }
}

/// Whether `e` is the error of a read that a stop request ended.
pub fn is_stopped(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Stopped>())
}

#[derive(Debug)]
struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped before the end of stdin")
    }
}

impl std::error::Error for Stopped {}

/// The receiving end of the pump, and the part of a chunk not yet read.
struct Pump {
    chunks: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
}

/// One pump per process, as there is one stdin: started by the first read.
fn pump() -> &'static Mutex<Pump> {
    static PUMP: OnceLock<Mutex<Pump>> = OnceLock::new();
    PUMP.get_or_init(|| {
        let (send, chunks) = sync_channel(AHEAD);
        let report = send.clone();
        let started = std::thread::Builder::new()
            .name("gleaner-stdin".into())
            .spawn(move || pump_stdin(&send));
        if let Err(e) = started {
            // Without a pump stdin reads as this error, not as an empty input.
            let _ = report.send(Err(e));
        }
        Mutex::new(Pump {
            chunks,
            chunk: Vec::new(),
            at: 0,
        })
    })
}

/// The pump: stdin's bytes into the channel until the end, an error, or no reader left.
fn pump_stdin(send: &SyncSender<io::Result<Vec<u8>>>) {
    let mut stdin = io::stdin();
    loop {
        let mut buf = vec![0; CHUNK];
        let sent = match stdin.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                buf.truncate(n);
                send.send(Ok(buf))
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = send.send(Err(e));
                return;
            }
        };
        if sent.is_err() {
            return;
        }
    }
}

impl Read for Stdin {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let mut pump = pump().lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let mut rest = pump.chunk.get(pump.at..).unwrap_or_default();
            if !rest.is_empty() {
                // Reading from the slice copies as much as fits in `out`.
                let n = rest.read(out)?;
                pump.at += n;
                return Ok(n);
            }
            if self.stop.load(Ordering::SeqCst) {
                return Err(io::Error::other(Stopped));
            }
            match pump.chunks.recv_timeout(POLL) {
                Ok(Ok(chunk)) => {
                    pump.chunk = chunk;
                    pump.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(RecvTimeoutError::Timeout) => {}
                // The pump is done: the end of stdin.
                Err(RecvTimeoutError::Disconnected) => return Ok(0),
            }
        }
    }
}
