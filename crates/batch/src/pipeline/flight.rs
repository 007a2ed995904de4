//! In flight: how many records (and bytes of page data) are between the reader and the
//! writer. The reader waits for room before handing out another record; the writer makes
//! room as it writes. This bound is what keeps memory flat however large the input.

use std::sync::{Condvar, Mutex};

pub struct InFlight {
    max_records: usize,
    max_bytes: usize,
    state: Mutex<State>,
    room: Condvar,
}

#[derive(Default)]
struct State {
    records: usize,
    bytes: usize,
    stopped: bool,
}

impl InFlight {
    pub fn new(max_records: usize, max_bytes: usize) -> InFlight {
        InFlight {
            max_records: max_records.max(1),
            max_bytes,
            state: Mutex::new(State::default()),
            room: Condvar::new(),
        }
    }

    /// Waits until a record holding `bytes` fits, then counts it in. A record larger than
    /// the byte limit goes alone. Returns false once the run is stopped.
    pub fn enter(&self, bytes: usize) -> bool {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while !s.stopped
            && s.records > 0
            && (s.records >= self.max_records || s.bytes + bytes > self.max_bytes)
        {
            s = self.room.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        s.records += 1;
        s.bytes += bytes;
        !s.stopped
    }

    /// A record holding `bytes` has been written (or dropped).
    pub fn leave(&self, bytes: usize) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.records = s.records.saturating_sub(1);
        s.bytes = s.bytes.saturating_sub(bytes);
        self.room.notify_all();
    }

    /// Ends the run early (the output failed): waiting and later `enter` calls return false.
    pub fn stop(&self) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.stopped = true;
        self.room.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn waits_for_room_by_count_and_by_bytes() {
        let f = Arc::new(InFlight::new(2, 100));
        assert!(f.enter(10) && f.enter(10));
        let g = f.clone();
        let third = std::thread::spawn(move || g.enter(10));
        std::thread::sleep(Duration::from_millis(50));
        assert!(!third.is_finished(), "a third record must wait for room");
        f.leave(10);
        assert!(third.join().unwrap());
        f.leave(10);
        f.leave(10);
        // A record bigger than the byte limit goes alone.
        assert!(f.enter(1000));
        let g = f.clone();
        let next = std::thread::spawn(move || g.enter(1));
        std::thread::sleep(Duration::from_millis(50));
        assert!(!next.is_finished());
        f.stop();
        assert!(
            !next.join().unwrap(),
            "stopping releases the waiter with false"
        );
    }
}
