//! A JSON tree that keeps object keys in their original order.
//!
//! The workspace's `serde_json::Value` sorts keys (no `preserve_order`, which would change
//! key order for every crate in the build). Output goes through [`Node`] so that `pts whoami`
//! or `pts api describe` print their fields in the order they are declared and tables get
//! their columns in that order too.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    /// Any serializable value, keys in serialization order.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Node, serde_json::Error> {
        serde_json::from_str(&serde_json::to_string(value)?)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    /// This tree through the one redaction step ([`pts_api::__private::redact::redact_json`]), keys
    /// kept in their order.
    pub fn redacted(self) -> Node {
        let Ok(mut v) = serde_json::to_value(&self) else { return self };
        let before = v.clone();
        pts_api::__private::redact::redact_json(&mut v);
        if v == before { self } else { self.merge(&v) }
    }

    /// Takes every value of `v` (the same tree, redacted) in this tree's key order.
    fn merge(self, v: &serde_json::Value) -> Node {
        use serde_json::Value;
        match (self, v) {
            (Node::Object(fields), Value::Object(m)) => Node::Object(
                fields
                    .into_iter()
                    .map(|(k, n)| {
                        let n = match m.get(&k) {
                            Some(r) => n.merge(r),
                            None => n,
                        };
                        (k, n)
                    })
                    .collect(),
            ),
            (Node::Array(items), Value::Array(vs)) if items.len() == vs.len() => {
                Node::Array(items.into_iter().zip(vs).map(|(n, r)| n.merge(r)).collect())
            }
            (n, r) => Node::deserialize(r).unwrap_or(n),
        }
    }
}

impl fmt::Display for Node {
    /// Compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Number(n) => n.serialize(s),
            Node::String(v) => s.serialize_str(v),
            Node::Array(items) => s.collect_seq(items),
            Node::Object(fields) => {
                let mut m = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Node::Null, Node::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            fields.push((k, v));
        }
        Ok(Node::Object(fields))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Name/value pairs serialized as a JSON object in their order (headers of a dry run).
pub struct Pairs<'a>(pub &'a [(String, String)]);

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order() {
        let n: Node = serde_json::from_str(r#"{"b":1,"a":[true,null,"x",1.5]}"#).unwrap();
        assert_eq!(n.to_string(), r#"{"b":1,"a":[true,null,"x",1.5]}"#);
        assert_eq!(n.get("b"), Some(&Node::Number(1.into())));
    }
}
