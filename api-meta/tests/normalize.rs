//! The normalizer keeps facts and drops prose; the raw model tolerates the format's quirks.

use api_meta::inventory::{Access, Location, Style, Type};
use api_meta::normalize::normalize_bytes;

const DOC: &str = r#"{
  "version": "1.0", "futureKey": {"anything": true},
  "info": {"style": "RPC", "product": "PTS", "version": "2020-10-20"},
  "endpoints": [{"regionId": "cn-b", "endpoint": "pts.aliyuncs.com"}, {"regionId": "cn-a", "endpoint": "pts.aliyuncs.com"}],
  "apis": {
    "ZetaList": {
      "operationType": "read", "methods": ["post", "get"], "schemes": ["https"],
      "security": [{"AK": []}], "title": "prose title", "summary": "prose summary",
      "parameters": [
        {"name": "PageSize", "in": "query", "schema": {"type": "integer", "format": "int32", "required": true, "minimum": "10", "maximum": "1000", "description": "secret prose", "example": "10"}},
        {"name": "PageNumber", "in": "query", "schema": {"type": "integer", "format": "int32", "required": true, "minimum": 1, "maximum": "9223372036854775807"}},
        {"name": "Filter", "in": "query", "style": "json", "schema": {"type": "object", "properties": {"Label": {"type": "string", "pattern": "^[A-Z]+$", "maxLength": "32", "enum": ["A", "B"]}}}}
      ],
      "responses": {"200": {"schema": {"type": "object", "properties": {
        "Items": {"type": "array", "items": {"type": "object", "properties": {"Id": {"type": "string", "description": "x"}}}},
        "TotalCount": {"type": "integer", "format": "int64"},
        "Extra": {"type": "object"},
        "Names": {"type": "object", "additionalProperties": {"type": "string"}}
      }}}},
      "errorCodes": {"400": [{"errorCode": "Bad", "errorMessage": "prose message"}]},
      "responseDemo": "[]"
    },
    "AlphaSave": {"operationType": "readAndWrite", "parameters": [{"name": "Body", "in": "formData", "schema": {"type": "string"}}]}
  }
}"#;

#[test]
fn facts_are_kept_sorted_and_typed() {
    let inv = normalize_bytes(DOC.as_bytes(), "https://example.invalid/api-docs.json").unwrap();
    assert_eq!((inv.product.as_str(), inv.version.as_str()), ("PTS", "2020-10-20"));
    assert_eq!(inv.source.sha256.len(), 64);
    let names: Vec<&str> = inv.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["AlphaSave", "ZetaList"]);
    assert_eq!(inv.endpoints.keys().collect::<Vec<_>>(), ["cn-a", "cn-b"]);
    let alpha = &inv.operations[0];
    assert!(alpha.access.is_mutating() && alpha.access == Access::ReadAndWrite);
    assert_eq!(alpha.parameters[0].location, Location::FormData);
    let op = inv.operation("ZetaList").unwrap();
    assert_eq!(op.methods, ["get", "post"]);
    let params: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(params, ["Filter", "PageNumber", "PageSize"]);
    let size = op.parameter("PageSize").unwrap();
    assert!(size.schema.required);
    assert_eq!(size.schema.constraints.minimum.as_ref().unwrap().as_i64(), Some(10));
    let number = op.parameter("PageNumber").unwrap();
    assert_eq!(number.schema.constraints.maximum.as_ref().unwrap().as_i64(), Some(i64::MAX));
    let filter = op.parameter("Filter").unwrap();
    assert_eq!(filter.style, Style::Json);
    let label = &filter.schema.properties["Label"];
    assert_eq!(label.constraints.max_length, Some(32));
    assert_eq!(label.constraints.pattern.as_deref(), Some("^[A-Z]+$"));
    assert_eq!(label.constraints.enum_values.len(), 2);
    let paging = op.paging.as_ref().unwrap();
    assert_eq!(
        (paging.items.as_str(), paging.total_count.as_deref()),
        ("Items", Some("TotalCount"))
    );
    assert_eq!(op.response.properties["Extra"].ty, Some(Type::Any));
    assert!(op.response.properties["Names"].map_values.is_some());
    assert_eq!(op.error_codes[0].code, "Bad");
}

#[test]
fn no_prose_reaches_the_inventory() {
    let inv = normalize_bytes(DOC.as_bytes(), "u").unwrap();
    let json = inv.to_json();
    for prose in
        ["secret prose", "prose title", "prose summary", "prose message", "description", "example"]
    {
        assert!(!json.contains(prose), "{prose:?} leaked into the inventory");
    }
}

#[test]
fn the_committed_inventory_is_facts_only_and_stable() {
    let text = api_meta::snapshot::COMMITTED_INVENTORY_JSON;
    assert!(!text.contains("\"description\"") && !text.contains("\"example\""));
    // Descriptions in this metadata are Chinese prose: no CJK character may be committed.
    assert!(!text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "prose in inventory");
    let inv = api_meta::snapshot::committed_inventory();
    assert_eq!(inv.operations.len(), 44);
    assert_eq!(inv.to_json(), text, "inventory JSON is not in canonical form");
    let md =
        std::fs::read_to_string(api_meta::snapshot::inventory_dir().join("INVENTORY.md")).unwrap();
    assert!(md.contains("API count: 44."));
    assert!(!md.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "prose in INVENTORY.md");
}

#[test]
fn a_bad_bound_is_a_clear_error() {
    let doc = DOC.replace("\"maxLength\": \"32\"", "\"maxLength\": \"-3\"");
    let e = normalize_bytes(doc.as_bytes(), "u").unwrap_err().to_string();
    assert!(e.contains("ZetaList") && e.contains("maxLength"), "{e}");
    let e = normalize_bytes(b"{\"apis\": 3}", "u").unwrap_err().to_string();
    assert!(e.contains("not valid api-docs JSON"), "{e}");
}

#[test]
fn diff_names_added_removed_and_changed_facts() {
    use api_meta::diff::{Change, diff};
    let old = normalize_bytes(DOC.as_bytes(), "u").unwrap();
    let doc = DOC
        .replace("\"maximum\": \"1000\"", "\"maximum\": \"500\"")
        .replace("\"AlphaSave\"", "\"BetaSave\"")
        .replace("{\"name\": \"PageNumber\"", "{\"name\": \"PageNo\"");
    let new = normalize_bytes(doc.as_bytes(), "u").unwrap();
    let changes = diff(&old, &new);
    let text: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert!(changes.contains(&Change::AddedOperation("BetaSave".into())), "{text:?}");
    assert!(changes.contains(&Change::RemovedOperation("AlphaSave".into())));
    assert!(changes.contains(&Change::Added("ZetaList.request.PageNo".into())));
    assert!(changes.contains(&Change::Removed("ZetaList.request.PageNumber".into())));
    assert!(
        text.iter().any(|t| t.starts_with("~ ZetaList.request.PageSize") && t.contains("<= 500"))
    );
    assert!(diff(&old, &old).is_empty());
}
