//! Versioned schema migrations. Each entry runs once, in order, inside one transaction with
//! its `schema_migrations` row; a database newer than this build is refused.

use rusqlite::{Connection, OptionalExtension};

/// (version, SQL). Append only; never edit an entry that has shipped.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        r#"
    -- Every resource id, so ids are unique across kinds.
    CREATE TABLE ids (id TEXT PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID;

    -- PTS scenes. `config` is the stored Scene (pts_api::shapes::scene::Scene, wire keys).
    -- `status` is the scene-level status: Draft, WaitStart, Running or Debugging.
    CREATE TABLE pts_scenes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        scene_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        config TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL
    );

    -- One row per PTS run (load test or debug). A finished test plan is a report
    -- (PlanId == ReportId). `snapshot` is the scene config at start; `metrics` is what the
    -- load engine reported at the end (NULL: nothing measured).
    CREATE TABLE pts_plans (
        plan_id TEXT PRIMARY KEY,
        scene_id TEXT NOT NULL,
        debug INTEGER NOT NULL,
        active INTEGER NOT NULL,
        scene_name TEXT NOT NULL,
        report_name TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        deadline_ms INTEGER NOT NULL,
        ended_ms INTEGER,
        speeds TEXT,
        metrics TEXT
    );
    CREATE INDEX pts_plans_by_scene ON pts_plans(scene_id, started_ms);
    CREATE INDEX pts_plans_active ON pts_plans(active, deadline_ms);

    CREATE TABLE pts_baselines (scene_id TEXT PRIMARY KEY, baseline TEXT NOT NULL);

    -- Debug sample logs (GetPtsDebugSampleLogs), written by the load engine.
    CREATE TABLE pts_sample_logs (
        plan_id TEXT NOT NULL, seq INTEGER NOT NULL, log TEXT NOT NULL,
        PRIMARY KEY (plan_id, seq)
    );

    -- JMeter scenes; `config` is the stored OpenJMeterScene (wire keys).
    CREATE TABLE jmeter_scenes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        scene_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        config TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL
    );

    -- One row per JMeter run (test or debug); the report id is the run id.
    CREATE TABLE jmeter_runs (
        report_id TEXT PRIMARY KEY,
        scene_id TEXT NOT NULL,
        scene_name TEXT NOT NULL,
        report_name TEXT NOT NULL,
        debug INTEGER NOT NULL,
        active INTEGER NOT NULL,
        snapshot TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        deadline_ms INTEGER NOT NULL,
        ended_ms INTEGER,
        speed INTEGER,
        metrics TEXT
    );
    CREATE INDEX jmeter_runs_by_scene ON jmeter_runs(scene_id, started_ms);
    CREATE INDEX jmeter_runs_active ON jmeter_runs(active, deadline_ms);

    -- JMeter sample results and engine logs, written by the load engine.
    CREATE TABLE jmeter_sampling_logs (
        report_id TEXT NOT NULL, seq INTEGER NOT NULL, ts_ms INTEGER NOT NULL, log TEXT NOT NULL,
        PRIMARY KEY (report_id, seq)
    );
    CREATE TABLE jmeter_logs (
        report_id TEXT NOT NULL, agent_index INTEGER NOT NULL, seq INTEGER NOT NULL,
        ts_ms INTEGER NOT NULL, log TEXT NOT NULL,
        PRIMARY KEY (report_id, agent_index, seq)
    );
    CREATE TABLE jmeter_sample_metrics (
        report_id TEXT NOT NULL, ts_ms INTEGER NOT NULL, bucket TEXT NOT NULL,
        PRIMARY KEY (report_id, ts_ms)
    );

    -- JMeter environments; `config` is the saved Env with file sizes and MD5s resolved.
    CREATE TABLE envs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        env_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        config TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL
    );
    "#,
    ),
    (
        2,
        r#"
    -- What the engine had measured so far, saved every second while a run is active (the
    -- result shape of a finished run), and whether the run ended because the service died.
    ALTER TABLE pts_plans ADD COLUMN checkpoint TEXT;
    ALTER TABLE pts_plans ADD COLUMN checkpoint_ms INTEGER;
    ALTER TABLE pts_plans ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jmeter_runs ADD COLUMN checkpoint TEXT;
    ALTER TABLE jmeter_runs ADD COLUMN checkpoint_ms INTEGER;
    ALTER TABLE jmeter_runs ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
    "#,
    ),
];

/// The newest schema version this build knows.
pub const LATEST: i64 = 2;

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    let exists: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(0);
    }
    conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
}

pub fn migrate(conn: &Connection) -> Result<(), String> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);",
    )
    .map_err(|e| e.to_string())?;
    let current = version(conn).map_err(|e| e.to_string())?;
    if current > LATEST {
        return Err(format!(
            "the database has schema version {current}, newer than this build ({LATEST})"
        ));
    }
    for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let run = || -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            conn.execute_batch(sql)?;
            conn.execute(
                "INSERT INTO schema_migrations(version, applied_ms) VALUES (?1, ?2)",
                (v, crate::ids::now_ms()),
            )?;
            conn.execute_batch("COMMIT")
        };
        if let Err(e) = run() {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(format!("migration {v}: {e}"));
        }
    }
    Ok(())
}
