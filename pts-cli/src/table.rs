//! `--output table`: a list of objects is one row per item with a column per key; an object
//! is key/value rows, unless it wraps a list of objects (`SceneViewList`), which is shown
//! instead; nested values are compact JSON. Commands with their own columns (scene list,
//! report trend) use [`grid`], so every table pts prints has the same style.

use crate::ordered::Node;
use comfy_table::{Table, presets};

const MAX_CELL: usize = 80;

pub fn render(value: &Node) -> String {
    match value {
        Node::Array(items) => list_table(items),
        Node::Object(fields) => match wrapped_list(fields) {
            Some(items) => list_table(items),
            None => kv_table(fields),
        },
        other => cell(other),
    }
}

/// The first top-level non-empty list of objects, e.g. `SceneViewList` of ListPtsScene.
fn wrapped_list(fields: &[(String, Node)]) -> Option<&Vec<Node>> {
    fields.iter().find_map(|(_, v)| match v {
        Node::Array(items) if !items.is_empty() && items.iter().all(Node::is_object) => Some(items),
        _ => None,
    })
}

/// A table with these column headers and rows of cells: the one style of every table.
pub fn grid<R: Into<Vec<String>>>(header: &[&str], rows: impl IntoIterator<Item = R>) -> String {
    let mut t = new_table();
    t.set_header(header.to_vec());
    for row in rows {
        t.add_row(row.into());
    }
    t.to_string()
}

fn new_table() -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t
}

fn list_table(items: &[Node]) -> String {
    if items.is_empty() {
        return "(no items)".to_string();
    }
    if !items.iter().all(Node::is_object) {
        let mut t = new_table();
        t.set_header(vec!["Value"]);
        for v in items {
            t.add_row(vec![cell(v)]);
        }
        return t.to_string();
    }
    let mut columns: Vec<&str> = Vec::new();
    for item in items {
        if let Node::Object(fields) = item {
            for (k, _) in fields {
                if !columns.contains(&k.as_str()) {
                    columns.push(k);
                }
            }
        }
    }
    let mut t = new_table();
    t.set_header(columns.clone());
    for item in items {
        let row: Vec<String> =
            columns.iter().map(|c| item.get(c).map(cell).unwrap_or_default()).collect();
        t.add_row(row);
    }
    t.to_string()
}

fn kv_table(fields: &[(String, Node)]) -> String {
    let mut t = new_table();
    t.set_header(vec!["Key", "Value"]);
    for (k, v) in fields {
        t.add_row(vec![k.clone(), cell(v)]);
    }
    t.to_string()
}

fn cell(v: &Node) -> String {
    let s = match v {
        Node::Null => String::new(),
        Node::String(s) => s.clone(),
        // Lists of names or rules read better joined than as JSON.
        Node::Array(items) if items.iter().all(|i| matches!(i, Node::String(_))) => items
            .iter()
            .filter_map(|i| match i {
                Node::String(s) => Some(s.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    if s.chars().count() > MAX_CELL {
        let cut: String = s.chars().take(MAX_CELL - 3).collect();
        format!("{cut}...")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(v: serde_json::Value) -> String {
        super::render(&Node::from_serialize(&v).unwrap())
    }

    #[test]
    fn wrapped_list_becomes_rows() {
        let v = json!({"RequestId": "r", "SceneViewList": [
            {"SceneId": "S1", "SceneName": "one", "Status": "Draft"},
            {"SceneId": "S2", "SceneName": "two"}
        ]});
        let t = render(v);
        assert!(t.contains("SceneId") && t.contains("S2") && t.contains("Draft"), "{t}");
        assert!(!t.contains("RequestId"), "{t}");
    }

    #[test]
    fn object_becomes_key_value_rows() {
        let t = render(json!({"RequestId": "r", "Success": true, "Nested": {"a": 1}}));
        assert!(t.contains("RequestId") && t.contains("true") && t.contains("{\"a\":1}"), "{t}");
    }
}
