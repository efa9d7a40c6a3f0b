//! The scene rules as pts-local answers them: every rule is pts-api's ([`pts_api::rules`]);
//! a broken one is answered with the operation's own error code, naming the field and the rule.

use crate::envelope::Fail;
use pts_api::meta::OperationMeta;
use pts_api::shapes::scene::Scene;

/// Whether `scene` may be saved (CreatePtsScene, SavePtsScene, ModifyPtsScene) or started.
pub fn admit(meta: &'static OperationMeta, scene: &Scene) -> Result<(), Fail> {
    pts_api::rules::ensure(scene).map_err(|v| Fail::op(meta, v.to_string()))
}
