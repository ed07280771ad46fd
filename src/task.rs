//! One lifecycle for long work: progress, abort, and yielding to the host.
//!
//! Every operation that can run for more than a moment is an `async fn` that takes a
//! [`Ctl`] and calls [`Ctl::tick`] in its loops (every few thousand rows, every iteration,
//! every restart). `tick` is cheap: it reads the host clock and, once per time slice,
//! reports progress, gives the host a chance to run (a browser page stays responsive, an
//! `AbortSignal` can fire) and returns [`CrmError::Aborted`] when the caller cancelled.
//!
//! The core knows nothing about JavaScript: the host behind a `Ctl` is a [`Control`] (the
//! wasm layer implements it with `performance.now`, a macrotask yield and the signal; a
//! native caller passes its own, or none). Synchronous entry points drive the same code
//! with [`run`], which polls the future to completion without ever pausing.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use serde::Serialize;

use crate::error::{CrmError, Result};

/// Where a long operation is: `phase` names the step (`"fit"`, `"restart"`, `"score"`, …),
/// `done` of `total` units of it are finished (`total` is 0 when unknown).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
}

/// Long work as the capabilities hand it out: boxed, so that the synchronous form
/// ([`run`]) and the host's async form poll one copy of its state machine (in wasm, two
/// inlined copies of each capability cost ~60 KB gzipped).
pub type Work<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + 'a>>;

/// A future that gives control back to the host once (a macrotask in the browser).
pub type Pause = Pin<Box<dyn Future<Output = ()>>>;

/// The host side of a long operation.
pub trait Control {
    /// Milliseconds on a monotonic clock.
    fn now_ms(&self) -> f64;
    /// Called at most once per time slice, and at the end of each phase.
    fn progress(&self, p: &Progress);
    /// Whether the caller asked to stop.
    fn aborted(&self) -> bool;
    /// Gives the host a turn; `None` when there is nothing to yield to (native callers).
    fn pause(&self) -> Option<Pause>;
}

/// Time slice between two checks of the host, in milliseconds: abort is seen within about
/// this long, and the page gets a turn as often.
pub const SLICE_MS: f64 = 25.0;

/// The handle long work holds: a host [`Control`] or none (synchronous calls).
pub struct Ctl<'a> {
    host: Option<&'a dyn Control>,
    last: f64,
    slice_ms: f64,
    /// The progress last reported by an outer loop (inner loops only [`Ctl::check`]).
    at: Progress,
}

impl<'a> Ctl<'a> {
    /// No host: `tick` never pauses, never aborts, reports nothing.
    pub fn none() -> Ctl<'static> {
        Ctl { host: None, last: 0.0, slice_ms: SLICE_MS, at: START }
    }

    pub fn new(host: &'a dyn Control) -> Self {
        Ctl { last: host.now_ms(), host: Some(host), slice_ms: SLICE_MS, at: START }
    }

    /// Sets the time slice (tests use 0 to check every tick).
    pub fn with_slice(mut self, ms: f64) -> Self {
        self.slice_ms = ms;
        self
    }

    /// A point where long work may be interrupted: once per time slice, reports `done` of
    /// `total` in `phase`, yields to the host, and fails with `ABORTED` if it was cancelled.
    pub async fn tick(&mut self, phase: &'static str, done: u64, total: u64) -> Result<()> {
        let Some(host) = self.host else { return Ok(()) };
        self.at = Progress { phase, done, total };
        let now = host.now_ms();
        if now - self.last < self.slice_ms {
            return Ok(());
        }
        self.checkpoint(host).await
    }

    /// A point inside an inner loop (one k-means iteration, one block of rows): like
    /// [`Ctl::tick`], but the progress stays what the outer loop last reported.
    pub async fn check(&mut self) -> Result<()> {
        let Some(host) = self.host else { return Ok(()) };
        if host.now_ms() - self.last < self.slice_ms {
            return Ok(());
        }
        self.checkpoint(host).await
    }

    /// Reports a phase boundary (always, not once per slice) and checks for abort.
    pub async fn phase(&mut self, phase: &'static str, done: u64, total: u64) -> Result<()> {
        let Some(host) = self.host else { return Ok(()) };
        self.at = Progress { phase, done, total };
        self.checkpoint(host).await
    }

    /// The slow path of a check, boxed and out of line: the many check sites of the
    /// capabilities each keep only a small await of it (in wasm, inlined copies at every
    /// site cost kilobytes).
    #[inline(never)]
    fn checkpoint(&mut self, host: &'a dyn Control) -> Pin<Box<dyn Future<Output = Result<()>> + '_>> {
        Box::pin(async move {
            if host.aborted() {
                return Err(CrmError::aborted());
            }
            host.progress(&self.at);
            if let Some(pause) = host.pause() {
                pause.await;
            }
            self.last = host.now_ms();
            if host.aborted() {
                return Err(CrmError::aborted());
            }
            Ok(())
        })
    }
}

const START: Progress = Progress { phase: "start", done: 0, total: 0 };

/// Runs long work without a host: its `Ctl` never pauses and never aborts, so the only error
/// an abort-only future could return cannot happen.
pub fn run_unhosted<T>(work: impl Future<Output = Result<T>>) -> T {
    match run(work) {
        Ok(v) => v,
        Err(e) => unreachable!("work without a host cannot be aborted: {e}"),
    }
}

/// Runs a future that never waits on anything but [`Ctl`] pauses to completion on this
/// thread (the synchronous entry points: their `Ctl` has no host, so nothing ever pauses).
pub fn run<T>(fut: impl Future<Output = T>) -> T {
    let mut fut = std::pin::pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    struct Host {
        clock: Cell<f64>,
        seen: RefCell<Vec<Progress>>,
        abort_after: usize,
        pauses: Cell<usize>,
    }

    impl Control for Host {
        fn now_ms(&self) -> f64 {
            let t = self.clock.get() + 10.0;
            self.clock.set(t);
            t
        }
        fn progress(&self, p: &Progress) {
            self.seen.borrow_mut().push(p.clone());
        }
        fn aborted(&self) -> bool {
            self.seen.borrow().len() >= self.abort_after
        }
        fn pause(&self) -> Option<Pause> {
            self.pauses.set(self.pauses.get() + 1);
            // Pending once, like a host macrotask: `run` must poll again.
            let mut first = true;
            Some(Box::pin(std::future::poll_fn(move |_| {
                if std::mem::take(&mut first) {
                    Poll::Pending
                } else {
                    Poll::Ready(())
                }
            })))
        }
    }

    async fn work(ctl: &mut Ctl<'_>, n: u64) -> Result<u64> {
        let mut sum = 0;
        for i in 0..n {
            sum += i;
            ctl.tick("sum", i + 1, n).await?;
        }
        Ok(sum)
    }

    #[test]
    fn no_host_runs_to_completion() {
        assert_eq!(run(work(&mut Ctl::none(), 1000)), Ok(499_500));
    }

    #[test]
    fn host_sees_progress_pauses_and_abort() {
        let host =
            Host { clock: Cell::new(0.0), seen: RefCell::new(vec![]), abort_after: usize::MAX, pauses: Cell::new(0) };
        let mut ctl = Ctl::new(&host).with_slice(15.0);
        assert_eq!(run(work(&mut ctl, 10)), Ok(45));
        let seen = host.seen.borrow().clone();
        assert!(!seen.is_empty() && seen.len() <= 10, "{seen:?}");
        assert!(seen.windows(2).all(|w| w[0].done < w[1].done));
        assert_eq!(host.pauses.get(), seen.len());

        let host = Host { clock: Cell::new(0.0), seen: RefCell::new(vec![]), abort_after: 3, pauses: Cell::new(0) };
        let mut ctl = Ctl::new(&host).with_slice(0.0);
        assert_eq!(run(work(&mut ctl, 1_000_000)), Err(CrmError::aborted()));
        assert_eq!(host.seen.borrow().len(), 3);
    }
}
