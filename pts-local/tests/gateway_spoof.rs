//! Spoofing the operation: nothing outside the signature may choose what runs. Each request
//! below is validly signed (by the independent signer of `gateway_support`) for a read of
//! one scene, then names DeletePtsScene in a way the rules refuse; the scene must survive.

mod common;
mod gateway_support;

use common::{AK, SK};
use gateway_support::{Call, Placement, Raw, Scheme, scene_json, send, sign};
use pts_local::{Config, Key, Server};
use serde_json::Value;

fn get_scene(
    scheme: Scheme,
    placement: Placement,
    action: &'static str,
    id: &str,
) -> Call<'static> {
    let params = vec![("SceneId".to_owned(), id.to_owned())];
    Call { scheme, method: "POST", placement, action, params, access_key_id: AK, secret: SK }
}

fn with_param(mut call: Call<'static>, name: &str, value: &str) -> Call<'static> {
    call.params.push((name.to_owned(), value.to_owned()));
    call
}

#[tokio::test]
async fn only_signed_input_selects_the_operation() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path()).with_keys(vec![Key::new(AK, SK)]).with_null_engine();
    let server = Server::start(config).await.unwrap();
    let ep = server.endpoint();
    let scene = scene_json("keep me");
    let save = Call {
        scheme: Scheme::V3,
        method: "POST",
        placement: Placement::Query,
        action: "SavePtsScene",
        params: vec![("Scene".into(), scene)],
        access_key_id: AK,
        secret: SK,
    };
    let (status, body) = send(&ep, &sign(&save, &ep)).await;
    assert_eq!(status, 200, "{body}");
    let id = body["SceneId"].as_str().unwrap().to_owned();
    let id = id.as_str();
    use Placement::{Body, Query, Split};
    use Scheme::{V1, V3};

    let attacks: Vec<(&str, Raw, u16, &str)> = vec![
        (
            // The attack as reported: a v1-signed read with Action in the form body, plus an
            // unsigned header naming DeletePtsScene.
            "v1 read, Action in the body, x-acs-action: DeletePtsScene",
            sign(&get_scene(V1, Body, "GetPtsScene", id), &ep)
                .header("x-acs-action", "DeletePtsScene"),
            400,
            "InvalidParameter",
        ),
        (
            "v1 read, Action in the query, x-acs-action: DeletePtsScene",
            sign(&get_scene(V1, Query, "GetPtsScene", id), &ep)
                .header("x-acs-action", "DeletePtsScene"),
            400,
            "InvalidParameter",
        ),
        (
            "v1 signed without Action, x-acs-action: DeletePtsScene",
            sign(&get_scene(V1, Body, "", id), &ep).header("x-acs-action", "DeletePtsScene"),
            400,
            "IncompleteSignature",
        ),
        (
            "v1 signed Action twice: GetPtsScene in one place, DeletePtsScene in the other",
            sign(
                &with_param(get_scene(V1, Split, "GetPtsScene", id), "Action", "DeletePtsScene"),
                &ep,
            ),
            400,
            "InvalidParameter",
        ),
        (
            "v1 read, x-acs-version disagreeing with the signed Version",
            sign(&get_scene(V1, Query, "GetPtsScene", id), &ep)
                .header("x-acs-version", "2019-01-01"),
            400,
            "InvalidParameter",
        ),
        (
            "v3 signed without x-acs-action, unsigned x-acs-action: DeletePtsScene",
            sign(&get_scene(V3, Query, "", id), &ep).header("x-acs-action", "DeletePtsScene"),
            400,
            "IncompleteSignature",
        ),
        (
            "v3 read with a signed query Action=DeletePtsScene",
            sign(
                &with_param(get_scene(V3, Query, "GetPtsScene", id), "Action", "DeletePtsScene"),
                &ep,
            ),
            400,
            "InvalidParameter",
        ),
        (
            "v3 read with a body Action=DeletePtsScene",
            sign(
                &with_param(get_scene(V3, Body, "GetPtsScene", id), "Action", "DeletePtsScene"),
                &ep,
            ),
            400,
            "InvalidParameter",
        ),
        (
            "v3 read, x-acs-action replaced after signing",
            sign(&get_scene(V3, Query, "GetPtsScene", id), &ep)
                .without_header("x-acs-action")
                .header("x-acs-action", "DeletePtsScene"),
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "v3 read, Action added to the form body after signing",
            {
                let mut raw = sign(&get_scene(V3, Body, "GetPtsScene", id), &ep);
                raw.form.push(("Action".into(), "GetPtsScene".into()));
                raw
            },
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "v1 read sent to another path (v1 does not sign the path)",
            {
                let mut raw = sign(&get_scene(V1, Query, "GetPtsScene", id), &ep);
                raw.path = "/DeletePtsScene".into();
                raw
            },
            404,
            "InvalidAction.NotFound",
        ),
    ];
    for (what, raw, status, code) in attacks {
        let (got, body) = send(&ep, &raw).await;
        assert_eq!((got, body["Code"].as_str()), (status, Some(code)), "{what}: {body}");
        let check = sign(&get_scene(V3, Query, "GetPtsScene", id), &ep);
        let (got, body) = send(&ep, &check).await;
        assert_eq!(got, 200, "after {what}: the scene is gone: {body}");
        assert_eq!(body["Scene"]["SceneName"], Value::from("keep me"));
    }

    // The shape the official SDK sends under v1, headers equal to the signed params, runs.
    let sdk_like = sign(&get_scene(V1, Query, "GetPtsScene", id), &ep)
        .header("x-acs-action", "GetPtsScene")
        .header("x-acs-version", "2020-10-20");
    let (got, body) = send(&ep, &sdk_like).await;
    assert_eq!(got, 200, "{body}");
    assert_eq!(body["Scene"]["SceneId"], Value::from(id));
    server.shutdown().await;
}
