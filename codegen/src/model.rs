//! The intermediate model: inventory shapes resolved into Rust types and names.
//! Emitters read only this model (and the inventory nodes it carries for static metadata).

use crate::naming::{item_name, pascal, snake};
use crate::shared;
use api_meta::inventory::{Inventory, Operation, Shape, Style, Type};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    String,
    I32,
    I64,
    F64,
    Bool,
    Value,
    Vec(Box<RustType>),
    Map(Box<RustType>),
    /// A struct of the same module.
    Local(String),
    /// A struct or enum in `generated::shapes::<module>`.
    Shared {
        module: String,
        name: String,
    },
    JsonText(Box<RustType>),
}

#[derive(Debug, Clone)]
pub struct FieldModel {
    pub wire: String,
    pub rust: String,
    pub ty: RustType,
    pub required: bool,
    /// A string (or list of strings) that holds JSON text: a decoder is generated.
    pub json_text: bool,
    /// The field's doc comment: wire name, place, type, required or optional, rules.
    pub doc: String,
}

#[derive(Debug, Clone)]
pub struct StructModel {
    pub name: String,
    pub side: Side,
    pub fields: Vec<FieldModel>,
    /// The struct's doc comment (the inventory path it was first made for).
    pub doc: String,
}

#[derive(Debug, Clone)]
pub struct PagingModel {
    pub page_number: String,
    pub page_size: String,
    pub page_number_required: bool,
    pub page_size_required: bool,
    pub items: String,
    pub item_ty: RustType,
    pub total_count: Option<String>,
}

#[derive(Debug, Clone)]
pub struct OpModel {
    pub wire: String,
    /// Our one-line purpose (`codegen/purposes.json`), if written.
    pub purpose: Option<String>,
    pub module: String,
    pub request: StructModel,
    pub response: StructModel,
    /// Nested structs local to this operation, in first-use order.
    pub structs: Vec<StructModel>,
    pub paging: Option<PagingModel>,
    pub op: Operation,
}

/// A shape other operations point at (`shape_ref`): its structs live in `shapes::<module>`.
#[derive(Debug, Clone)]
pub struct SharedModel {
    pub module: String,
    pub root: String,
    pub target: String,
    pub structs: Vec<StructModel>,
    pub shape: Shape,
}

pub use crate::enums::EnumModel;

/// Response structs several operations share, in one module under `shapes`.
#[derive(Debug, Clone)]
pub struct ResponseShapes {
    pub module: String,
    pub structs: Vec<StructModel>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub ops: Vec<OpModel>,
    pub shared: Vec<SharedModel>,
    pub responses: Vec<ResponseShapes>,
    /// Objects with one name and different structures (see `shared::Variant`).
    pub variants: BTreeMap<String, Vec<shared::Variant>>,
    pub enums: Vec<EnumModel>,
}

/// Names in one Rust module; identical shapes share a struct, different ones get a
/// parent-prefixed name. Response objects of a shared structure point at `shapes`.
struct Scope<'p> {
    side: Side,
    taken: BTreeMap<String, String>,
    structs: Vec<StructModel>,
    refs: BTreeMap<String, (String, String)>,
    shared: Option<(&'p Inventory, &'p shared::Plan)>,
}

impl<'p> Scope<'p> {
    fn new(
        side: Side,
        reserved: &[String],
        refs: &BTreeMap<String, (String, String)>,
        shared: Option<(&'p Inventory, &'p shared::Plan)>,
    ) -> Self {
        let taken = reserved.iter().map(|n| (n.clone(), String::from("\0reserved"))).collect();
        Scope { side, taken, structs: Vec::new(), refs: refs.clone(), shared }
    }

    /// The shared struct for a response object of a structure several operations use.
    fn shared_object(&self, s: &Shape, path: &str) -> Option<RustType> {
        let (inv, plan) = self.shared.filter(|_| self.side == Side::Response)?;
        let (module, name) = plan.by_key.get(&shared::key(inv, s, path))?.clone();
        Some(RustType::Shared { module, name })
    }

    fn ty(&mut self, s: &Shape, wanted: &str, parent: &str, path: &str) -> RustType {
        if let Some(r) = &s.shape_ref {
            let (module, name) = self.refs[r].clone();
            return RustType::Shared { module, name };
        }
        // Every closed value set is an open enum; requests still validate the set.
        if let Some(e) = &s.enum_name {
            return RustType::Shared { module: snake(e), name: e.clone() };
        }
        match s.ty.unwrap_or(Type::Any) {
            Type::String => RustType::String,
            Type::Integer if s.format.as_deref() == Some("int64") => RustType::I64,
            Type::Integer => RustType::I32,
            Type::Number => RustType::F64,
            Type::Boolean => RustType::Bool,
            Type::Any => RustType::Value,
            Type::Array => {
                let item = s.items.as_deref().cloned().unwrap_or_default();
                let inner = self.ty(&item, &item_name(wanted), parent, &format!("{path}[]"));
                RustType::Vec(Box::new(inner))
            }
            Type::Object => match &s.map_values {
                Some(v) => {
                    RustType::Map(Box::new(self.ty(v, wanted, parent, &format!("{path}{{}}"))))
                }
                None => match self.shared_object(s, path) {
                    Some(t) => t,
                    None => {
                        let s = match self.shared {
                            Some((inv, _)) => shared::resolve(inv, s, path),
                            None => s,
                        };
                        RustType::Local(self.object(s, &pascal(wanted), parent, path))
                    }
                },
            },
        }
    }

    /// Allocates (or reuses) the struct for an object shape and returns its name.
    fn object(&mut self, s: &Shape, wanted: &str, parent: &str, path: &str) -> String {
        let signature = serde_json::to_string(s).expect("shape serializes");
        let mut candidates = vec![wanted.to_string(), format!("{parent}{wanted}")];
        candidates.extend((2..).take(50).map(|i| format!("{parent}{wanted}{i}")));
        for name in candidates {
            match self.taken.get(&name) {
                Some(sig) if *sig == signature => return name,
                Some(_) => continue,
                None => {
                    self.taken.insert(name.clone(), signature);
                    let slot = self.structs.len();
                    self.structs.push(StructModel {
                        name: name.clone(),
                        side: self.side,
                        fields: vec![],
                        doc: format!(" The object at `{path}`."),
                    });
                    let fields = self.fields(s, &name, path);
                    self.structs[slot].fields = fields;
                    return name;
                }
            }
        }
        panic!("no free struct name for {path}");
    }

    fn fields(&mut self, s: &Shape, owner: &str, path: &str) -> Vec<FieldModel> {
        s.properties
            .iter()
            .map(|(wire, child)| self.field(wire, child, owner, &format!("{path}.{wire}"), false))
            .collect()
    }

    fn field(
        &mut self,
        wire: &str,
        s: &Shape,
        owner: &str,
        path: &str,
        json_string: bool,
    ) -> FieldModel {
        let mut ty = self.ty(s, wire, owner, path);
        if json_string {
            ty = RustType::JsonText(Box::new(ty));
        }
        let json_text = s.format.as_deref() == Some("json-text")
            || s.items.as_deref().is_some_and(|i| i.format.as_deref() == Some("json-text"));
        let place = match self.side {
            Side::Request => "field of the request's JSON",
            Side::Response => "response field",
        };
        FieldModel {
            wire: wire.to_string(),
            rust: snake(wire),
            ty,
            required: s.required,
            json_text,
            doc: crate::docs::field(wire, s, place),
        }
    }
}

pub fn build(inv: &Inventory) -> Model {
    let mut named = inv.clone();
    let structs = shared_targets(inv).iter().map(|t| pascal(last_segment(t))).collect();
    crate::enums::name_all(&mut named, &structs);
    let inv = &named;
    let targets = shared_targets(inv);
    let mut refs = BTreeMap::new();
    for t in &targets {
        let last = last_segment(t);
        refs.insert(t.clone(), (snake(last), pascal(last)));
    }
    let mut shared = Vec::new();
    for t in &targets {
        let shape = api_meta::overrides::find_shape(inv, t).expect("shape_ref checked").clone();
        let (module, root) = refs[t].clone();
        let mut scope = Scope::new(Side::Request, &[], &BTreeMap::new(), None);
        scope.object(&shape, &root, "", t);
        shared.push(SharedModel { module, root, target: t.clone(), structs: scope.structs, shape });
    }
    let enums = crate::enums::collect(inv);
    let taken =
        shared.iter().map(|s| s.module.clone()).chain(enums.iter().map(|e| e.module.clone()));
    let plan = shared::plan(inv, &taken.collect());
    let responses = response_shapes(inv, &plan, &refs);
    let purposes = crate::purposes::committed();
    let ops = inv
        .operations
        .iter()
        .map(|op| op_model(op, &refs, &plan, inv, purposes.get(&op.name).cloned()))
        .collect();
    Model { ops, shared, responses, variants: plan.variants, enums }
}

/// The response structs several operations share, grouped by module in plan order.
fn response_shapes(
    inv: &Inventory,
    plan: &shared::Plan,
    refs: &BTreeMap<String, (String, String)>,
) -> Vec<ResponseShapes> {
    let mut out: Vec<ResponseShapes> = Vec::new();
    for st in &plan.structs {
        let mut scope = Scope::new(Side::Response, &[], refs, Some((inv, plan)));
        let fields = scope.fields(&st.shape, &st.name, &st.paths[0]);
        assert!(scope.structs.is_empty(), "a shared struct's parts are shared too");
        let also = st.paths[1..].iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
        let doc = format!(" The object at `{}`, also at {also}.", st.paths[0]);
        let model = StructModel { name: st.name.clone(), side: Side::Response, fields, doc };
        match out.iter_mut().find(|g| g.module == st.module) {
            Some(g) => g.structs.push(model),
            None => out.push(ResponseShapes { module: st.module.clone(), structs: vec![model] }),
        }
    }
    out
}

/// Shared shapes: every target of a shape_ref, named after its last path segment.
fn shared_targets(inv: &Inventory) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    for op in &inv.operations {
        for p in &op.parameters {
            if let Some(r) = &p.schema.shape_ref {
                targets.insert(r.clone());
            }
        }
    }
    targets
}

fn last_segment(target: &str) -> &str {
    target.rsplit('.').next().unwrap_or(target)
}

fn op_model(
    op: &Operation,
    refs: &BTreeMap<String, (String, String)>,
    plan: &shared::Plan,
    inv: &Inventory,
    purpose: Option<String>,
) -> OpModel {
    let req_name = format!("{}Request", op.name);
    let resp_name = format!("{}Response", op.name);
    let reserved =
        vec![op.name.clone(), req_name.clone(), resp_name.clone(), format!("{req_name}Builder")];
    let mut req_scope = Scope::new(Side::Request, &reserved, refs, None);
    let mut fields = Vec::new();
    for p in &op.parameters {
        let target = format!("{}.request.{}", op.name, p.name);
        let mut f = match refs.get(&target) {
            // This parameter is itself a shared shape's home.
            Some((module, name)) => FieldModel {
                wire: p.name.clone(),
                rust: snake(&p.name),
                ty: RustType::Shared { module: module.clone(), name: name.clone() },
                required: p.schema.required,
                json_text: false,
                doc: String::new(),
            },
            None => {
                req_scope.field(&p.name, &p.schema, &op.name, &target, p.style == Style::JsonString)
            }
        };
        f.required = p.schema.required;
        f.doc = crate::docs::field(&p.name, &p.schema, &crate::docs::request_place(p));
        fields.push(f);
    }
    let about = purpose.as_deref().map_or(String::new(), |p| format!(" {p}"));
    let request = StructModel {
        name: req_name,
        side: Side::Request,
        fields,
        doc: format!(" The request of [`{}`].{about}", op.name),
    };
    let mut resp_scope = Scope::new(Side::Response, &reserved, refs, Some((inv, plan)));
    for (n, s) in &req_scope.taken {
        resp_scope.taken.entry(n.clone()).or_insert_with(|| format!("\0request:{s}"));
    }
    let resp_fields = resp_scope.fields(&op.response, &op.name, &format!("{}.response", op.name));
    let response = StructModel {
        name: resp_name,
        side: Side::Response,
        fields: resp_fields,
        doc: format!(" The response of [`{}`].", op.name),
    };
    let paging = op.paging.as_ref().map(|pg| {
        let items =
            response.fields.iter().find(|f| f.wire == pg.items).expect("paging items field");
        let item_ty = match &items.ty {
            RustType::Vec(inner) => (**inner).clone(),
            other => other.clone(),
        };
        let required = |n: &str| op.parameter(n).is_some_and(|p| p.schema.required);
        PagingModel {
            page_number: snake(&pg.page_number),
            page_size: snake(&pg.page_size),
            page_number_required: required(&pg.page_number),
            page_size_required: required(&pg.page_size),
            items: items.rust.clone(),
            item_ty,
            total_count: pg.total_count.as_deref().map(snake),
        }
    });
    let mut structs = req_scope.structs;
    structs.extend(resp_scope.structs);
    OpModel {
        wire: op.name.clone(),
        purpose,
        module: snake(&op.name),
        request,
        response,
        structs,
        paging,
        op: op.clone(),
    }
}
