//! Reviewed fixes to the metadata, applied to the inventory before code generation.
//!
//! Each entry in `codegen/overrides.json` names a target path, says why, and patches the
//! shape found there. Applied overrides are listed in the inventory with the upstream facts
//! they replaced, and every changed node records the override id, so reviewers see them in
//! the inventory diff and drift checks can compare the upstream facts themselves.
//!
//! Target paths: `Op.request.Param(.Field | [] | {})*` or `Op.response(.Field | [] | {})*`,
//! where `[]` steps into list items and `{}` into map values.

use crate::inventory::{AppliedOverride, Inventory, Shape, Style};
use serde::Deserialize;
use serde_json::Value;

/// The committed overrides file (it lives beside the code generator, which owns the
/// review of it), compiled in so regen, check and `pts meta check` use the same copy.
pub const OVERRIDES_JSON: &str = include_str!("../../codegen/overrides.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub id: String,
    pub target: String,
    pub why: String,
    #[serde(default)]
    pub style: Option<Style>,
    #[serde(default)]
    pub patch: Option<Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum OverrideError {
    #[error("overrides.json is invalid: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("override {id}: target {target} not found in the metadata ({why})")]
    NotFound { id: String, target: String, why: &'static str },
    #[error("override {id}: patch does not fit the inventory shape: {err}")]
    Patch { id: String, err: serde_json::Error },
    #[error("override {id}: `style` applies to a parameter, not to {target}")]
    StyleOnField { id: String, target: String },
}

pub fn committed() -> Result<Vec<Override>, OverrideError> {
    Ok(serde_json::from_str(OVERRIDES_JSON)?)
}

/// Applies every override, in file order, and records each in `inv.overrides` with the
/// upstream facts it replaced; the first one that does not fit is an error.
pub fn apply_all(inv: &mut Inventory, overrides: &[Override]) -> Result<(), OverrideError> {
    apply_each(inv, overrides).into_iter().find_map(Result::err).map_or(Ok(()), Err)
}

/// What applying one override did: `true` when it changed nothing (upstream now says the
/// same), or why it could not be applied. Overrides that fit are applied and recorded;
/// those that do not are skipped, so one stale override does not hide the others.
pub type Outcome = Result<bool, OverrideError>;

/// Applies each override that fits, in file order, and reports one outcome per override.
pub fn apply_each(inv: &mut Inventory, overrides: &[Override]) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = overrides
        .iter()
        .map(|o| {
            let (upstream, upstream_style) = apply(inv, o)?;
            let (style, after) = locate(inv, &o.target).expect("just applied");
            let mut after = after.clone();
            after.overrides.retain(|id| *id != o.id);
            let redundant = after == upstream && upstream_style.is_none_or(|s| Some(s) == style);
            inv.overrides.push(AppliedOverride {
                id: o.id.clone(),
                target: o.target.clone(),
                why: o.why.clone(),
                upstream_style,
                upstream,
            });
            Ok(redundant)
        })
        .collect();
    // A shape_ref or same_as must point at something that exists.
    for (o, outcome) in overrides.iter().zip(&mut outcomes) {
        for (key, why) in
            [("shape_ref", "shape_ref target missing"), ("same_as", "same_as target missing")]
        {
            let target = o.patch.as_ref().and_then(|p| p.get(key)).and_then(Value::as_str);
            if outcome.is_ok() && target.is_some_and(|r| find_shape(inv, r).is_none()) {
                *outcome = Err(not_found(o, why));
            }
        }
    }
    outcomes
}

/// Undoes the recorded overrides (last applied first), restoring the upstream facts.
pub fn unapply_all(inv: &mut Inventory) -> Result<(), OverrideError> {
    let applied = std::mem::take(&mut inv.overrides);
    for o in applied.iter().rev() {
        let gone =
            |why| OverrideError::NotFound { id: o.id.clone(), target: o.target.clone(), why };
        let (style, shape) = locate_mut(inv, &o.target).map_err(gone)?;
        *shape = o.upstream.clone();
        if let Some(s) = o.upstream_style {
            *style.ok_or_else(|| gone("style on a field"))? = s;
        }
    }
    Ok(())
}

fn not_found(o: &Override, why: &'static str) -> OverrideError {
    OverrideError::NotFound { id: o.id.clone(), target: o.target.clone(), why }
}

/// Patches the target; returns its upstream shape and, when the override sets a style,
/// the parameter's upstream style.
fn apply(inv: &mut Inventory, o: &Override) -> Result<(Shape, Option<Style>), OverrideError> {
    let (style, shape) = locate_mut(inv, &o.target).map_err(|why| not_found(o, why))?;
    let upstream = shape.clone();
    let mut upstream_style = None;
    if let Some(new) = o.style {
        let style = style.ok_or_else(|| OverrideError::StyleOnField {
            id: o.id.clone(),
            target: o.target.clone(),
        })?;
        upstream_style = Some(*style);
        *style = new;
    }
    if let Some(patch) = &o.patch {
        let mut current = serde_json::to_value(&*shape).expect("shape serializes");
        merge(&mut current, patch);
        *shape = serde_json::from_value(current)
            .map_err(|err| OverrideError::Patch { id: o.id.clone(), err })?;
    }
    shape.overrides.push(o.id.clone());
    Ok((upstream, upstream_style))
}

/// The shape at a target path, with the parameter's style when the path is a parameter.
fn locate_mut<'i>(
    inv: &'i mut Inventory,
    target: &str,
) -> Result<(Option<&'i mut Style>, &'i mut Shape), &'static str> {
    let (op_name, side, rest) = split_target(target).ok_or("bad path")?;
    let op = inv.operations.iter_mut().find(|op| op.name == op_name).ok_or("no such operation")?;
    match side {
        "request" => {
            let (param_name, steps) = first_step(rest);
            let param = op
                .parameters
                .iter_mut()
                .find(|p| p.name == param_name)
                .ok_or("no such parameter")?;
            let style = steps.is_empty().then_some(&mut param.style);
            let shape = walk_mut(&mut param.schema, &steps).ok_or("no such field")?;
            Ok((style, shape))
        }
        "response" => {
            let steps = if rest.is_empty() { Vec::new() } else { steps_of(rest) };
            Ok((None, walk_mut(&mut op.response, &steps).ok_or("no such field")?))
        }
        _ => Err("side must be request or response"),
    }
}

/// Read-only [`locate_mut`].
fn locate<'i>(inv: &'i Inventory, target: &str) -> Option<(Option<Style>, &'i Shape)> {
    let (op_name, side, rest) = split_target(target)?;
    let style = match side {
        "request" => {
            let (param, steps) = first_step(rest);
            steps.is_empty().then(|| inv.operation(op_name)?.parameter(param).map(|p| p.style))
        }
        _ => None,
    };
    Some((style.flatten(), find_shape(inv, target)?))
}

/// `Op.side.rest` -> (Op, side, rest); rest may be empty for the response root.
fn split_target(t: &str) -> Option<(&str, &str, &str)> {
    let mut it = t.splitn(3, '.');
    let op = it.next()?;
    let side = it.next()?;
    Some((op, side, it.next().unwrap_or("")))
}

#[derive(Debug, Clone, PartialEq)]
enum Step<'a> {
    Field(&'a str),
    Items,
    Values,
}

fn steps_of(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for seg in path.split('.') {
        let mut name = seg;
        let mut suffix = Vec::new();
        loop {
            if let Some(n) = name.strip_suffix("[]") {
                suffix.push(Step::Items);
                name = n;
            } else if let Some(n) = name.strip_suffix("{}") {
                suffix.push(Step::Values);
                name = n;
            } else {
                break;
            }
        }
        if !name.is_empty() {
            out.push(Step::Field(name));
        }
        out.extend(suffix.into_iter().rev());
    }
    out
}

/// Splits the parameter name off a request path: `Scene.LoadConfig` -> (`Scene`, [LoadConfig]).
fn first_step(rest: &str) -> (&str, Vec<Step<'_>>) {
    let steps = steps_of(rest);
    match steps.first() {
        Some(Step::Field(name)) => (name, steps[1..].to_vec()),
        _ => ("", steps),
    }
}

fn walk_mut<'s>(mut shape: &'s mut Shape, steps: &[Step<'_>]) -> Option<&'s mut Shape> {
    for step in steps {
        shape = match step {
            Step::Field(n) => shape.properties.get_mut(*n)?,
            Step::Items => shape.items.as_deref_mut()?,
            Step::Values => shape.map_values.as_deref_mut()?,
        };
    }
    Some(shape)
}

fn walk<'s>(mut shape: &'s Shape, steps: &[Step<'_>]) -> Option<&'s Shape> {
    for step in steps {
        shape = match step {
            Step::Field(n) => shape.properties.get(*n)?,
            Step::Items => shape.items.as_deref()?,
            Step::Values => shape.map_values.as_deref()?,
        };
    }
    Some(shape)
}

/// Resolves a `Op.request.Param...` or `Op.response...` path to its shape.
pub fn find_shape<'i>(inv: &'i Inventory, target: &str) -> Option<&'i Shape> {
    let (op_name, side, rest) = split_target(target)?;
    let op = inv.operation(op_name)?;
    match side {
        "request" => {
            let (param, steps) = first_step(rest);
            walk(&op.parameter(param)?.schema, &steps)
        }
        "response" => walk(&op.response, &steps_of(rest)),
        _ => None,
    }
}

/// JSON merge: objects merge key by key, anything else replaces.
fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, p) => *b = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_parse_items_and_values() {
        assert_eq!(
            steps_of("A.B[].C{}"),
            vec![Step::Field("A"), Step::Field("B"), Step::Items, Step::Field("C"), Step::Values]
        );
        assert_eq!(steps_of("List[]"), vec![Step::Field("List"), Step::Items]);
    }

    #[test]
    fn merge_is_deep() {
        let mut base = serde_json::json!({"a": {"x": 1, "y": 2}, "b": 1});
        merge(&mut base, &serde_json::json!({"a": {"y": 3}, "c": true}));
        assert_eq!(base, serde_json::json!({"a": {"x": 1, "y": 3}, "b": 1, "c": true}));
    }
}
