//! `envelope!`: the `Response` impl of a generated response that carries the service's whole
//! envelope (`RequestId`, `Success`, `Code`, `Message` as text and `HttpStatusCode` as an
//! int32), written once here instead of in every operation file. Codegen writes the impl out
//! in full for a response whose envelope differs.

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
