//! Tool results: a short human summary, the structured content, and the same JSON as
//! text for clients that read only text. Every structured value is redacted (credential
//! keys, secret-looking header values) before it leaves the server; errors carry the
//! CLI's message and hint, which never hold secrets.

use pts_api::__private::redact::redact_json;
use pts_api::__private::validate::{Rule, ValidationError};
use pts_ops::evidence::EvidenceHealth;
use pts_ops::exit::CliError;
use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{Value, json};

/// A successful result.
pub fn ok(summary: impl Into<String>, structured: Value) -> CallToolResult {
    build(summary.into(), structured, false)
}

/// A plan: like [`ok`], with the confirmation token put back after redaction (its name
/// looks secret to the redactor; it is not a credential, and the agent needs it).
pub fn plan(summary: impl Into<String>, structured: Value, token: &str) -> CallToolResult {
    let mut r = build(summary.into(), structured, false);
    if let Some(Value::Object(m)) = &mut r.structured_content {
        m.insert(super::schema::TOKEN_FIELD.into(), token.into());
        let text = Value::Object(m.clone()).to_string();
        r.content[1] = ContentBlock::text(text);
    }
    r
}

/// The evidence policy in a tool's result: the outcome stays what it was (a start that
/// succeeded is reported as such); failed evidence writes are listed under
/// `evidence_warnings` and named in the summary.
pub fn with_evidence(mut r: CallToolResult, health: &EvidenceHealth) -> CallToolResult {
    let warnings = health.warnings();
    if warnings.is_empty() {
        return r;
    }
    if let Some(Value::Object(m)) = &mut r.structured_content {
        let summary = format!(
            "{}; warning: {} evidence write(s) failed: {}",
            m.get("summary").and_then(Value::as_str).unwrap_or(""),
            warnings.len(),
            warnings[0]
        );
        m.insert("evidence_warnings".into(), json!(warnings));
        m.insert("summary".into(), Value::String(summary.clone()));
        let text = Value::Object(m.clone()).to_string();
        r.content = vec![ContentBlock::text(summary), ContentBlock::text(text)];
    }
    r
}

/// A tool error (`isError: true`) with structured details.
pub fn fail(summary: impl Into<String>, structured: Value) -> CallToolResult {
    build(summary.into(), structured, true)
}

fn build(summary: String, mut structured: Value, is_error: bool) -> CallToolResult {
    redact_json(&mut structured);
    if let Value::Object(m) = &mut structured {
        m.entry("summary").or_insert_with(|| Value::String(summary.clone()));
    }
    let content = vec![ContentBlock::text(summary), ContentBlock::text(structured.to_string())];
    let mut r =
        if is_error { CallToolResult::error(content) } else { CallToolResult::success(content) };
    r.structured_content = Some(structured);
    r
}

/// A refusal by the gate or a bad argument: nothing was sent.
pub fn refused(kind: &str, message: impl Into<String>) -> CallToolResult {
    let message = message.into();
    fail(message.clone(), json!({"error": kind, "message": message, "sent": false}))
}

/// A validation failure naming the field and the rule; nothing was sent.
pub fn validation(e: &ValidationError) -> CallToolResult {
    let rule = match &e.rule {
        Rule::Required => "required".to_string(),
        Rule::Unknown { suggestion: Some(s) } => format!("unknown parameter (did you mean {s}?)"),
        Rule::Unknown { suggestion: None } => "unknown parameter".to_string(),
        Rule::Type { expected } => format!("type {expected}"),
        Rule::InvalidJson(m) => format!("valid JSON ({m})"),
        Rule::Constraint(c) => pts_api::__private::validate::describe(c),
    };
    // The offending value is shown unless the field may hold a secret (a header value, a
    // password); the message then names field and rule only.
    let value = e.value.as_ref().filter(|_| !may_hold_secret(&e.field));
    let message = match value {
        Some(_) => format!("invalid arguments: {e}; nothing was sent"),
        None => {
            let shown = ValidationError { value: None, ..e.clone() };
            format!("invalid arguments: {shown}; nothing was sent")
        }
    };
    fail(
        message.clone(),
        json!({
            "error": "validation",
            "operation": e.operation,
            "field": e.field,
            "rule": rule,
            "value": value,
            "message": message,
            "sent": false,
        }),
    )
}

/// Header values, and fields the redaction step treats as credentials.
fn may_hold_secret(path: &str) -> bool {
    let field = path.rsplit('.').next().unwrap_or(path);
    pts_api::__private::redact::may_hold_secret(field.split('[').next().unwrap_or(field))
}

/// A failure the CLI would report with an exit code (service error, network, ...).
pub fn cli_error(tool: &str, e: &CliError, extra: Value) -> CallToolResult {
    let mut v = json!({
        "error": kind(e),
        "exit_code": e.code.code(),
        "message": e.message,
        "hint": e.hint,
    });
    if let (Value::Object(m), Value::Object(x)) = (&mut v, extra) {
        m.extend(x);
    }
    fail(format!("{tool} failed: {}", e.message), v)
}

fn kind(e: &CliError) -> &'static str {
    use pts_ops::exit::ExitCode::*;
    match e.code {
        Success => "none",
        Service => "service",
        Usage => "usage",
        Auth => "credentials",
        Network => "network",
        WaitTimeout => "wait_timeout",
        SlaFailed => "sla_failed",
        EvidenceIncomplete => "evidence_incomplete",
        Interrupted => "interrupted",
    }
}

/// A scene that breaks the scene rules (every problem, each naming the field and the rule);
/// nothing was sent.
pub fn scene_rules(operation: &str, problems: &[pts_api::rules::Violation]) -> CallToolResult {
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let message = format!("invalid scene: {}; nothing was sent", list.join("; "));
    fail(
        message.clone(),
        json!({"error": "validation", "operation": operation, "problems": problems,
               "message": message, "sent": false}),
    )
}
