//! Local JMX/CSV files of a JMeter scene (`FileList[].Path`). PTS fetches scene files by
//! URL, so on the cloud a path is refused with what to do instead. pts-local resolves a
//! file by its name in the file store of its data directory (pts-local/src/files.rs);
//! from the endpoint alone the CLI cannot know that directory, so the caller names it
//! (`--data DIR`, else `PTS_LOCAL_DATA`, else `.pts-local`, the default of
//! `pts local serve`) and the file is copied in as `pts local upload` would.

use crate::exit::{CliError, CliResult};
use crate::workflow::scene_doc::jmeter::{PATH_KEY, file_name};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The address a stored file is given; pts-local resolves by `FileName` and ignores it.
pub fn local_address(name: &str) -> String {
    format!("pts-local://files/{name}")
}

/// Where the files go.
#[derive(Debug, Clone)]
pub enum FileTarget {
    /// pts-local's data directory.
    Local(PathBuf),
    /// PTS in the cloud: paths are refused.
    Cloud,
}

/// A local file to copy into the store.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LocalFile {
    pub name: String,
    pub path: PathBuf,
    pub md5: String,
}

/// Replaces `Path` entries by `FileName` + `FileOssAddress` and lists the files to upload;
/// reads them (so a missing file is a usage error before anything is sent). `TestFile`
/// given as a path becomes its file name.
pub fn resolve(
    scene: &Value,
    target: &FileTarget,
    base: &Path,
) -> CliResult<(Value, Vec<LocalFile>)> {
    let mut out = scene.clone();
    let mut uploads = Vec::new();
    if let Some(files) = out.get_mut("FileList").and_then(Value::as_array_mut) {
        for (i, f) in files.iter_mut().enumerate() {
            let Some(path) = f.get(PATH_KEY).and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            let full = base.join(&path);
            let bytes = std::fs::read(&full).map_err(|e| {
                CliError::usage(format!(
                    "OpenJMeterScene.FileList[{i}].Path: cannot read {}: {e}",
                    full.display()
                ))
            })?;
            let name = file_name(&path);
            match target {
                FileTarget::Cloud => {
                    return Err(CliError::usage(format!(
                        "OpenJMeterScene.FileList[{i}].Path: PTS in the cloud references files by URL; upload {path} to OSS and give FileName and FileOssAddress instead"
                    )));
                }
                FileTarget::Local(_) => {
                    let obj = f.as_object_mut().expect("entry with a key is an object");
                    obj.remove(PATH_KEY);
                    obj.insert("FileName".into(), json!(name));
                    obj.insert("FileOssAddress".into(), json!(local_address(&name)));
                }
            }
            uploads.push(LocalFile { name, path: full, md5: pts_local::files::md5_hex(&bytes) });
        }
    }
    if let Some(Value::String(t)) = out.get_mut("TestFile") {
        *t = file_name(t);
    }
    Ok((out, uploads))
}

/// Copies the files into the store of pts-local's data directory.
pub fn upload(data_dir: &Path, files: &[LocalFile]) -> CliResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    if !data_dir.join("files").is_dir() && !data_dir.is_dir() {
        return Err(CliError::usage(format!(
            "{} is not a pts-local data directory",
            data_dir.display()
        ))
        .with_hint(
            "pass --data DIR as given to `pts local serve --data DIR` (or set PTS_LOCAL_DATA)",
        ));
    }
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    pts_local::upload(data_dir, &paths)
        .map(|_| ())
        .map_err(|e| CliError::usage(format!("cannot add files to the pts-local file store: {e}")))
}
