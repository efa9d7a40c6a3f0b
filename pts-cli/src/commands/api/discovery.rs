//! The API discovery files of the operator guide (`list_openapi_meta_apis.py`):
//! `PTS_2020-10-20_api_list.md` with the line `API count: N`, and with `--live` the raw
//! `PTS_2020-10-20_api_docs.json`. Offline (the default) the list comes from the inventory
//! compiled into pts, so it works with no network; `--live` fetches the metadata with
//! bounded timeouts and fails with exit 4 when it cannot.

use api_meta::Inventory;
use api_meta::normalize::PTS_API_DOCS_URL;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DOCS_FILE: &str = "PTS_2020-10-20_api_docs.json";
pub const LIST_FILE: &str = "PTS_2020-10-20_api_list.md";

/// Writes the files into `dir` (created); returns what was written.
pub fn write(dir: &Path, live: bool) -> CliResult<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::io("create", dir, &e))?;
    let mut written = Vec::new();
    let (inventory, source) = if live {
        let mut opts =
            api_meta::fetch::FetchOptions::new(concat!("pts/", env!("CARGO_PKG_VERSION")));
        opts.connect = Duration::from_secs(5);
        opts.total = Duration::from_secs(30);
        let raw = api_meta::fetch::fetch(PTS_API_DOCS_URL, &opts).map_err(|e| {
            CliError::new(ExitCode::Network, format!("{e:#}"))
                .with_hint("without --live the list comes from the inventory compiled into pts")
        })?;
        let inv = api_meta::build_inventory(&raw).map_err(|e| {
            CliError::new(
                ExitCode::Service,
                format!("{PTS_API_DOCS_URL}: not usable metadata: {e}"),
            )
        })?;
        let path = dir.join(DOCS_FILE);
        std::fs::write(&path, &raw).map_err(|e| CliError::io("write", &path, &e))?;
        written.push(path);
        (inv, format!("live metadata {PTS_API_DOCS_URL}"))
    } else {
        let inv = api_meta::snapshot::committed_inventory();
        let source = format!(
            "inventory compiled into pts (from {}, sha256 {})",
            inv.source.url, inv.source.sha256
        );
        (inv, source)
    };
    let path = dir.join(LIST_FILE);
    std::fs::write(&path, markdown(&inventory, &source))
        .map_err(|e| CliError::io("write", &path, &e))?;
    written.push(path);
    Ok(written)
}

/// The list: title, source, `API count: N`, and one table row per operation.
pub fn markdown(inv: &Inventory, source: &str) -> String {
    let mut md = String::new();
    let w = &mut md;
    let _ = writeln!(w, "# {} {} APIs\n", inv.product, inv.version);
    let _ = writeln!(w, "Source: {source}\n");
    let _ = writeln!(w, "API count: {}\n", inv.operations.len());
    let mutating = inv.operations.iter().filter(|o| o.access.is_mutating()).count();
    let _ = writeln!(w, "Read-only: {}. Mutating: {mutating}.\n", inv.operations.len() - mutating);
    let _ = writeln!(w, "| Operation | Access | Kind | Paginated | Required parameters |");
    let _ = writeln!(w, "|---|---|---|---|---|");
    for op in &inv.operations {
        let kind = if op.access.is_mutating() { "mutating" } else { "read" };
        let paged = if op.paging.is_some() { "yes" } else { "no" };
        let required: Vec<&str> =
            op.parameters.iter().filter(|p| p.schema.required).map(|p| p.name.as_str()).collect();
        let required = if required.is_empty() { "-".to_string() } else { required.join(", ") };
        let _ =
            writeln!(w, "| {} | {} | {kind} | {paged} | {required} |", op.name, op.access.as_str());
    }
    md
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_offline_list_counts_44_operations() {
        let dir = tempfile::tempdir().unwrap();
        let written = super::write(dir.path(), false).unwrap();
        assert_eq!(written, vec![dir.path().join(super::LIST_FILE)]);
        let md = std::fs::read_to_string(&written[0]).unwrap();
        assert!(md.lines().any(|l| l == "API count: 44"), "{md}");
        assert_eq!(
            md.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| Operation")).count(),
            44
        );
        assert!(
            md.contains("| GetPtsSceneRunningData | read | read | no | PlanId, SceneId |"),
            "{md}"
        );
    }
}
