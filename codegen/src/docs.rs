//! Doc comments of generated items, from inventory facts and our own purposes only: the
//! metadata's prose (descriptions, examples) never reaches the generated code.

use api_meta::inventory::{KeyCase, Location, Parameter, Shape, Style};
use api_meta::markdown::{constraint_parts, type_name};

/// Where a field travels, in words.
pub fn request_place(p: &Parameter) -> String {
    let place = match p.location {
        Location::Query => "query parameter",
        Location::FormData => "form field",
    };
    match (p.style, p.schema.key_case) {
        (Style::Plain, _) => place.to_string(),
        (Style::Json, _) => format!("{place}, sent as compact JSON"),
        (Style::JsonString, Some(KeyCase::LowerCamel)) => {
            format!("{place}, sent as JSON text with lowerCamel keys")
        }
        (Style::JsonString, _) => format!("{place}, sent as JSON text"),
    }
}

/// One field: wire name, place, type, required or optional, then every rule.
pub fn field(wire: &str, s: &Shape, place: &str) -> String {
    let bare = Shape { shape_ref: None, enum_name: None, ..s.clone() };
    let mut ty = format!("`{}`", type_name(&Shape { properties: Default::default(), ..bare }));
    if let Some(e) = &s.enum_name {
        ty.push_str(&format!(" (value set `{e}`)"));
    }
    if let Some(r) = &s.shape_ref {
        ty.push_str(&format!(" with the shape of `{r}`"));
    }
    let need = if s.required { "required" } else { "optional" };
    let rules = rules(s);
    if rules.is_empty() {
        format!(" Wire name `{wire}`: {place}; {ty}; {need}.")
    } else {
        format!(" Wire name `{wire}`: {place}; {ty}; {need}; rules: {}.", rules.join(", "))
    }
}

/// Each rule as inline code (patterns already are).
fn rules(s: &Shape) -> Vec<String> {
    let mut rules: Vec<String> = constraint_parts(s)
        .into_iter()
        .map(|r| if r.contains('`') { r } else { format!("`{r}`") })
        .collect();
    if s.format.as_deref() == Some("json-text") {
        rules.push("carries JSON text".into());
    }
    rules
}
