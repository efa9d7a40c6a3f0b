//! The file store. PTS references CSV, JMX and JAR files by OSS URL, which a local service
//! cannot fetch; pts-local keeps the files in `<data dir>/files/` instead. `pts local upload`
//! (or [`FileStore::add`]) copies files in, and every file reference of a scene, JMeter scene
//! or environment resolves **by file name** (the `FileName` field, else the last path segment
//! of the URL) against this store. A reference to a missing file is an error naming the file.

use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

/// A stored file as the service reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub name: String,
    pub size: i64,
    /// Lower-case hex MD5, as PTS reports `Md5`.
    pub md5: String,
    pub path: PathBuf,
}

impl FileStore {
    /// The store of `data_dir` (created if needed).
    pub fn open(data_dir: &Path) -> std::io::Result<Self> {
        let dir = data_dir.join("files");
        crate::private::create_dir(data_dir, crate::layout::is_data_dir(data_dir))?;
        crate::private::create_dir(&dir, true)?;
        for entry in std::fs::read_dir(&dir)? {
            crate::private::tighten(&entry?.path())?;
        }
        Ok(FileStore { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Copies `src` into the store under its file name (replacing a file of that name).
    pub fn add(&self, src: &Path) -> std::io::Result<StoredFile> {
        let name = src.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
            std::io::Error::other(format!("{}: no usable file name", src.display()))
        })?;
        let bytes = std::fs::read(src)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", src.display())))?;
        self.add_bytes(name, &bytes)
    }

    /// Stores `bytes` as `name` (atomic replace).
    pub fn add_bytes(&self, name: &str, bytes: &[u8]) -> std::io::Result<StoredFile> {
        check_name(name).map_err(std::io::Error::other)?;
        let target = self.dir.join(name);
        pts_api::config::write_private_atomic(&target, bytes)?;
        Ok(StoredFile {
            name: name.to_string(),
            size: bytes.len() as i64,
            md5: md5_hex(bytes),
            path: target,
        })
    }

    /// The stored file called `name`, if any.
    pub fn get(&self, name: &str) -> Option<StoredFile> {
        check_name(name).ok()?;
        let path = self.dir.join(name);
        let mut f = std::fs::File::open(&path).ok()?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).ok()?;
        Some(StoredFile {
            name: name.to_string(),
            size: bytes.len() as i64,
            md5: md5_hex(&bytes),
            path,
        })
    }

    /// Resolves a reference; the error names the missing file and how to add it.
    pub fn resolve(
        &self,
        file_name: Option<&str>,
        url: Option<&str>,
    ) -> Result<StoredFile, String> {
        let name = pts_api::rules::files::reference_name(file_name, url)
            .ok_or_else(|| "a file reference has no file name".to_string())?;
        self.get(&name).ok_or_else(|| {
            format!("File {name} is not in the pts-local file store; add it with `pts local upload {name}`")
        })
    }

    /// Names of every stored file, sorted.
    pub fn list(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name.len() > 255
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0'])
    {
        return Err(format!("invalid file name {name:?}"));
    }
    Ok(())
}

/// Adds files to the store of `data_dir` without a running server (`pts local upload`).
pub fn upload(data_dir: &Path, paths: &[PathBuf]) -> std::io::Result<Vec<StoredFile>> {
    let store = FileStore::open(data_dir)?;
    paths.iter().map(|p| store.add(p)).collect()
}

/// PTS reports file checksums as MD5.
pub use pts_api::checksum::md5_hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_and_resolve_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        let f = store.add_bytes("data.csv", b"a,b\n1,2\n").unwrap();
        assert_eq!(f.size, 8);
        let r = store
            .resolve(None, Some("https://bucket.oss-cn-shanghai.aliyuncs.com/x/data.csv?v=1"))
            .unwrap();
        assert_eq!(r.md5, f.md5);
        let err = store.resolve(Some("missing.jmx"), None).unwrap_err();
        assert!(err.contains("missing.jmx"), "{err}");
        assert!(store.add_bytes("../evil", b"x").is_err());
        assert_eq!(store.list(), vec!["data.csv".to_string()]);
    }
}
