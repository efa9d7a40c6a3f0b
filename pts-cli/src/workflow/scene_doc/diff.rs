//! A line diff of two JSON documents by field path: `+ path: value` (added), `- path:
//! value` (removed), `~ path: old -> new` (changed). Lists compare by position, so a
//! reordered chain shows as changes, which it is for PTS.

use serde_json::Value;
use std::collections::BTreeMap;

pub fn diff(old: &Value, new: &Value) -> Vec<String> {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten(old, String::new(), &mut a);
    flatten(new, String::new(), &mut b);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort_by_key(|k| natural(k));
    keys.dedup();
    let mut out = Vec::new();
    for k in keys {
        match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x != y => out.push(format!("~ {k}: {x} -> {y}")),
            (Some(x), None) => out.push(format!("- {k}: {x}")),
            (None, Some(y)) => out.push(format!("+ {k}: {y}")),
            _ => {}
        }
    }
    out
}

fn flatten(v: &Value, path: String, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                flatten(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(x, format!("{path}[{i}]"), out);
            }
        }
        other => {
            out.insert(path, other.to_string());
        }
    }
}

/// Sort key that orders `[10]` after `[9]`.
fn natural(s: &str) -> Vec<(String, u64)> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
        } else {
            if !num.is_empty() {
                parts.push((std::mem::take(&mut text), num.parse().unwrap_or(0)));
                num.clear();
            }
            text.push(c);
        }
    }
    parts.push((text, num.parse().unwrap_or(0)));
    parts
}

#[cfg(test)]
mod tests {
    use super::diff;
    use serde_json::json;

    #[test]
    fn changes_additions_removals() {
        let a = json!({"A": 1, "L": [{"x": "p"}], "R": true});
        let b = json!({"A": 2, "L": [{"x": "p"}, {"x": "q"}]});
        assert_eq!(diff(&a, &b), ["~ A: 1 -> 2", "+ L[1].x: \"q\"", "- R: true"]);
        assert!(diff(&a, &a).is_empty());
    }
}
