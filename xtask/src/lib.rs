//! `cargo xtask regen` and `cargo xtask check`: metadata -> inventory -> generated code.

pub use api_meta::fetch;
pub mod cycles;
pub mod tree;

use anyhow::{Context, Result};
use api_meta::Inventory;
use api_meta::snapshot::{INVENTORY_FILE, INVENTORY_MD};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the raw metadata comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    File(PathBuf),
    Url(String),
}

impl Origin {
    /// `--from FILE`, else env `PTS_API_DOCS`, else the live metadata URL.
    pub fn resolve(from: Option<PathBuf>) -> Origin {
        match from.or_else(|| std::env::var_os("PTS_API_DOCS").map(PathBuf::from)) {
            Some(p) => Origin::File(p),
            None => Origin::Url(api_meta::normalize::PTS_API_DOCS_URL.to_string()),
        }
    }

    pub fn read(&self) -> Result<Vec<u8>> {
        match self {
            Origin::File(p) => std::fs::read(p)
                .with_context(|| format!("cannot read the metadata file {}", p.display())),
            Origin::Url(u) => fetch::fetch(u, &fetch_options()),
        }
    }
}

/// How xtask fetches the live metadata.
pub fn fetch_options() -> fetch::FetchOptions {
    fetch::FetchOptions::new(concat!("pts-xtask/", env!("CARGO_PKG_VERSION")))
}

/// The full output of one regeneration, as relative path -> contents, rooted at the
/// workspace: `api-meta/inventory/...` and `pts-api/src/generated/...`.
pub struct Output {
    pub inventory: Inventory,
    pub files: BTreeMap<String, String>,
}

pub const GENERATED_DIR: &str = "pts-api/src/generated";

/// Normalizes raw metadata, applies the reviewed overrides and generates every file.
/// The inventory always records the canonical URL: a file is a snapshot of it.
pub fn regenerate(raw: &[u8]) -> Result<Output> {
    let inventory = api_meta::build_inventory(raw)?;
    let mut files = BTreeMap::new();
    files.insert(format!("api-meta/inventory/{INVENTORY_FILE}"), inventory.to_json());
    files.insert(
        format!("api-meta/inventory/{INVENTORY_MD}"),
        api_meta::markdown::render(&inventory),
    );
    for (rel, text) in codegen::generate(&inventory) {
        // Formatted by prettyplease; `pts-api` marks the module `#[rustfmt::skip]`.
        files.insert(format!("{GENERATED_DIR}/{rel}"), text);
    }
    Ok(Output { inventory, files })
}

/// Writes an output under `root`, removing generated files that are no longer produced.
pub fn write_output(root: &Path, out: &Output) -> Result<()> {
    let gen_dir = root.join(GENERATED_DIR);
    for stale in tree::list_files(&gen_dir)? {
        let rel = format!("{GENERATED_DIR}/{stale}");
        if !out.files.contains_key(&rel) {
            std::fs::remove_file(gen_dir.join(&stale))?;
        }
    }
    for (rel, text) in &out.files {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text)?;
        }
    }
    Ok(())
}
