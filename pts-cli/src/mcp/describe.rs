//! The one-line description of each operation tool (ours, from the generated metadata: the
//! metadata's prose is long, Chinese-first and sometimes wrong), and its annotations.

use pts_api::meta::OperationMeta;
use rmcp::model::ToolAnnotations;

/// The operation's one-line purpose, in our words (codegen reads them from
/// `codegen/purposes.json` into the generated metadata); `None` for an unknown operation
/// or one without a written purpose (a test keeps them complete).
pub fn one_line(op: &str) -> Option<&'static str> {
    pts_api::operation_meta(op)?.purpose
}

/// True for operations that delete something.
pub fn deletes(op: &str) -> bool {
    op.starts_with("Delete") || op.starts_with("Remove")
}

/// Read-only operations are marked so; mutating ones not, and destructive when they delete
/// or stop a run.
pub fn annotations(op: &OperationMeta) -> ToolAnnotations {
    let a = ToolAnnotations::with_title(op.name).open_world(true);
    if op.is_mutating() {
        let destructive = deletes(op.name) || op.name.starts_with("Stop");
        a.read_only(false).destructive(destructive).idempotent(false)
    } else {
        a.read_only(true)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_has_one_line() {
        for op in pts_api::OPERATIONS {
            let d = super::one_line(op.name).unwrap_or_else(|| panic!("{} undescribed", op.name));
            assert!(!d.contains('\n') && d.len() < 120, "{}", op.name);
        }
    }
}
