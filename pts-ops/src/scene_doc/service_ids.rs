//! Ids the service gives the parts of a scene (`RelationId`, `ApiId`, `FileId`). A scene file
//! need not carry them: when it leaves one out, the stored value is no difference.

use serde_json::Value;

/// Keys whose values the service assigns on save.
const SERVICE_IDS: &[&str] = &["RelationId", "ApiId", "FileId"];

/// `stored` without the service-assigned ids that `file` leaves out at the same place
/// (objects by key, lists by position), so comparing the two shows only what the file says.
pub fn without_ids_the_file_omits(stored: &Value, file: &Value) -> Value {
    let mut out = stored.clone();
    strip(&mut out, file);
    out
}

fn strip(stored: &mut Value, file: &Value) {
    match (stored, file) {
        (Value::Object(s), Value::Object(f)) => {
            s.retain(|k, _| !SERVICE_IDS.contains(&k.as_str()) || f.contains_key(k));
            for (k, v) in s.iter_mut() {
                if let Some(fv) = f.get(k) {
                    strip(v, fv);
                }
            }
        }
        (Value::Array(s), Value::Array(f)) => {
            for (sv, fv) in s.iter_mut().zip(f) {
                strip(sv, fv);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_ids_the_file_leaves_out_are_ignored() {
        let stored = json!({"SceneId": "S", "RelationList": [
            {"RelationId": "R1", "ApiList": [{"ApiId": "A1", "ApiName": "a"}]}]});
        let file = json!({"SceneId": "S", "RelationList": [
            {"RelationId": "R1", "ApiList": [{"ApiName": "a"}]}]});
        let seen = without_ids_the_file_omits(&stored, &file);
        assert_eq!(
            seen,
            json!({"SceneId": "S", "RelationList": [
            {"RelationId": "R1", "ApiList": [{"ApiName": "a"}]}]})
        );
    }
}
