//! The queue of database jobs and the worker threads (one connection each) that take them.
//!
//! A job goes to the worker that became idle *last*; jobs that find no idle worker wait in
//! arrival order. With a FIFO hand-out (a channel's waiting receivers are served oldest
//! first) a light load woke each of the 8 PostgreSQL connections in turn, every thread and
//! server process cold: PostgreSQL spent about 85 µs of CPU per share-link lookup, against
//! 42 µs with the work on 2 connections (docs/PERFORMANCE.md). Handing work to the most
//! recently idle worker keeps as few connections busy as the load needs, and the others stay
//! ready for a burst.

use std::collections::VecDeque;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Semaphore;

use super::{Job, Worker};

/// Where jobs are sent. Cloned freely; when the last clone goes, the workers finish the jobs
/// already queued and stop.
#[derive(Clone)]
pub(crate) struct Queue(Arc<Sender>);

/// What a worker thread takes jobs from.
#[derive(Clone)]
pub(crate) struct Jobs(Arc<Core>);

struct Sender {
    core: Arc<Core>,
    /// Jobs sent and not yet started: at most the queue's depth, then senders wait.
    permits: Arc<Semaphore>,
}

struct Core(Mutex<State>);

#[derive(Default)]
struct State {
    /// Workers waiting for a job, the most recently idle last; each waits on its own channel.
    idle: Vec<mpsc::Sender<Job>>,
    /// Jobs that found no idle worker, oldest first.
    backlog: VecDeque<Job>,
    closed: bool,
}

impl Core {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A queue holding at most `depth` jobs not yet started, and the handle its workers take from.
pub(crate) fn queue(depth: usize) -> (Queue, Jobs) {
    let core = Arc::new(Core(Mutex::default()));
    let sender = Sender { core: Arc::clone(&core), permits: Arc::new(Semaphore::new(depth)) };
    (Queue(Arc::new(sender)), Jobs(core))
}

/// The workers are gone (or the queue is closing).
#[derive(Debug)]
pub(crate) struct Closed;

impl Queue {
    /// Hands `job` to the most recently idle worker, or queues it; waits while `depth` jobs
    /// are already waiting.
    pub(crate) async fn send(&self, job: Job) -> Result<(), Closed> {
        let permit = Arc::clone(&self.0.permits).acquire_owned().await.map_err(|_| Closed)?;
        let mut job: Job = Box::new(move |worker| {
            drop(permit);
            job(worker);
        });
        let mut state = self.0.core.lock();
        if state.closed {
            return Err(Closed);
        }
        while let Some(worker) = state.idle.pop() {
            match worker.send(job) {
                Ok(()) => return Ok(()),
                // That worker's thread is gone: the next one.
                Err(mpsc::SendError(back)) => job = back,
            }
        }
        state.backlog.push_back(job);
        Ok(())
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        let mut state = self.core.lock();
        state.closed = true;
        // Idle workers see their channel close and stop; busy ones drain the backlog first.
        state.idle.clear();
    }
}

impl Jobs {
    /// A worker thread's life: jobs until the queue is closed and empty.
    pub(crate) fn work(&self, worker: &mut dyn Worker) {
        loop {
            let waiting = {
                let mut state = self.0.lock();
                if let Some(job) = state.backlog.pop_front() {
                    drop(state);
                    job(worker);
                    continue;
                }
                if state.closed {
                    break;
                }
                let (tx, rx) = mpsc::channel();
                state.idle.push(tx);
                rx
            };
            match waiting.recv() {
                Ok(job) => job(worker),
                Err(mpsc::RecvError) => break,
            }
        }
        worker.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{Mode, Tx};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// A worker with no connection; its thread's name is its number.
    struct Numbered;

    impl Worker for Numbered {
        fn transaction(
            &mut self,
            _: Mode,
            _: &mut dyn FnMut(&Tx<'_>) -> crate::storage::Result<()>,
        ) -> crate::storage::Result<()> {
            Ok(())
        }
        fn stop(&mut self) {}
    }

    fn start(n: usize, depth: usize) -> (Queue, Vec<std::thread::JoinHandle<()>>) {
        let (queue, jobs) = queue(depth);
        let threads = (0..n)
            .map(|i| {
                let jobs = jobs.clone();
                std::thread::Builder::new().name(format!("{i}")).spawn(move || jobs.work(&mut Numbered)).unwrap()
            })
            .collect();
        (queue, threads)
    }

    fn this_worker() -> usize {
        std::thread::current().name().unwrap().parse().unwrap()
    }

    /// Runs one job and says which worker ran it.
    async fn which(queue: &Queue) -> usize {
        let (tx, rx) = tokio::sync::oneshot::channel();
        queue
            .send(Box::new(move |_| {
                let _ = tx.send(this_worker());
            }))
            .await
            .unwrap();
        rx.await.unwrap()
    }

    #[tokio::test]
    async fn jobs_one_after_another_go_to_the_worker_idle_last() {
        let (queue, threads) = start(8, 16);
        // Let every worker reach its wait.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let first = which(&queue).await;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(1)).await;
            assert_eq!(which(&queue).await, first, "a light load stays on one worker");
        }
        drop(queue);
        for t in threads {
            t.join().unwrap();
        }
    }

    #[tokio::test]
    async fn a_burst_uses_every_worker_and_every_job_runs_once() {
        let (queue, threads) = start(4, 8);
        let ran = Arc::new(AtomicUsize::new(0));
        let used = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let mut answers = Vec::new();
        for _ in 0..200 {
            let (ran, used) = (Arc::clone(&ran), Arc::clone(&used));
            let (tx, rx) = tokio::sync::oneshot::channel();
            // Beyond the depth of 8 the sends wait for jobs to start: the burst still all runs.
            queue
                .send(Box::new(move |_| {
                    used.lock().unwrap().insert(this_worker());
                    ran.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_micros(300));
                    let _ = tx.send(());
                }))
                .await
                .unwrap();
            answers.push(rx);
        }
        for rx in answers {
            rx.await.unwrap();
        }
        assert_eq!(ran.load(Ordering::SeqCst), 200);
        assert_eq!(used.lock().unwrap().len(), 4, "all four workers took part");
        drop(queue);
        for t in threads {
            t.join().unwrap();
        }
    }

    #[tokio::test]
    async fn closing_the_queue_runs_what_was_queued_then_stops_the_workers() {
        let (queue, threads) = start(1, 64);
        let ran = Arc::new(AtomicUsize::new(0));
        for _ in 0..20 {
            let ran = Arc::clone(&ran);
            queue
                .send(Box::new(move |_| {
                    std::thread::sleep(Duration::from_millis(1));
                    ran.fetch_add(1, Ordering::SeqCst);
                }))
                .await
                .unwrap();
        }
        drop(queue);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(ran.load(Ordering::SeqCst), 20);
    }
}
