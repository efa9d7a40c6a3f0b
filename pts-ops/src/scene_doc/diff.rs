//! A line diff of two JSON documents by field path: `+ path: value` (added), `- path:
//! value` (removed), `~ path: old -> new` (changed). Lists compare by position, so a
//! reordered chain shows as changes, which it is for PTS.
//!
//! Values are compared as they are but shown redacted (the one redaction step, on each
//! document), so a changed token shows as a change without showing the token.

use pts_api::__private::redact::{REDACTED, redact_json};
use serde_json::Value;
use std::collections::BTreeMap;

pub fn diff(old: &Value, new: &Value) -> Vec<String> {
    let (a, shown_a) = flat_pair(old);
    let (b, shown_b) = flat_pair(new);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort_by_key(|k| natural(k));
    keys.dedup();
    // A value under a redacted parent (a secret key holding an object) has no shown form.
    let hidden = Value::String(REDACTED.into()).to_string();
    let show = |m: &BTreeMap<String, String>, k: &String| m.get(k).unwrap_or(&hidden).clone();
    let mut out = Vec::new();
    for k in keys {
        match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x != y => {
                out.push(format!("~ {k}: {} -> {}", show(&shown_a, k), show(&shown_b, k)))
            }
            (Some(_), None) => out.push(format!("- {k}: {}", show(&shown_a, k))),
            (None, Some(_)) => out.push(format!("+ {k}: {}", show(&shown_b, k))),
            _ => {}
        }
    }
    out
}

/// The flattened document and its flattened redacted copy.
fn flat_pair(v: &Value) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let (mut raw, mut shown) = (BTreeMap::new(), BTreeMap::new());
    flatten(v, String::new(), &mut raw);
    let mut redacted = v.clone();
    redact_json(&mut redacted);
    flatten(&redacted, String::new(), &mut shown);
    (raw, shown)
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

    #[test]
    fn secrets_change_but_never_show() {
        let h = |v: &str| {
            json!({"HeaderList": [{"HeaderName": "Authorization", "HeaderValue": v}],
                                 "Password": {"inner": v}})
        };
        let d = diff(&h("Bearer old-1"), &h("Bearer new-2"));
        assert_eq!(d.len(), 2, "{d:?}");
        let text = d.join("\n");
        assert!(!text.contains("old-1") && !text.contains("new-2"), "{text}");
        assert!(text.contains("HeaderList[0].HeaderValue: \"<redacted>\" -> \"<redacted>\""));
        let gone = diff(&h("Bearer old-1"), &json!({}));
        assert!(gone.iter().all(|l| !l.contains("old-1")), "{gone:?}");
    }
}
