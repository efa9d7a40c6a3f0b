//! What pts-local keeps in its data dir, by name, and how a dir is known to be one.

use std::path::Path;

/// File name of the database inside the data dir.
pub const DB_FILE: &str = "pts-local.sqlite3";

/// File name of the generated key pair inside the data dir.
pub const CREDENTIALS_FILE: &str = "credentials.json";

/// True when `dir` already holds pts-local's database or key file.
pub fn is_data_dir(dir: &Path) -> bool {
    [DB_FILE, CREDENTIALS_FILE].iter().any(|f| dir.join(f).exists())
}
