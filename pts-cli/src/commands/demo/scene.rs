//! The closing advice of the demo (its scene is `SampleTarget::shop_scene`).

/// What to try after the demo.
pub fn next_steps(evidence: Option<&str>) -> String {
    let mut s = String::from("Next steps:\n");
    if let Some(dir) = evidence {
        s.push_str(&format!("  - open {dir}/report.html (charts) and read summary.md\n"));
        s.push_str(&format!(
            "  - the scene it ran, as a file:  pts scene validate {dir}/scene.json\n"
        ));
    }
    s.push_str(
        "  - keep a local PTS running:     pts local serve   (writes a `local` profile)\n\
         \x20 - turn a scene into a file:     pts scene export ID --format yaml > scene.yaml\n\
         \x20 - gate CI on an SLA:            pts run scene.yaml --sla \"p99<200ms,error_rate<1%\" --yes\n\
         \x20 - watch a run live:             pts scene watch ID --plan PLAN_ID\n\
         \x20 - check your cloud setup:       pts configure --access-key-id ID --access-key-secret-stdin\n\
         \x20                                 then pts doctor\n",
    );
    s
}
