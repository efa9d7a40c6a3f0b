//! `pts-local`: a PTS-compatible service on loopback for the Alibaba Cloud PTS OpenAPI
//! 2020-10-20, to PTS what LocalStack is to AWS.
//!
//! ```no_run
//! # async fn demo() -> Result<(), String> {
//! let server = pts_local::Server::start(pts_local::Config::new("/tmp/pts-local")).await?;
//! println!("PTS on {} (key {})", server.endpoint(), server.access_key_id());
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! It speaks the RPC protocol of the real service (v3 and v1 signatures, STS tokens,
//! timestamp window, nonce replay protection), serves all 44 operations on SQLite state with
//! pts-api's own validation and response types, and keeps a file store for the CSV/JMX/JAR
//! files scenes reference.
//!
//! # Modules
//! - [`server`]: hyper on `127.0.0.1:0` by default, [`Server::start`], [`RunningServer`];
//!   [`conn`]: the accept loop; [`limits`]: connections, timeouts, body size, buffer budget.
//! - [`rpc`]: path, version, action; [`auth`]: signatures, timestamps, STS, nonces
//!   ([`nonce`]: bounded replay memory); [`dispatch`]: decode + validate + typed handler;
//!   [`envelope`]: success and error bodies (gateway errors with their HTTP status, service
//!   errors with the operation's documented code and status).
//! - [`store`]: SQLite (WAL, `synchronous=FULL`, versioned migrations, one writer thread with
//!   group commit, pooled readers).
//! - [`ops`]: one module per family (PTS scenes, runs, reports, baselines, JMeter scenes, runs
//!   and reports, environments, VPC lookups, regions).
//! - [`ctx`]: the state every handler shares.
//! - [`runs`]: run status and the scheduler that ends runs; [`run_end`]: the transaction that
//!   ends a run record; [`checkpoint`]: runs across a crash; [`seam`]: the [`RunEngine`] seam;
//!   [`engine`]: the load engine, plugged in by [`engine_adapter`] (the default);
//!   [`NullEngine`] (`Config::with_null_engine`, `serve --null-engine`) sends nothing and leaves
//!   measured fields absent.
//! - [`sample_target`]: a small shop API on loopback to load in demos and tests.
//! - [`files`]: the file store; [`layout`]: the data dir's file names; [`vpc_inventory`]: the
//!   VPCs the lookups answer from; [`clock`]: the time scale; [`ids`]: ids, RequestIds, times;
//!   [`config`] and [`profile`]: settings, the generated key pair and the `local` pts profile;
//!   [`private`]: the data dir is 0700, its files 0600.
//!
//! # Conventions (where PTS publishes nothing; never presented as PTS facts)
//! - Ids are 8 characters of `[A-Z0-9]`, unique across kinds; PlanId == ReportId for PTS runs;
//!   RequestIds are upper-case UUIDs; scene times `YYYY-MM-DD hh:mm:ss` in UTC+8.
//! - New scenes are `Draft`; a finished run or debug leaves the scene `WaitStart`. A scene
//!   that never ran reports runtime status `STOPPED`. An active run's status is the engine's
//!   lifecycle: `PREPARING` (JMeter: `PREPARING` while the plan compiles, `STARTING` while
//!   threads start and connections open) until the first request is sent, `RUNNING`,
//!   `STOPPING` while requests in flight drain and the results are stored, then `STOPPED`.
//!   The integer running-data status is the index of the runtime phase list (PREPARING = 5,
//!   RUNNING = 7, STOPPING = 8, STOPPED = 9).
//! - Wrong-state answers PTS does not document: `ModifyPtsSceneFail`/`StartPtsSceneFail`/
//!   `StartDebugPtsSceneFail` `Scene is running`, `DeletePtsScenesFail` `Scene is running`,
//!   `SceneNotExist` (403) `Scene is running` / `Scene is not running` for JMeter and
//!   AdjustPtsSceneSpeed, `EnvNotExist` (503) `Env is in use`.
//! - A start the load engine refuses because the scene or JMX cannot run as written answers
//!   [`envelope::PLAN_INVALID`] (`Scene.PlanInvalid`, 400) with a message naming the element
//!   and field.
//! - Debug runs last until stopped or for [`Config::debug_window_secs`] scene seconds (60).
//! - A run's targets must be loopback, bound to loopback by `DomainBindingList`, or listed in
//!   [`Config::allowed_targets`] (`StartPtsSceneFail` / `StartDebugPtsSceneFail` otherwise).
//! - Report names are `<scene name>-<YYYYMMDDhhmmss>`; durations `N分钟`, scene minutes
//!   rounded up; reports outlive their scenes.
//! - Time: see [`clock`] (`time_scale` scene seconds per real second; responses in scene units).
//! - Files: see [`files`] (references resolve by file name against `<data dir>/files`).

pub mod auth;
pub mod checkpoint;
pub mod cli;
pub mod clock;
pub mod config;
pub mod conn;
pub mod ctx;
pub mod dispatch;
pub mod engine;
pub mod engine_adapter;
pub mod envelope;
pub mod files;
pub mod ids;
pub mod layout;
pub mod limits;
pub mod nonce;
pub mod ops;
pub mod private;
pub mod profile;
pub mod rpc;
pub mod run_end;
pub mod runs;
pub mod sample_target;
pub mod seam;
pub mod server;
pub mod store;
pub mod vpc_inventory;

pub use auth::Key;
pub use config::{Config, Keys};
pub use files::{FileStore, StoredFile, upload};
pub use seam::{NullEngine, RunEngine};
pub use server::{RunningServer, Server};
pub use vpc_inventory::VpcInventory;
