//! SQLite state (rusqlite, bundled SQLite, WAL).
//!
//! - **One writer**: a dedicated thread owns the only write connection. Callers send closures
//!   over a channel; the thread runs whatever is queued (up to [`MAX_BATCH`]) in one
//!   `BEGIN IMMEDIATE` transaction, each closure inside its own savepoint (a closure that
//!   returns an error is rolled back alone), commits once, and only then answers every caller.
//!   So a success response always follows a durable commit (group commit: one fsync serves
//!   a whole batch of concurrent writers).
//! - **Durability**: `journal_mode=WAL` with `synchronous=FULL`: every commit is fsynced
//!   before it is acknowledged, so an acknowledged write survives `kill -9` *and* a power cut.
//!   (`NORMAL` would already survive `kill -9`, which is all the durability test can observe;
//!   FULL costs one fsync per batch, which group commit amortises.)
//! - **Readers**: a small pool of read-only connections used inline by handlers. In WAL mode a
//!   read that starts after a commit sees it, so every read reflects every write acknowledged
//!   before it started.

pub mod schema;

use crate::envelope::Fail;
use rusqlite::{Connection, OpenFlags};
use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// Most write closures committed together.
pub const MAX_BATCH: usize = 256;
const READERS_KEPT: usize = 8;

type Work = Box<dyn FnOnce(&Connection) -> (bool, Box<dyn Any + Send>) + Send>;

struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Box<dyn Any + Send>, Fail>>,
}

pub struct Store {
    path: PathBuf,
    writer: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<Store, String> {
        // SQLite gives the -wal and -shm files the mode of the database file.
        crate::private::create_file(path).map_err(|e| format!("create {}: {e}", path.display()))?;
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            crate::private::tighten(Path::new(&side))
                .map_err(|e| format!("chmod {}: {e}", path.display()))?;
        }
        let conn = Connection::open(path).map_err(|e| format!("open {}: {e}", path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;",
        )
        .map_err(|e| format!("configure {}: {e}", path.display()))?;
        schema::migrate(&conn).map_err(|e| format!("migrate {}: {e}", path.display()))?;
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("pts-local-writer".into())
            .spawn(move || writer_loop(conn, rx))
            .map_err(|e| format!("start the writer thread: {e}"))?;
        Ok(Store {
            path: path.to_path_buf(),
            writer: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
            readers: Mutex::new(Vec::new()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn reader(&self) -> Result<Connection, Fail> {
        if let Some(c) = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(c);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let c = Connection::open_with_flags(&self.path, flags)?;
        c.execute_batch("PRAGMA busy_timeout=10000;")?;
        Ok(c)
    }

    /// Runs a read on a pooled read-only connection (inline: reads are short and indexed).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Fail>) -> Result<T, Fail> {
        let conn = self.reader()?;
        let out = f(&conn);
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < READERS_KEPT {
            pool.push(conn);
        }
        out
    }

    /// Runs `f` in the writer's transaction and resolves once it is committed. An `Err` from
    /// `f` rolls back only `f`'s changes.
    pub async fn write<T, F>(&self, f: F) -> Result<T, Fail>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, Fail> + Send + 'static,
    {
        let (reply, rx) = oneshot::channel();
        let work: Work = Box::new(move |c| {
            let r = f(c);
            (r.is_ok(), Box::new(r) as Box<dyn Any + Send>)
        });
        {
            let guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            let Some(sender) = guard.as_ref() else {
                return Err(Fail::internal("the store is shut down"));
            };
            sender
                .send(Job { work, reply })
                .map_err(|_| Fail::internal("the writer thread stopped"))?;
        }
        let boxed = rx.await.map_err(|_| Fail::internal("the writer thread stopped"))??;
        match boxed.downcast::<Result<T, Fail>>() {
            Ok(r) => *r,
            Err(_) => Err(Fail::internal("writer result type")),
        }
    }

    /// Stops the writer after it has committed everything queued so far.
    pub fn close(&self) {
        self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(t) = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = t.join();
        }
        self.readers.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.close();
    }
}

fn writer_loop(conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        run_batch(&conn, batch);
    }
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
}

fn run_batch(conn: &Connection, batch: Vec<Job>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        for j in batch {
            let _ = j.reply.send(Err(Fail::internal(format!("begin: {e}"))));
        }
        return;
    }
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        let r = match conn.execute_batch("SAVEPOINT job") {
            Err(e) => Err(Fail::internal(format!("savepoint: {e}"))),
            Ok(()) => {
                let (keep, value) = (job.work)(conn);
                let end = if keep { "RELEASE job" } else { "ROLLBACK TO job; RELEASE job" };
                conn.execute_batch(end)
                    .map(|_| value)
                    .map_err(|e| Fail::internal(format!("savepoint: {e}")))
            }
        };
        results.push((job.reply, r));
    }
    if let Err(e) = conn.execute_batch("COMMIT") {
        let _ = conn.execute_batch("ROLLBACK");
        for (reply, _) in results {
            let _ = reply.send(Err(Fail::internal(format!("commit: {e}"))));
        }
        return;
    }
    for (reply, r) in results {
        let _ = reply.send(r);
    }
}

/// Registers a fresh id, unique across every kind of resource (a pts-local convention, so
/// an id never names two things; PTS's ids are 6 to 8 characters of `[A-Z0-9]`).
pub fn fresh_id(conn: &Connection, kind: &str) -> Result<String, Fail> {
    loop {
        let id = crate::ids::new_id();
        let n = conn.execute("INSERT OR IGNORE INTO ids(id, kind) VALUES (?1, ?2)", (&id, kind))?;
        if n == 1 {
            return Ok(id);
        }
    }
}

/// Registers a caller-chosen id (an echoed RelationId/ApiId); false if another resource holds it.
pub fn claim_id(conn: &Connection, id: &str, kind: &str) -> Result<bool, Fail> {
    let n = conn.execute("INSERT OR IGNORE INTO ids(id, kind) VALUES (?1, ?2)", (id, kind))?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_commit_and_errors_roll_back_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let ok = store.write(|c| fresh_id(c, "test")).await.unwrap();
        let failed: Result<(), Fail> = store
            .write(|c| {
                c.execute("INSERT INTO ids(id, kind) VALUES ('ROLLED', 'x')", [])?;
                Err(Fail::invalid("no"))
            })
            .await;
        assert!(failed.is_err());
        let ids: Vec<String> = store
            .read(|c| {
                let mut s = c.prepare("SELECT id FROM ids ORDER BY id")?;
                let rows = s.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
                Ok(rows)
            })
            .unwrap();
        assert_eq!(ids, vec![ok]);
        store.close();
        let again = Store::open(&dir.path().join("db.sqlite")).unwrap();
        assert_eq!(again.read(|c| Ok(schema::version(c)?)).unwrap(), schema::LATEST);
    }
}
