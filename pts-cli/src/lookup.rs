//! Operations named on the command line, looked up in the metadata compiled into pts-api.

use pts_api::OPERATIONS;
use pts_api::meta::OperationMeta;
use pts_ops::exit::{CliError, CliResult};

/// An operation by name: exact, then ignoring case, else a usage error with "did you mean".
pub fn find_operation(name: &str) -> CliResult<&'static OperationMeta> {
    if let Some(m) = pts_api::operation_meta(name) {
        return Ok(m);
    }
    if let Some(m) = OPERATIONS.iter().find(|m| m.name.eq_ignore_ascii_case(name)) {
        return Ok(m);
    }
    let names: Vec<&str> = OPERATIONS.iter().map(|m| m.name).collect();
    let message = match pts_api::__private::validate::suggest(name, &names) {
        Some(s) => format!("unknown operation {name:?} (did you mean {s}?)"),
        None => format!("unknown operation {name:?}"),
    };
    Err(CliError::usage(message).with_hint("`pts api list` lists every operation"))
}
