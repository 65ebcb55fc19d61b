//! Storing a run while it goes, off the deploy's critical path: the job publishes each state at
//! once and hands it to a writer task, which stores the newest state it has (states that came
//! while it was writing are skipped, the last one never is). [`Saver::stored`] waits until what
//! was handed over is stored (the job does before it changes the cluster, so a crash never leaves
//! applied objects that no stored run mentions), and the final state is stored before the job
//! reports the run finished.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::store::{RunRecord, RunStore};

enum Message {
    /// A newer state of the run.
    State(Box<RunRecord>),
    /// Answer once every state sent before is stored.
    Stored(oneshot::Sender<()>),
}

/// A run's writer.
pub(super) struct Saver {
    queue: mpsc::UnboundedSender<Message>,
    writer: JoinHandle<()>,
}

impl Saver {
    /// Starts a writer into `store`.
    pub(super) fn start(store: Arc<dyn RunStore>) -> Self {
        let (queue, mut pending) = mpsc::unbounded_channel::<Message>();
        let writer = tokio::spawn(async move {
            while let Some(first) = pending.recv().await {
                let (mut latest, mut waiting) = (None, Vec::new());
                let mut take = |message| match message {
                    Message::State(record) => latest = Some(*record),
                    Message::Stored(done) => waiting.push(done),
                };
                take(first);
                while let Ok(message) = pending.try_recv() {
                    take(message);
                }
                if let Some(record) = latest {
                    if let Err(error) = store.update_run(&record).await {
                        tracing::error!(run = %record.run.id, "cannot save the run: {error}");
                    }
                }
                for done in waiting {
                    let _ = done.send(());
                }
            }
        });
        Saver { queue, writer }
    }

    /// Stores `record` soon, or a newer state when one comes first.
    pub(super) fn save(&self, record: RunRecord) {
        // The writer stops only once the queue is closed (in `finish`): this cannot fail.
        let _ = self.queue.send(Message::State(Box::new(record)));
    }

    /// Returns once every state handed over so far is stored (or failed to be, which is
    /// logged).
    pub(super) async fn stored(&self) {
        let (done, stored) = oneshot::channel();
        if self.queue.send(Message::Stored(done)).is_ok() {
            let _ = stored.await;
        }
    }

    /// Stores `record` after every state handed over before it, and returns once it is stored
    /// (or failed to be, which is logged).
    pub(super) async fn finish(self, record: RunRecord) {
        let Saver { queue, writer } = self;
        let _ = queue.send(Message::State(Box::new(record)));
        drop(queue);
        if let Err(error) = writer.await {
            tracing::error!("the run writer stopped: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use async_trait::async_trait;
    use chrono::{DateTime, Utc};

    use app::model::Run;

    use super::*;
    use crate::store::StoreResult;

    /// Keeps the phases it was given, each write taking `delay`.
    #[derive(Default)]
    struct SlowRuns {
        delay: Duration,
        written: Mutex<Vec<String>>,
    }

    impl SlowRuns {
        fn written(&self) -> Vec<String> {
            self.written.lock().map(|w| w.clone()).unwrap_or_default()
        }
    }

    #[async_trait]
    impl RunStore for SlowRuns {
        async fn insert_run(&self, _: &RunRecord) -> StoreResult<()> {
            Ok(())
        }
        async fn update_run(&self, record: &RunRecord) -> StoreResult<bool> {
            tokio::time::sleep(self.delay).await;
            if let Ok(mut written) = self.written.lock() {
                written.push(record.run.phase.clone());
            }
            Ok(true)
        }
        async fn run(&self, _: &str, _: &str) -> StoreResult<Option<Run>> {
            Ok(None)
        }
        async fn runs(&self, _: &str, _: &str, _: u32) -> StoreResult<Vec<Run>> {
            Ok(Vec::new())
        }
        async fn interrupt_unfinished(&self, _: DateTime<Utc>, _: &str) -> StoreResult<u64> {
            Ok(0)
        }
    }

    fn at(phase: &str) -> RunRecord {
        let run = Run {
            id: "r1".into(),
            workflow_id: "w1".into(),
            cluster_id: "c1".into(),
            version: 1,
            state: app::model::RunState::Running,
            phase: phase.into(),
            error: None,
            nodes: Default::default(),
            namespaces_created: Vec::new(),
            pruned: Vec::new(),
            started_at: Utc::now(),
            finished_at: None,
        };
        RunRecord {
            owner_id: "u1".into(),
            run,
        }
    }

    #[tokio::test]
    async fn progress_is_coalesced_and_the_final_state_is_stored_before_finish_returns() {
        let store = Arc::new(SlowRuns {
            delay: Duration::from_millis(30),
            ..SlowRuns::default()
        });
        let saver = Saver::start(store.clone());
        for level in 1..=20 {
            saver.save(at(&format!("applying level {level} of 20")));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
        for level in 1..=20 {
            saver.save(at(&format!("again {level}")));
        }
        saver.finish(at("finished")).await;
        let written = store.written();
        assert_eq!(
            written.last().map(String::as_str),
            Some("finished"),
            "{written:?}"
        );
        assert!(
            written.len() < 10,
            "states that came during a write are skipped: {written:?}"
        );
    }

    #[tokio::test]
    async fn stored_waits_for_the_states_handed_over_before() {
        let store = Arc::new(SlowRuns {
            delay: Duration::from_millis(30),
            ..SlowRuns::default()
        });
        let saver = Saver::start(store.clone());
        saver.save(at("rendered"));
        saver.save(at("dry-run"));
        saver.stored().await;
        assert_eq!(store.written().last().map(String::as_str), Some("dry-run"));
        saver.stored().await;
        saver.finish(at("finished")).await;
        assert_eq!(store.written().last().map(String::as_str), Some("finished"));
    }

    #[tokio::test]
    async fn every_state_is_stored_when_the_store_keeps_up() {
        let store = Arc::new(SlowRuns::default());
        let saver = Saver::start(store.clone());
        saver.save(at("rendered"));
        tokio::time::sleep(Duration::from_millis(20)).await;
        saver.save(at("dry-run"));
        tokio::time::sleep(Duration::from_millis(20)).await;
        saver.finish(at("finished")).await;
        assert_eq!(store.written(), ["rendered", "dry-run", "finished"]);
    }
}
