//! Result formatting, apart from the commands: JSON (pretty on a terminal or in a file,
//! compact in a pipe), a comfy-table table, or YAML; a JMESPath `--query` first; and
//! `--output-file` (parent directories created).

use crate::args::{GlobalArgs, OutputFormat};
use crate::ordered::Node;
use pts_ops::exit::{CliError, CliResult};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// How a command's result is printed. Build it before anything is sent, so a bad
/// `--query` is a usage error with nothing sent.
pub struct Output {
    format: OutputFormat,
    query: Option<jmespath::Expression<'static>>,
    file: Option<PathBuf>,
}

impl Output {
    pub fn new(g: &GlobalArgs) -> CliResult<Output> {
        let query = match &g.query {
            Some(q) => Some(jmespath::compile(q).map_err(|e| {
                CliError::usage(format!("invalid --query expression: {e}"))
                    .with_hint("JMESPath syntax: https://jmespath.org/specification.html")
            })?),
            None => None,
        };
        Ok(Output {
            format: g.output.unwrap_or(OutputFormat::Json),
            query,
            file: g.output_file.clone(),
        })
    }

    /// For list commands: as [`Output::new`], but with no `--output` a terminal gets a table
    /// (a pipe or a file still gets JSON, for scripts).
    pub fn listing(g: &GlobalArgs) -> CliResult<Output> {
        let mut out = Output::new(g)?;
        let to_terminal = g.output_file.is_none() && std::io::stdout().is_terminal();
        if g.output.is_none() && g.query.is_none() && to_terminal {
            out.format = OutputFormat::Table;
        }
        Ok(out)
    }

    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// Applies `--query`, redacts ([`Node::redacted`]), formats and writes the result to
    /// stdout or `--output-file`.
    /// Object keys keep their serialization order (struct field order).
    pub fn emit<T: Serialize + ?Sized>(&self, value: &T) -> CliResult<()> {
        self.write(self.apply_query(value)?.redacted())
    }

    /// Like [`Output::emit`] without redaction: `pts call` prints the service's answer as
    /// it came.
    pub fn emit_verbatim<T: Serialize + ?Sized>(&self, value: &T) -> CliResult<()> {
        self.write(self.apply_query(value)?)
    }

    fn write(&self, value: Node) -> CliResult<()> {
        let to_terminal = self.file.is_none() && std::io::stdout().is_terminal();
        let text = render(&value, self.format, self.file.is_some() || to_terminal)?;
        match &self.file {
            Some(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| CliError::io("create", dir, &e))?;
                }
                std::fs::write(path, text.as_bytes())
                    .map_err(|e| CliError::io("write", path, &e))?;
                eprintln!("output written to {}", path.display());
                Ok(())
            }
            None => {
                let mut out = std::io::stdout().lock();
                // A closed pipe (`pts ... | head`) is not an error worth reporting.
                let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
                Ok(())
            }
        }
    }

    fn apply_query<T: Serialize + ?Sized>(&self, value: &T) -> CliResult<Node> {
        let not_json =
            |e: serde_json::Error| CliError::usage(format!("cannot format the result: {e}"));
        let Some(expr) = &self.query else {
            return Node::from_serialize(value).map_err(not_json);
        };
        let data = serde_json::to_value(value).map_err(not_json)?;
        let result =
            expr.search(data).map_err(|e| CliError::usage(format!("--query failed: {e}")))?;
        Node::from_serialize(&*result).map_err(not_json)
    }
}

/// The text of `value` in `format`, ending with a newline.
pub fn render(value: &Node, format: OutputFormat, pretty: bool) -> CliResult<String> {
    let mut text = match format {
        OutputFormat::Json if pretty => {
            serde_json::to_string_pretty(value).expect("JSON values serialize")
        }
        OutputFormat::Json => serde_json::to_string(value).expect("JSON values serialize"),
        OutputFormat::Yaml => serde_yaml_ng::to_string(value)
            .map_err(|e| CliError::usage(format!("cannot format as YAML: {e}")))?,
        OutputFormat::Table => crate::table::render(value),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(v: serde_json::Value) -> Node {
        Node::from_serialize(&v).unwrap()
    }

    #[test]
    fn json_pretty_and_compact() {
        let v = node(json!({"a": 1, "b": [1, 2]}));
        assert_eq!(render(&v, OutputFormat::Json, false).unwrap(), "{\"a\":1,\"b\":[1,2]}\n");
        assert!(render(&v, OutputFormat::Json, true).unwrap().contains("\n  \"a\": 1"));
    }

    #[test]
    fn yaml() {
        let v = node(json!({"RequestId": "r", "Items": [{"Id": 1}]}));
        let y = render(&v, OutputFormat::Yaml, false).unwrap();
        assert!(y.contains("RequestId: r"), "{y}");
        assert!(y.contains("- Id: 1"), "{y}");
    }

    #[test]
    fn query() {
        let g = GlobalArgs { query: Some("Items[].Id".into()), ..GlobalArgs::default() };
        let out = Output::new(&g).unwrap();
        let v = json!({"Items": [{"Id": 1}, {"Id": 2}]});
        assert_eq!(out.apply_query(&v).unwrap(), node(json!([1, 2])));
        let bad = GlobalArgs { query: Some("Items[".into()), ..GlobalArgs::default() };
        assert!(Output::new(&bad).is_err());
    }
}
