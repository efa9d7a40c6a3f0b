//! `--paginate`: every page through pts-api's [`Paginator`], merged into one response: the
//! last page's other top-level fields, with the item list holding every item (at most
//! `--max-items`). Progress goes to the caller's [`Progress`] (a spinner on a terminal).

use crate::errors;
use crate::exit::{CliError, CliResult};
use pts_api::meta::OperationMeta;
use pts_api::{Client, Paginated, Paginator};
use pts_api::{PaginatedVisitor, visit_paginated};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

type PageFuture<'a> = Pin<Box<dyn Future<Output = CliResult<Value>> + 'a>>;

/// Told after each page; cleared when the pages end or fail.
pub trait Progress {
    fn update(&self, pages: u64, items: usize);
    fn clear(&self);
}

struct Visitor<'a> {
    progress: &'a dyn Progress,
    client: &'a Client,
    op: &'static OperationMeta,
    params: Value,
    max_items: Option<u64>,
}

impl<'a> PaginatedVisitor for Visitor<'a> {
    type Output = PageFuture<'a>;

    fn visit<O: Paginated>(self) -> PageFuture<'a> {
        Box::pin(async move {
            let items_field = self.op.paging.as_ref().map_or("Items", |p| p.items);
            let request: O::Request = serde_json::from_value(self.params).map_err(|e| {
                CliError::usage(format!("{}: invalid parameters: {e}", self.op.name))
            })?;
            let mut pages = Paginator::<O>::new(self.client, request);
            if let Some(n) = self.max_items {
                pages = pages.max_items(n);
            }
            let progress = self.progress;
            let mut items: Vec<Value> = Vec::new();
            let mut last: Option<Value> = None;
            let mut count = 0u64;
            while let Some(page) = pages.next_page().await {
                let mut page = page.map_err(|e| {
                    progress.clear();
                    errors::from_api(&e)
                })?;
                count += 1;
                for item in O::take_items(&mut page.body) {
                    items.push(serde_json::to_value(item).unwrap_or(Value::Null));
                }
                progress.update(count, items.len());
                tracing::debug!(page = count, items = items.len(), request_id = ?page.request_id, "page fetched");
                last = Some(serde_json::to_value(&page.body).unwrap_or(Value::Null));
            }
            progress.clear();
            if let Some(n) = self.max_items {
                items.truncate(usize::try_from(n).unwrap_or(usize::MAX));
            }
            let mut merged = match last {
                Some(Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            merged.insert(items_field.to_string(), Value::Array(items));
            Ok(Value::Object(merged))
        })
    }
}

/// Fetches every page of a paged operation and merges them.
pub async fn run(
    client: &Client,
    op: &'static OperationMeta,
    params: Value,
    max_items: Option<u64>,
    progress: &dyn Progress,
) -> CliResult<Value> {
    let visitor = Visitor { progress, client, op, params, max_items };
    match visit_paginated(op.name, visitor) {
        Some(fut) => fut.await,
        None => Err(CliError::usage(format!("{} is not a paged operation", op.name))),
    }
}
