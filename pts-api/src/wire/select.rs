//! Which operation a request runs, decided only by what its signature covers.
//!
//! - v1 (HMAC-SHA1): `Action` and `Version` are parameters, in the query or the form body,
//!   and a v1 signature covers every parameter in either place. The `x-acs-action` and
//!   `x-acs-version` headers are outside a v1 signature: clients such as the official SDK
//!   send them equal to the parameters, which is accepted; a header that disagrees with the
//!   signed parameter is refused, and a header alone never names the operation.
//! - v3 (ACS3-HMAC-SHA256): the `x-acs-action` and `x-acs-version` headers name the
//!   operation and must be listed in `SignedHeaders`. An `Action`/`Version` parameter sent as
//!   well must agree with them.
//! - Either scheme: a name given twice with different values is refused.
//!
//! [`verify`](super::verify::verify) applies these rules, so a server that routes on
//! [`Verified::action`](super::verify::Verified) runs exactly what was signed. A server that
//! wants to answer routing errors before authentication (as the gateway does) calls
//! [`select_operation`] first; it needs no secret.

use super::authorization::{VerifyError, parse_authorization};
use super::incoming::IncomingRequest;
use super::request::SignatureVersion;

/// The operation a request names, taken from the places its scheme signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection<'a> {
    /// `None` when the request carries no signature at all.
    pub scheme: Option<SignatureVersion>,
    pub action: Option<&'a str>,
    pub version: Option<&'a str>,
}

/// The signature scheme a request claims: an `Authorization` header selects v3, otherwise a
/// `Signature` parameter (query or form body) selects v1.
pub fn scheme(req: &IncomingRequest<'_>) -> Option<SignatureVersion> {
    if req.header("authorization").is_some() {
        Some(SignatureVersion::V3)
    } else if req.param("Signature").is_some() {
        Some(SignatureVersion::V1)
    } else {
        None
    }
}

/// Finds the operation a request names and refuses every way of naming it that the
/// signature does not cover (see the module docs).
pub fn select_operation<'a>(req: &IncomingRequest<'a>) -> Result<Selection<'a>, VerifyError> {
    let scheme = scheme(req);
    let signed_headers = match scheme {
        Some(SignatureVersion::V3) => {
            parse_authorization(req.header("authorization").unwrap_or_default())?.signed_headers
        }
        _ => Vec::new(),
    };
    let pick = |name, header| match scheme {
        Some(SignatureVersion::V1) => from_v1(req, name, header),
        Some(SignatureVersion::V3) => from_v3(req, name, header, &signed_headers),
        // Unsigned: nothing will run; the name only orders the gateway's error answers.
        None => Ok(param(req, name)?.map(|(v, _)| v).or_else(|| req.header(header))),
    };
    let version = pick("Version", "x-acs-version")?;
    let action = pick("Action", "x-acs-action")?;
    Ok(Selection { scheme, action, version })
}

fn from_v1<'a>(
    req: &IncomingRequest<'a>,
    name: &'static str,
    header: &'static str,
) -> Result<Option<&'a str>, VerifyError> {
    let signed = param(req, name)?;
    let mut headers = header_values(req, header).peekable();
    if headers.peek().is_none() {
        return Ok(signed.map(|(v, _)| v));
    }
    let Some((value, from)) = signed else {
        return Err(VerifyError::UnsignedSelector { name, header });
    };
    if let Some(other) = headers.find(|h| *h != value) {
        return Err(conflict(name, value, from, other, format!("header {header}")));
    }
    Ok(Some(value))
}

fn from_v3<'a>(
    req: &IncomingRequest<'a>,
    name: &'static str,
    header: &'static str,
    signed_headers: &[String],
) -> Result<Option<&'a str>, VerifyError> {
    let mut values = header_values(req, header);
    let Some(value) = values.next() else { return Ok(None) };
    if !signed_headers.iter().any(|s| s == header) {
        return Err(VerifyError::UnsignedHeader(header.to_owned()));
    }
    let from = || format!("signed header {header}");
    if let Some(other) = values.find(|v| *v != value) {
        return Err(conflict(name, value, from(), other, format!("header {header}")));
    }
    if let Some(p) = req.params_named(name).find(|p| p.value != value) {
        return Err(conflict(
            name,
            value,
            from(),
            &p.value,
            format!("{} {name}", p.place.as_str()),
        ));
    }
    Ok(Some(value))
}

/// The value of a parameter and where it came from; refused if repeated with another value.
fn param<'a>(
    req: &IncomingRequest<'a>,
    name: &'static str,
) -> Result<Option<(&'a str, String)>, VerifyError> {
    let mut all = req.params_named(name);
    let Some(first) = all.next() else { return Ok(None) };
    let from = |p: &super::incoming::Param| format!("{} {name}", p.place.as_str());
    if let Some(other) = all.find(|p| p.value != first.value) {
        return Err(conflict(name, &first.value, from(first), &other.value, from(other)));
    }
    Ok(Some((first.value.as_str(), from(first))))
}

fn header_values<'a>(
    req: &IncomingRequest<'a>,
    header: &'static str,
) -> impl Iterator<Item = &'a str> {
    req.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(header)).map(|(_, v)| v.trim())
}

fn conflict(
    name: &'static str,
    chosen: &str,
    chosen_from: String,
    other: &str,
    other_from: String,
) -> VerifyError {
    VerifyError::ConflictingSelector {
        name,
        chosen: chosen.to_owned(),
        chosen_from,
        other: other.to_owned(),
        other_from,
    }
}
