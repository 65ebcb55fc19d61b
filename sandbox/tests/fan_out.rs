//! 1,000 objects applied (and changed once) while 100 watchers follow: every watcher sees every
//! event exactly once, in resourceVersion order.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_objects_hundred_watchers_no_missed_or_duplicated_events() -> anyhow::Result<()> {
    let (sandbox, client) = common::start_quiet().await;
    let report = sandbox::load::fan_out(client, "default", 1000, 100).await?;
    assert_eq!(report.findings.len(), 100);
    for (i, f) in report.findings.iter().enumerate() {
        assert_eq!(*f, sandbox::load::WatcherFindings::default(), "watcher {i}");
    }
    assert_eq!(report.events_delivered, 100 * 2 * 1000);
    sandbox.shutdown().await;
    Ok(())
}
