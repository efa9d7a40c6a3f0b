//! The service's envelope: `RequestId`, `Success`, `Code`, `Message` as text and
//! `HttpStatusCode` as an int32.
//! - `envelope!`: the `Response` impl of a generated response that carries the whole
//!   envelope, written once here instead of in every operation file. Codegen writes the impl
//!   out in full for a response whose envelope differs.
//! - [`Envelope`]: the envelope read leniently from a body the typed response does not
//!   describe.

macro_rules! envelope {
    ($ty:ty) => {
        impl crate::operation::Response for $ty {
            fn request_id(&self) -> Option<&str> {
                self.request_id.as_deref()
            }
            fn success(&self) -> Option<bool> {
                self.success
            }
            fn code(&self) -> Option<&str> {
                self.code.as_deref()
            }
            fn message(&self) -> Option<&str> {
                self.message.as_deref()
            }
            fn http_status_code(&self) -> Option<i64> {
                self.http_status_code.map(i64::from)
            }
        }
    };
}

pub(crate) use envelope;

/// The envelope fields, read leniently, for bodies the typed response does not describe.
#[derive(Default)]
pub(crate) struct Envelope {
    pub(crate) request_id: Option<String>,
    pub(crate) success: Option<bool>,
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) http_status_code: Option<i64>,
}

impl Envelope {
    /// The envelope of `body`, or `None` when it is not a JSON object. Only the five members
    /// are copied: the body itself is returned to the caller whole.
    pub(crate) fn of(body: &serde_json::Value) -> Option<Self> {
        use crate::json::FromJson;
        let members = body.as_object()?;
        fn read<T: FromJson>(
            members: &serde_json::Map<String, serde_json::Value>,
            key: &str,
        ) -> Option<T> {
            // Lenient scalars: an unreadable value is absent, as in every response.
            members.get(key).filter(|v| !v.is_null()).and_then(|v| T::from_json(v.clone()).ok())
        }
        Some(Envelope {
            request_id: read(members, "RequestId"),
            success: read(members, "Success"),
            code: read(members, "Code"),
            message: read(members, "Message"),
            http_status_code: read(members, "HttpStatusCode"),
        })
    }
}
