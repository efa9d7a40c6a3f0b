//! The send and prepare paths of [`Client`]: typed and JSON requests, validated or raw.

use super::handle::{CallOptions, Client, Output};
use super::prepared::PreparedRequest;
use super::transport;
use crate::error::Error;
use crate::meta::OperationMeta;
use crate::operation::{Operation, Request};
use crate::params::WireParams;

impl Client {
    /// Validates, signs and sends one typed request, retrying per the client's policy.
    ///
    /// A request that breaks a rule of the metadata fails with [`Error::Validation`] and
    /// nothing is sent. HTTP 4xx/5xx give [`Error::Service`]; an HTTP 2xx body with
    /// `"Success": false` gives [`Error::Api`] (the official SDK returns those as successes).
    pub async fn send<O: Operation>(&self, req: O::Request) -> Result<Output<O::Response>, Error> {
        self.send_with::<O>(req, &CallOptions::default()).await
    }

    /// [`Client::send`] with per-call options.
    pub async fn send_with<O: Operation>(
        &self,
        req: O::Request,
        opts: &CallOptions,
    ) -> Result<Output<O::Response>, Error> {
        req.validate()?;
        self.send_unchecked_with::<O>(req, opts).await
    }

    /// Sends without validating: the explicit raw path, for values the metadata rejects but the
    /// service may accept. The wire encoding still applies.
    pub async fn send_unchecked<O: Operation>(
        &self,
        req: O::Request,
    ) -> Result<Output<O::Response>, Error> {
        self.send_unchecked_with::<O>(req, &CallOptions::default()).await
    }

    /// [`Client::send_unchecked`] with per-call options.
    pub async fn send_unchecked_with<O: Operation>(
        &self,
        req: O::Request,
        opts: &CallOptions,
    ) -> Result<Output<O::Response>, Error> {
        let wire = req.to_wire()?;
        self.execute(O::meta(), &wire, opts, transport::decode_typed::<O::Response>).await
    }

    /// The generic path (the CLI): `params` is a JSON object keyed by wire names. It is
    /// validated with [`crate::validate::validate_params`], encoded with [`crate::params::encode`]
    /// and the raw JSON body is returned; errors are classified exactly as for [`Client::send`].
    /// A missing `RegionId` of the VPC lookup operations is filled from [`Client::region`].
    pub async fn send_json(
        &self,
        op: &'static OperationMeta,
        params: serde_json::Value,
    ) -> Result<Output<serde_json::Value>, Error> {
        self.send_json_with(op, params, &CallOptions::default()).await
    }

    /// [`Client::send_json`] with per-call options.
    pub async fn send_json_with(
        &self,
        op: &'static OperationMeta,
        params: serde_json::Value,
        opts: &CallOptions,
    ) -> Result<Output<serde_json::Value>, Error> {
        let params = self.fill_region(op, params);
        crate::validate::validate_params(op, &params)?;
        let wire = crate::params::encode(op, &params)?;
        self.execute(op, &wire, opts, transport::decode_json).await
    }

    /// [`Client::send_json`] without validation (the CLI's raw path).
    pub async fn send_json_unchecked(
        &self,
        op: &'static OperationMeta,
        params: serde_json::Value,
        opts: &CallOptions,
    ) -> Result<Output<serde_json::Value>, Error> {
        let params = self.fill_region(op, params);
        let wire = crate::params::encode(op, &params)?;
        self.execute(op, &wire, opts, transport::decode_json).await
    }

    /// The exact signed request [`Client::send`] would send first, without sending it: for dry
    /// runs. Validates first. Print it with `{:?}` or [`PreparedRequest::redacted`], which
    /// hide the signature and tokens.
    pub async fn prepare_request<O: Operation>(
        &self,
        req: &O::Request,
    ) -> Result<PreparedRequest, Error> {
        req.validate()?;
        let wire = req.to_wire()?;
        self.prepare_wire(O::meta(), &wire).await
    }

    /// [`Client::prepare_request`] for the generic JSON path.
    pub async fn prepare_json(
        &self,
        op: &'static OperationMeta,
        params: &serde_json::Value,
    ) -> Result<PreparedRequest, Error> {
        let params = self.fill_region(op, params.clone());
        crate::validate::validate_params(op, &params)?;
        let wire = crate::params::encode(op, &params)?;
        self.prepare_wire(op, &wire).await
    }

    /// On the JSON path, an operation with a `RegionId` parameter (the VPC lookups) gets the
    /// client's region when the caller gave none. Typed requests carry their own `RegionId`.
    fn fill_region(
        &self,
        op: &'static OperationMeta,
        mut params: serde_json::Value,
    ) -> serde_json::Value {
        if op.param("RegionId").is_some()
            && let Some(map) = params.as_object_mut()
            && map.get("RegionId").is_none_or(serde_json::Value::is_null)
        {
            map.insert("RegionId".into(), serde_json::Value::String(self.inner.region.clone()));
        }
        params
    }

    /// Signs already-encoded wire parameters without sending them.
    pub async fn prepare_wire(
        &self,
        op: &'static OperationMeta,
        wire: &WireParams,
    ) -> Result<PreparedRequest, Error> {
        let creds = self.credentials().await?;
        self.sign(op, wire, &creds, None)
    }
}
