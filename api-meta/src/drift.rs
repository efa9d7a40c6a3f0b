//! Drift between the compiled-in inventory and fresh metadata, judged on the upstream facts
//! themselves so an override cannot hide a change: each upstream change names the overrides
//! over it, an override whose target is gone or that now equals upstream is a finding, and
//! a change to prose alone (descriptions, examples) is no API change.

use crate::diff::{Change, diff};
use crate::inventory::Inventory;
use crate::markdown::node_facts;
use crate::normalize::{NormalizeError, PTS_API_DOCS_URL, normalize_bytes};
use crate::overrides::{self, Override, OverrideError, find_shape};
use std::fmt;

/// One change of the upstream facts, with what each override over it says instead.
#[derive(Debug, Clone, PartialEq)]
pub struct UpstreamChange {
    pub change: Change,
    /// (override id, the facts the override gives the target now)
    pub overridden_by: Vec<(String, String)>,
}

impl fmt::Display for UpstreamChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.change)?;
        for (id, says) in &self.overridden_by {
            write!(f, " [override {id} says {says}]")?;
        }
        Ok(())
    }
}

/// An override that no longer fits the metadata.
#[derive(Debug)]
pub enum Finding {
    /// Its target (or the shape it refers to) is gone, or its patch no longer fits.
    Broken(OverrideError),
    /// Upstream now says what the override says: the override can go.
    Redundant { id: String, target: String },
}

impl Finding {
    pub fn override_id(&self) -> &str {
        match self {
            Finding::Broken(
                OverrideError::NotFound { id, .. }
                | OverrideError::Patch { id, .. }
                | OverrideError::StyleOnField { id, .. },
            )
            | Finding::Redundant { id, .. } => id,
            Finding::Broken(OverrideError::Parse(_)) => "",
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Broken(e) => write!(f, "! {e}"),
            Finding::Redundant { id, target } => {
                write!(f, "! override {id} is redundant: upstream {target} now says the same")
            }
        }
    }
}

#[derive(Debug)]
pub struct Drift {
    /// The fresh metadata with the overrides that still fit.
    pub live: Inventory,
    /// Changes of the upstream facts (before any override), sorted.
    pub upstream: Vec<UpstreamChange>,
    /// Overrides that are broken or redundant, in file order.
    pub findings: Vec<Finding>,
    /// Changes after overrides: what a regeneration would change, sorted.
    pub changes: Vec<Change>,
    /// The metadata's bytes changed but none of its facts did.
    pub prose_only: bool,
}

impl Drift {
    pub fn is_drift(&self) -> bool {
        !self.upstream.is_empty() || !self.findings.is_empty() || !self.changes.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    #[error(transparent)]
    Normalize(#[from] NormalizeError),
    #[error("the compiled-in inventory cannot be traced back to upstream: {0}")]
    Committed(OverrideError),
}

/// Compares raw metadata with a committed inventory (which records, per override, the
/// upstream facts it replaced) under the given overrides.
pub fn check(
    committed: &Inventory,
    raw: &[u8],
    overrides: &[Override],
) -> Result<Drift, DriftError> {
    let upstream_now = normalize_bytes(raw, PTS_API_DOCS_URL)?;
    let mut upstream_then = committed.clone();
    overrides::unapply_all(&mut upstream_then).map_err(DriftError::Committed)?;

    let mut live = upstream_now.clone();
    let outcomes = overrides::apply_each(&mut live, overrides);
    let findings: Vec<Finding> = overrides
        .iter()
        .zip(outcomes)
        .filter_map(|(o, outcome)| match outcome {
            Ok(false) => None,
            Ok(true) => Some(Finding::Redundant { id: o.id.clone(), target: o.target.clone() }),
            Err(e) => Some(Finding::Broken(e)),
        })
        .collect();

    let upstream: Vec<UpstreamChange> = diff(&upstream_then, &upstream_now)
        .into_iter()
        .map(|change| {
            let overridden_by = overrides
                .iter()
                .filter(|o| covers(&o.target, change_path(&change)))
                .filter_map(|o| {
                    let mut says = find_shape(&live, &o.target)?.clone();
                    says.overrides.clear();
                    Some((o.id.clone(), node_facts(&says)))
                })
                .collect();
            UpstreamChange { change, overridden_by }
        })
        .collect();
    let changes = diff(committed, &live);
    let prose_only = committed.source.sha256 != live.source.sha256
        && upstream.is_empty()
        && findings.is_empty()
        && changes.is_empty();
    Ok(Drift { live, upstream, findings, changes, prose_only })
}

fn change_path(c: &Change) -> &str {
    match c {
        Change::AddedOperation(p) | Change::RemovedOperation(p) | Change::Added(p) => p,
        Change::Removed(p) | Change::Changed { path: p, .. } => p,
    }
}

/// Whether a change at `path` lies at or under an override's `target`.
fn covers(target: &str, path: &str) -> bool {
    path.strip_prefix(target)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[', '{']))
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn an_override_covers_its_target_and_below_only() {
        assert!(covers("Op.request.Page", "Op.request.Page"));
        assert!(covers("Op.response.List", "Op.response.List[].Id"));
        assert!(!covers("Op.request.Page", "Op.request.PageSize"));
        assert!(!covers("Op.request.Page.Size", "Op.request.Page"));
    }
}
