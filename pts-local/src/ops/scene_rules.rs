//! The scene rules as pts-local answers them: every rule is pts-api's ([`pts_api::rules`]);
//! a broken one is answered with the operation's own error code, naming the field and the rule.

use crate::envelope::Fail;
use pts_api::meta::OperationMeta;
use pts_api::shapes::scene::Scene;

/// Whether `scene` may be saved (CreatePtsScene, SavePtsScene, ModifyPtsScene) or started.
pub fn admit(meta: &'static OperationMeta, scene: &Scene) -> Result<(), Fail> {
    pts_api::rules::ensure(scene).map_err(|v| Fail::op(meta, v.to_string()))
}

/// The message PTS gives, with Code `4001`, for Scene JSON it cannot parse ("create/modify
/// input must be the JSON of the Scene entity").
const SCENE_JSON_MESSAGE: &str = "创建或者修改场景入参必须是实体类Scene的JSON串";

/// The answer to Scene JSON that does not parse (CreatePtsScene, SavePtsScene, ModifyPtsScene).
pub fn unreadable_scene() -> Fail {
    Fail::service(400, "4001", SCENE_JSON_MESSAGE)
}
