//! The keys a PTS scene may hold, as the metadata of SavePtsScene's `Scene` lists them: used to
//! strip what no request carries when a scene the service returned is exported or compared.

use pts_api::meta::FieldMeta;
use serde_json::Value;

/// The fields of SavePtsScene's `Scene`.
fn scene_fields() -> &'static [FieldMeta] {
    let op = pts_api::operation_meta("SavePtsScene").expect("SavePtsScene exists");
    op.param("Scene").expect("SavePtsScene takes a Scene").shape.fields
}

/// Removes keys no request shape knows, at every depth (for exports of what the service
/// returned).
pub fn strip_unknown(v: &mut Value) {
    strip(v, scene_fields());
}

fn strip(v: &mut Value, fields: &'static [FieldMeta]) {
    let Some(obj) = v.as_object_mut() else { return };
    obj.retain(|k, _| fields.iter().any(|f| f.name == k));
    for (key, value) in obj.iter_mut() {
        let Some(f) = fields.iter().find(|f| f.name == key) else { continue };
        match (value, f.shape.items) {
            (Value::Array(items), Some(item)) => {
                items.iter_mut().for_each(|x| strip(x, item.fields));
            }
            (value, _) if !f.shape.fields.is_empty() => strip(value, f.shape.fields),
            _ => {}
        }
    }
}

/// Fills every required field that is missing, at every depth, with an empty value of its
/// type, so an answer that leaves some out (a scene PTS returned) still reads as a scene.
pub fn fill_required(v: &mut Value) {
    fill(v, scene_fields());
}

fn fill(v: &mut Value, fields: &'static [FieldMeta]) {
    use pts_api::meta::ValueType;
    let Some(obj) = v.as_object_mut() else { return };
    for f in fields {
        if f.shape.required && obj.get(f.name).is_none_or(Value::is_null) {
            let empty = match f.shape.ty {
                ValueType::String => Value::String(String::new()),
                ValueType::Int32 | ValueType::Int64 | ValueType::Float => Value::from(0),
                ValueType::Boolean => Value::Bool(false),
                ValueType::Array => Value::Array(Vec::new()),
                _ => Value::Object(serde_json::Map::new()),
            };
            obj.insert(f.name.to_string(), empty);
        }
        match (obj.get_mut(f.name), f.shape.items) {
            (Some(Value::Array(items)), Some(item)) => {
                items.iter_mut().for_each(|x| fill(x, item.fields));
            }
            (Some(value), _) if !f.shape.fields.is_empty() => fill(value, f.shape.fields),
            _ => {}
        }
    }
}
