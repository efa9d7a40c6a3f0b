//! What every workflow command needs: the effective settings, a client built from them,
//! and a tokio runtime to drive it.

use crate::errors;
use crate::evidence::{Evidence, EvidenceOptions, Target};
use crate::exit::{CliError, CliResult, ExitCode};
use crate::options::SessionOptions;
use crate::settings::Settings;
use std::future::Future;

pub struct Session {
    pub options: SessionOptions,
    pub settings: Settings,
    pub client: pts_api::Client,
    rt: tokio::runtime::Runtime,
}

impl Session {
    /// Loads the settings and builds the client; nothing is resolved or sent yet.
    pub fn new(options: impl Into<SessionOptions>) -> CliResult<Session> {
        let options = options.into();
        let settings = Settings::load(&options)?;
        let client = settings.client()?;
        let rt =
            tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| {
                CliError::new(ExitCode::Network, format!("cannot start the runtime: {e}"))
            })?;
        Ok(Session { options, settings, client, rt })
    }

    /// Runs `work`, raced against Ctrl-C/SIGTERM (exit 130). Use [`Session::block_on_raw`]
    /// when the work must clean up (stop a scene) before it returns on a signal.
    pub fn block_on<T>(&self, work: impl Future<Output = CliResult<T>>) -> CliResult<T> {
        self.rt.block_on(async {
            tokio::select! {
                r = work => r,
                _ = crate::signals::shutdown() => Err(CliError::interrupted()),
            }
        })
    }

    /// Runs `work` to completion; the work watches for signals itself.
    pub fn block_on_raw<T>(&self, work: impl Future<Output = T>) -> T {
        self.rt.block_on(work)
    }

    /// `host[:port]` requests go to.
    pub fn endpoint(&self) -> String {
        self.settings.endpoint_host()
    }

    pub fn region(&self) -> &str {
        &self.settings.region.value
    }

    /// True when the endpoint is a loopback address (pts-local): JMX/CSV files are
    /// uploaded to its file store instead of referenced by URL.
    pub fn is_local_endpoint(&self) -> bool {
        pts_api::__private::net::is_loopback_authority(&self.endpoint())
    }

    pub fn evidence_options(&self) -> EvidenceOptions {
        EvidenceOptions::from_options(&self.options)
    }

    /// Starts the evidence directory of `action` on `id` (disabled by `--no-evidence` or
    /// `--dry-run`), recording this process's command line.
    pub fn evidence(&self, action: &str, id: &str) -> CliResult<Evidence> {
        if self.options.dry_run {
            return Ok(Evidence::disabled(action, id));
        }
        let command: Vec<String> = std::env::args().collect();
        Evidence::begin(&self.evidence_options(), action, id, self.target(), &command)
    }

    /// Region, endpoint and profile, as evidence records them.
    pub fn target(&self) -> Target {
        Target::of(&self.settings)
    }

    /// Refuses (exit 2) if read-only mode is on, else asks unless `--yes` (see
    /// [`crate::confirm::gate`]).
    pub fn confirm(&self, action: &str, summary: &str) -> CliResult<()> {
        crate::confirm::gate(&self.settings, &self.options, action, summary)
    }
}

/// A pts-api error as a CLI error (exit code by class).
pub fn api_err(e: pts_api::Error) -> CliError {
    errors::from_api(&e)
}
