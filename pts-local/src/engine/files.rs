//! File parameters: the [`FileResolver`] the service implements over its file store, and a
//! small RFC 4180 CSV reader.

use std::collections::HashMap;
use std::path::PathBuf;

/// Gives the engine the bytes of a parameter file by its name.
///
/// PTS scenes name files in `FileParameterList[].FileName` (the OSS address is not fetched);
/// JMeter plans name them in `CSVDataSet.filename` (only the last path component is used, so a
/// JMX written on a desktop with `C:\data\users.csv` resolves `users.csv`). Files are read once,
/// when the run starts, and kept in memory for the run.
pub trait FileResolver: Send + Sync {
    /// The whole content of `file_name`, or a human-readable reason why it is unavailable.
    fn read(&self, file_name: &str) -> Result<Vec<u8>, String>;
}

/// A resolver with no files: every lookup fails.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl FileResolver for NoFiles {
    fn read(&self, file_name: &str) -> Result<Vec<u8>, String> {
        Err(format!("no file store is configured (wanted `{file_name}`)"))
    }
}

impl<S: std::hash::BuildHasher + Send + Sync> FileResolver for HashMap<String, Vec<u8>, S> {
    fn read(&self, file_name: &str) -> Result<Vec<u8>, String> {
        self.get(file_name).cloned().ok_or_else(|| "no such file".to_string())
    }
}

/// Files in one directory, looked up by plain file name (no path separators, no `..`).
#[derive(Debug, Clone)]
pub struct DirResolver {
    root: PathBuf,
}

impl DirResolver {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirResolver { root: root.into() }
    }
}

impl FileResolver for DirResolver {
    fn read(&self, file_name: &str) -> Result<Vec<u8>, String> {
        if file_name.is_empty()
            || file_name.contains(['/', '\\'])
            || file_name == ".."
            || file_name == "."
        {
            return Err("file names must be plain names".into());
        }
        std::fs::read(self.root.join(file_name)).map_err(|e| e.to_string())
    }
}

/// The last path component of a JMeter file name (`/a/b.csv`, `C:\a\b.csv` -> `b.csv`).
pub(crate) fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Parses CSV text: `delim`-separated fields, `"` quoting with `""` escapes, LF or CRLF line
/// ends, a UTF-8 BOM skipped, blank lines skipped. Invalid UTF-8 is replaced lossily.
pub(crate) fn parse_csv(data: &[u8], delim: u8) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let delim = delim as char;
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut field_started = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if !field_started => {
                in_quotes = true;
                field_started = true;
            }
            c if c == delim => {
                row.push(std::mem::take(&mut field));
                field_started = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                field_started = false;
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            c => {
                field.push(c);
                field_started = true;
            }
        }
    }
    if field_started || !field.is_empty() || !row.is_empty() {
        row.push(field);
        if !(row.len() == 1 && row[0].is_empty()) {
            rows.push(row);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_lines() {
        let rows = parse_csv(b"\xef\xbb\xbfa,b\r\n\"x,1\",\"he said \"\"hi\"\"\"\n\nlast,", b',');
        assert_eq!(
            rows,
            vec![
                vec!["a".to_string(), "b".into()],
                vec!["x,1".into(), "he said \"hi\"".into()],
                vec!["last".into(), "".into()],
            ]
        );
        assert_eq!(parse_csv(b"a;b\n", b';'), vec![vec!["a".to_string(), "b".into()]]);
        assert_eq!(base_name("C:\\d\\u.csv"), "u.csv");
        assert_eq!(base_name("/x/u.csv"), "u.csv");
    }
}
