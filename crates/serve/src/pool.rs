//! The extraction pool: a rayon pool of `workers` threads, and a semaphore of
//! `workers + queue` slots in front of it. A request that finds no slot is answered 503 at
//! once; a batch line waits for one.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::metrics::Metrics;

pub struct Pool {
    threads: rayon::ThreadPool,
    slots: Arc<Semaphore>,
    metrics: Arc<Metrics>,
}

impl Pool {
    pub fn new(workers: usize, queue: usize, metrics: Arc<Metrics>) -> anyhow::Result<Pool> {
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(workers)
            .thread_name(|i| format!("gleaner-extract-{i}"))
            .build()?;
        let workers = threads.current_num_threads();
        Ok(Pool {
            threads,
            slots: Arc::new(Semaphore::new(workers + queue)),
            metrics,
        })
    }

    /// A slot if one is free now.
    pub fn try_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.slots.clone().try_acquire_owned().ok()
    }

    /// A slot, waiting for one.
    pub async fn slot(&self) -> OwnedSemaphorePermit {
        self.slots
            .clone()
            .acquire_owned()
            .await
            .expect("the pool's semaphore is never closed")
    }

    /// Runs `job` on the pool holding `slot`; Err is the message of a panic in it.
    pub async fn run<T: Send + 'static>(
        &self,
        slot: OwnedSemaphorePermit,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let (tx, rx) = oneshot::channel();
        let metrics = self.metrics.clone();
        metrics.in_flight.fetch_add(1, Relaxed);
        self.threads.spawn(move || {
            let result =
                catch_unwind(AssertUnwindSafe(job)).map_err(|p| gleaner::panic_message(p.as_ref()));
            metrics.in_flight.fetch_sub(1, Relaxed);
            drop(slot);
            let _ = tx.send(result);
        });
        rx.await
            .unwrap_or_else(|_| Err("the extraction thread went away".to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_pool_has_no_slot_until_one_is_given_back() {
        let pool = Pool::new(1, 1, Arc::new(Metrics::default())).unwrap();
        let a = pool.try_slot().expect("the worker's slot");
        let _b = pool.try_slot().expect("the queue's slot");
        assert!(pool.try_slot().is_none(), "full: the handler answers 503");
        drop(a);
        assert!(pool.try_slot().is_some());
    }
}
