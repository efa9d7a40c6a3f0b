//! The flags every command that takes a scene file shares: how the file is matched to a
//! stored scene (`--create`) and writing the matched id back into the file (`--write-id`).

use pts_ops::exit::{CliError, CliResult};
use pts_ops::lifecycle::Match;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct SceneFileArgs {
    /// Scene file, YAML or JSON. It updates the scene whose SceneId it carries, else the one
    /// scene with its SceneName, else creates one
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    /// Always create a new scene (a SceneId in the file is ignored)
    #[arg(long)]
    pub create: bool,
    /// Write the scene's id into the file (`SceneId: ID`) once applied, so later applies and
    /// runs name it
    #[arg(long)]
    pub write_id: bool,
}

impl SceneFileArgs {
    pub fn matching(&self) -> Match {
        if self.create { Match::Create } else { Match::IdOrName }
    }
}

/// Sets `SceneId` in the scene file at `path` to `id`, keeping the rest of the text (comments,
/// order, layout) as it is: an existing top-level `SceneId` is replaced, else one is added
/// first. JSON files (text starting with `{`) get a JSON member, YAML files a YAML line.
pub fn write_id(path: &Path, id: &str) -> CliResult<()> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, &e))?;
    let updated = with_scene_id(&text, id);
    if updated != text {
        std::fs::write(path, updated).map_err(|e| CliError::io("write", path, &e))?;
    }
    Ok(())
}

fn with_scene_id(text: &str, id: &str) -> String {
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix('{') {
        let json_line = regex_lite::Regex::new(r#""SceneId"\s*:\s*"[^"]*""#).expect("valid");
        if json_line.is_match(text) {
            return json_line.replace(text, format!("\"SceneId\": {id:?}").as_str()).into_owned();
        }
        let lead = &text[..text.len() - trimmed.len()];
        let sep = if rest.trim_start().starts_with('}') { "" } else { "," };
        return format!("{lead}{{\"SceneId\": {id:?}{sep}{rest}");
    }
    let yaml_line = regex_lite::Regex::new(r"(?m)^SceneId:.*$").expect("valid");
    if yaml_line.is_match(text) {
        return yaml_line.replace(text, format!("SceneId: {id}").as_str()).into_owned();
    }
    format!("SceneId: {id}\n{text}")
}

#[cfg(test)]
mod tests {
    use super::with_scene_id;

    #[test]
    fn yaml_and_json_files_keep_their_text() {
        let yaml = "# shop\nSceneName: shop\n";
        assert_eq!(with_scene_id(yaml, "ID1"), "SceneId: ID1\n# shop\nSceneName: shop\n");
        assert_eq!(
            with_scene_id("SceneId: OLD\nSceneName: s\n", "ID2"),
            "SceneId: ID2\nSceneName: s\n"
        );
        let json = "{\n  \"SceneName\": \"s\"\n}\n";
        let out = with_scene_id(json, "ID3");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["SceneId"], "ID3");
        assert_eq!(v["SceneName"], "s");
        let out = with_scene_id("{\"SceneId\": \"OLD\", \"SceneName\": \"s\"}", "ID4");
        assert_eq!(out, "{\"SceneId\": \"ID4\", \"SceneName\": \"s\"}");
        assert_eq!(with_scene_id("{}", "ID5"), "{\"SceneId\": \"ID5\"}");
    }
}
