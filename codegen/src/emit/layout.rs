//! Line layout prettyplease leaves to us: blank lines between items, and the field lists
//! of `crate::json::object!` and `request!`, which it wraps as plain tokens.

/// The formatted file, laid out.
pub fn lay_out(src: &str) -> String {
    space_items(&object_lists(src))
}

/// The macros that take a struct's field list.
const LISTS: [&str; 2] = ["crate::json::object!(", "crate::json::request!("];

/// Each field-list call as one `field: "Wire",` line per field (`field: "Wire" required,`).
fn object_lists(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some((start, call)) =
        LISTS.iter().filter_map(|m| Some((rest.find(m)?, *m))).min_by_key(|(at, _)| *at)
    {
        let end = start + rest[start..].find(");").expect("a field-list call ends with `);`");
        out.push_str(&rest[..start]);
        let body = rest[start + call.len()..end].split_whitespace().collect::<Vec<_>>().join(" ");
        let (name, body) = body.split_once(" {").expect("the call names its type, then `{`");
        let body = body.strip_suffix('}').expect("the field list ends with `}`");
        out.push_str(&format!("{call}{name} {{\n"));
        for field in body.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            out.push_str(&format!("    {},\n", field.replace(" : ", ": ")));
        }
        out.push_str("});");
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Puts a blank line before each top-level item (prettyplease packs them together).
fn space_items(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + src.len() / 16);
    let mut prev = "";
    for line in src.lines() {
        let starts_item = !line.starts_with([' ', '}', ')', ']']) && !line.is_empty();
        let imports = prev.starts_with("use ") && line.starts_with("use ");
        let prev_continues =
            prev.is_empty() || prev.starts_with("#[") || prev.starts_with("//") || imports;
        if starts_item && !prev_continues {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}
