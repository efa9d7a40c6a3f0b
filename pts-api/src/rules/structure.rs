//! Structure: names that must not be blank, ids that appear once, and load entries that name
//! this scene's relations and APIs.

use super::violation::{Violation, api_path, rel_path};
use crate::shapes::scene::Scene;
use std::collections::HashSet;

pub(super) fn check(s: &Scene, out: &mut Vec<Violation>) {
    let blank = |v: &str| v.trim().is_empty();
    if blank(&s.scene_name) {
        out.push(Violation::new("Scene.SceneName", "must not be blank"));
    }
    let mut seen = HashSet::new();
    for (i, r) in s.relation_list.iter().enumerate() {
        if blank(&r.relation_name) {
            out.push(Violation::new(format!("{}.RelationName", rel_path(i)), "must not be blank"));
        }
        if let Some(id) = r.relation_id.as_deref().filter(|id| !id.is_empty())
            && !seen.insert(id)
        {
            out.push(Violation::new(
                format!("{}.RelationId", rel_path(i)),
                format!("must appear once in the scene ({id} is repeated)"),
            ));
        }
        for (j, a) in r.api_list.iter().enumerate() {
            let p = api_path(i, j);
            for (key, v) in
                [("ApiName", &*a.api_name), ("Url", &a.url), ("Method", a.method.as_str())]
            {
                if blank(v) {
                    out.push(Violation::new(format!("{p}.{key}"), "must not be blank"));
                }
            }
            if let Some(id) = a.api_id.as_deref().filter(|id| !id.is_empty())
                && !seen.insert(id)
            {
                out.push(Violation::new(
                    format!("{p}.ApiId"),
                    format!("must appear once in the scene ({id} is repeated)"),
                ));
            }
        }
    }
    load_refs(s, out);
}

/// RelationLoadConfigList and ApiLoadConfigList entries name relations and APIs of the scene.
fn load_refs(s: &Scene, out: &mut Vec<Violation>) {
    let lc = &s.load_config;
    for (k, r) in lc.relation_load_config_list.iter().flatten().enumerate() {
        if let Some(id) = r.relation_id.as_deref().filter(|id| !id.is_empty())
            && !s.relation_list.iter().any(|x| x.relation_id.as_deref() == Some(id))
        {
            out.push(Violation::new(
                format!("Scene.LoadConfig.RelationLoadConfigList[{k}].RelationId"),
                format!("must name a relation of the scene (no RelationId {id} there)"),
            ));
        }
    }
    for (k, a) in lc.api_load_config_list.iter().flatten().enumerate() {
        let known = s
            .relation_list
            .iter()
            .flat_map(|r| &r.api_list)
            .any(|x| x.api_id.as_deref() == Some(a.api_id.as_str()));
        if !known {
            out.push(Violation::new(
                format!("Scene.LoadConfig.ApiLoadConfigList[{k}].ApiId"),
                format!("must name an API of the scene (no ApiId {:?} there)", a.api_id),
            ));
        }
    }
}
