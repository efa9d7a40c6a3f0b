//! Which stored scene a scene file describes, so that applying or running the same file twice
//! changes one scene instead of creating another: the SceneId the file carries, else the one
//! scene with its name, else a new scene. Two or more scenes of that name are a usage error
//! (nothing is sent) listing their ids.

use super::delete::Kind;
use super::listing;
use crate::exit::{CliError, CliResult};
use serde::Serialize;
use serde_json::Value;

/// How a scene file is matched to a stored scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The file's SceneId, else the only scene with the file's name, else a new scene.
    IdOrName,
    /// Always a new scene (`--create`, `pts run --ephemeral`); a SceneId in the file is ignored.
    Create,
    /// The file's SceneId, else a new scene: the raw SavePtsScene operation, which never
    /// looks scenes up by name.
    IdOnly,
}

/// How the scene was found, as shown in results and evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The SceneId in the file.
    SceneId,
    /// The only stored scene with the file's name.
    Name,
    /// No stored scene: a new one is created.
    New,
}

/// The stored scene `scene` stands for: `(id, how)`; the id is empty for a new scene.
pub async fn identify(
    client: &pts_api::Client,
    kind: Kind,
    scene: &Value,
    how: Match,
) -> CliResult<(String, MatchedBy)> {
    if how == Match::Create {
        return Ok((String::new(), MatchedBy::New));
    }
    if let Some(id) = crate::scene_doc::scene_id(scene) {
        return Ok((id, MatchedBy::SceneId));
    }
    let name = crate::scene_doc::scene_name(scene);
    if how == Match::IdOnly || name.is_empty() {
        return Ok((String::new(), MatchedBy::New));
    }
    let listed = match kind {
        Kind::Pts => listing::all_pts(client, Some(&name)).await?,
        Kind::Jmeter => listing::all_jmeter(client, Some(&name)).await?,
    };
    match listing::ids_named(&listed, &name).as_slice() {
        [] => Ok((String::new(), MatchedBy::New)),
        [one] => Ok((one.clone(), MatchedBy::Name)),
        many => Err(ambiguous(kind, &name, many)),
    }
}

fn ambiguous(kind: Kind, name: &str, ids: &[String]) -> CliError {
    CliError::usage(format!(
        "{} {} scenes are named {name:?} ({}): the file does not say which one it is",
        ids.len(),
        match kind {
            Kind::Pts => "PTS",
            Kind::Jmeter => "JMeter",
        },
        ids.join(", ")
    ))
    .with_hint(
        "put `SceneId: ID` in the file (or apply once with --write-id), or pass --create for a \
         new scene",
    )
}

/// `scene` as it is sent for the matched scene: the SceneId set for an update, removed for a
/// new scene.
pub fn with_id(scene: &Value, id: &str) -> Value {
    let mut out = scene.clone();
    if let Some(map) = out.as_object_mut() {
        if id.is_empty() {
            map.remove("SceneId");
        } else {
            map.insert("SceneId".into(), Value::String(id.to_string()));
        }
    }
    out
}
