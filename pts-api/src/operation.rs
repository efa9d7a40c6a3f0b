//! The contract between generated code and the runtime: every PTS operation is a unit
//! type implementing [`Operation`], with a typed request and response.

use crate::meta::OperationMeta;
use crate::params::WireParams;
use crate::validate::ValidationError;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub trait Operation: Send + Sync + 'static {
    /// The wire name, e.g. `GetPtsScene`.
    const NAME: &'static str;
    type Request: Request;
    type Response: Response;
    fn meta() -> &'static OperationMeta;
}

/// A typed request. Validation and wire encoding are driven by the operation's static
/// metadata, so the client, the CLI and pts-local apply the same rules.
pub trait Request: Serialize + DeserializeOwned + Clone + Send + Sync + std::fmt::Debug {
    fn meta(&self) -> &'static OperationMeta;

    /// The request as a JSON object keyed by wire names.
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("generated requests serialize")
    }

    /// Checks every constraint of the inventory; the error names operation, field and rule.
    fn validate(&self) -> Result<(), ValidationError> {
        crate::validate::validate_params(self.meta(), &self.to_json())
    }

    /// Query and form parameters as the protocol puts them on the wire.
    fn to_wire(&self) -> Result<WireParams, ValidationError> {
        crate::params::encode(self.meta(), &self.to_json())
    }
}

/// Fields every PTS response body may carry.
pub trait Response: Serialize + DeserializeOwned + Clone + Send + Sync + std::fmt::Debug {
    fn request_id(&self) -> Option<&str>;
    fn success(&self) -> Option<bool>;
    fn code(&self) -> Option<&str>;
    fn message(&self) -> Option<&str>;
    fn http_status_code(&self) -> Option<i64>;
}

/// Operations paged by PageNumber/PageSize.
pub trait Paginated: Operation {
    type Item: Serialize + DeserializeOwned + Clone + Send + Sync + std::fmt::Debug;
    fn page_number(req: &Self::Request) -> Option<i64>;
    fn page_size(req: &Self::Request) -> Option<i64>;
    fn set_page_number(req: &mut Self::Request, page: i64);
    /// Takes the page's items out of a response.
    fn take_items(resp: &mut Self::Response) -> Vec<Self::Item>;
    /// The total item count, for operations that return one.
    fn total_count(resp: &Self::Response) -> Option<i64>;
}
