//! Compiled `pattern` constraints, cached per pattern text.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// True when `s` matches `pattern`. An invalid pattern (a metadata error) matches anything
/// rather than blocking every call; the codegen tests compile every pattern up front.
pub fn matches(pattern: &'static str, s: &str) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex_lite::Regex>>>> =
        OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    let re = cache.entry(pattern).or_insert_with(|| regex_lite::Regex::new(pattern).ok());
    re.as_ref().is_none_or(|r| r.is_match(s))
}

/// Whether a pattern compiles (used by tests over all generated patterns).
pub fn is_valid(pattern: &str) -> bool {
    regex_lite::Regex::new(pattern).is_ok()
}
