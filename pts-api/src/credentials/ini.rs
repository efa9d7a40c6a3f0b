//! A tiny INI parser for the Alibaba Cloud credentials file.
//!
//! `[section]` headers; `key = value` lines; whole-line comments start with `#` or `;`;
//! in a value everything after `#` is dropped and the rest trimmed. Keys are trimmed and
//! case-sensitive. A repeated section is merged, later keys winning. Lines before the first
//! section are ignored. `Debug` shows section and key names only, never values.

use std::collections::BTreeMap;
use std::fmt;

/// One `[section]`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct IniSection {
    entries: BTreeMap<String, String>,
}

impl IniSection {
    /// The value of `key`, `None` when absent or empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

impl fmt::Debug for IniSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.entries.keys()).finish()
    }
}

/// A parsed INI document.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct IniFile {
    sections: BTreeMap<String, IniSection>,
}

impl IniFile {
    /// Parses `text`; an error names the 1-based line that is neither a section, a key/value
    /// pair, a comment nor blank.
    pub fn parse(text: &str) -> Result<IniFile, String> {
        let mut file = IniFile::default();
        let mut current: Option<String> = None;
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let Some(name) = rest.split('#').next().and_then(|r| r.trim().strip_suffix(']'))
                else {
                    return Err(format!("line {}: unterminated section header", index + 1));
                };
                let name = name.trim().to_owned();
                file.sections.entry(name.clone()).or_default();
                current = Some(name);
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(format!("line {}: expected `key = value`", index + 1));
            };
            let Some(section) = current.as_ref() else {
                continue;
            };
            let value = value.split('#').next().unwrap_or("").trim();
            if let Some(s) = file.sections.get_mut(section) {
                s.entries.insert(key.trim().to_owned(), value.to_owned());
            }
        }
        Ok(file)
    }

    pub fn section(&self, name: &str) -> Option<&IniSection> {
        self.sections.get(name)
    }

    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.keys().map(String::as_str)
    }
}

impl fmt::Debug for IniFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.sections.iter()).finish()
    }
}
