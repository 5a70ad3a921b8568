//! The log of one sync run, as every connector but Prozorro's writes it: how many records
//! were new, changed, unchanged or failed, and one line for each record that was not
//! unchanged, saying what and why. The finished run goes to the store's `sync_runs`.

use dream_store::registers::SyncRun;
use dream_store::timestamp::Timestamp;
use dream_store::{Store, StoreError};
use time::OffsetDateTime;

/// A sync run being written down.
#[derive(Debug)]
pub struct RunLog {
    register: &'static str,
    started: OffsetDateTime,
    new: i64,
    changed: i64,
    unchanged: i64,
    failed: i64,
    lines: Vec<String>,
}

impl RunLog {
    pub fn start(register: &'static str) -> Self {
        Self {
            register,
            started: dream_store::now(),
            new: 0,
            changed: 0,
            unchanged: 0,
            failed: 0,
            lines: Vec::new(),
        }
    }

    pub fn new_record(&mut self, line: String) {
        self.new += 1;
        self.lines.push(line);
    }

    pub fn changed(&mut self, line: String) {
        self.changed += 1;
        self.lines.push(line);
    }

    pub fn unchanged(&mut self) {
        self.unchanged += 1;
    }

    pub fn failed(&mut self, line: String) {
        self.failed += 1;
        self.lines.push(line);
    }

    /// A line about a record that does not change the counts, such as a conflict found on
    /// a record that is otherwise unchanged.
    pub fn note(&mut self, line: String) {
        self.lines.push(line);
    }

    /// Writes the run to the store and returns it.
    pub async fn finish(self, store: &Store) -> Result<SyncRun, StoreError> {
        let run = SyncRun {
            register: self.register.to_owned(),
            started_at: Timestamp(self.started),
            finished_at: Timestamp(dream_store::now()),
            new: self.new,
            changed: self.changed,
            unchanged: self.unchanged,
            failed: self.failed,
            log: self.lines,
        };
        store.record_sync_run(&run).await?;
        tracing::info!(
            sync.register = self.register,
            sync.new = run.new,
            sync.changed = run.changed,
            sync.unchanged = run.unchanged,
            sync.failed = run.failed,
            "{} sync: {} new, {} changed, {} unchanged, {} failed",
            self.register,
            run.new,
            run.changed,
            run.unchanged,
            run.failed
        );
        Ok(run)
    }
}
