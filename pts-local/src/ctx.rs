//! The shared state of a running server, handed to every operation handler, the scheduler
//! and the checkpointer. Below all of them: it names only the parts it holds.

use crate::auth::Authenticator;
use crate::clock::Clock;
use crate::files::FileStore;
use crate::ids::TimeFmt;
use crate::limits::{ByteBudget, Limits};
use crate::seam::RunEngine;
use crate::store::Store;
use crate::vpc_inventory::VpcInventory;
use std::sync::Arc;
use tokio::sync::Notify;

/// Shared state of a running server, handed to every operation handler.
pub struct Ctx {
    pub store: Store,
    pub auth: Authenticator,
    pub clock: Clock,
    pub time_fmt: TimeFmt,
    pub files: FileStore,
    pub vpc: VpcInventory,
    pub engine: Arc<dyn RunEngine>,
    /// Wakes the run scheduler when a run starts.
    pub wake: Notify,
    pub allowed_targets: Vec<String>,
    pub errors_in_body: bool,
    pub debug_window_secs: f64,
    pub limits: Limits,
    /// Bytes of request bodies buffered now, across connections.
    pub budget: ByteBudget,
}

impl Ctx {
    pub fn fmt_time(&self, ms: i64) -> String {
        self.time_fmt.format(ms)
    }
}
