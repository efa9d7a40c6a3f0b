//! Id checks before anything is sent: PTS ids are short upper-case alphanumerics (observed
//! 6-8 characters); anything with other characters is refused, naming the flag.

use crate::exit::{CliError, CliResult};

/// `value` of `flag` (e.g. `--scene`) must be 1-64 ASCII letters or digits.
pub fn check_id(flag: &str, value: &str) -> CliResult<()> {
    let ok =
        !value.is_empty() && value.len() <= 64 && value.chars().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(CliError::usage(format!(
            "{flag} {value:?}: an id must be 1-64 letters or digits (PTS ids look like NHBG6V)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::check_id;

    #[test]
    fn ids() {
        assert!(check_id("--scene", "NHBG6V").is_ok());
        assert!(check_id("--scene", "AB12CD34").is_ok());
        for bad in ["", "AB;rm", "a b", "../x", &"A".repeat(65)] {
            let e = check_id("--plan", bad).unwrap_err();
            assert_eq!(e.code, crate::exit::ExitCode::Usage);
            assert!(e.message.starts_with("--plan"), "{}", e.message);
        }
    }
}
