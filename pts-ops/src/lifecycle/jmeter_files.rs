//! Local JMX/CSV files of a JMeter scene (`FileList[].Path`). PTS fetches scene files by
//! URL, so on the cloud a path is refused with what to do instead. pts-local resolves a
//! file by its name in the file store of its data directory (pts-local/src/files.rs);
//! from the endpoint alone the CLI cannot know that directory, so the caller names it
//! (`--data DIR`, else `PTS_LOCAL_DATA`, else `.pts-local`, the default of
//! `pts local serve`) and copies the file in, as `pts local upload` does.

use crate::exit::{CliError, CliResult};
use crate::scene_doc::jmeter::{PATH_KEY, file_name};
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
            uploads.push(LocalFile { name, path: full, md5: pts_api::checksum::md5_hex(&bytes) });
        }
    }
    if let Some(Value::String(t)) = out.get_mut("TestFile") {
        *t = file_name(t);
    }
    Ok((out, uploads))
}
