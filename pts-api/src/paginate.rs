//! Walking the pages of a PageNumber/PageSize operation.
//!
//! ```no_run
//! # async fn demo(client: &pts_api::Client) -> Result<(), pts_api::Error> {
//! use pts_api::ops::list_pts_scene::{ListPtsScene, ListPtsSceneRequest};
//! use pts_api::Paginator;
//! let req = ListPtsSceneRequest::builder().page_number(1).page_size(50).build()?;
//! let mut pages = Paginator::<ListPtsScene>::new(client, req).max_items(500);
//! while let Some(page) = pages.next_page().await {
//!     let page = page?;
//!     println!("{:?}", page.body.scene_view_list);
//! }
//! # Ok(()) }
//! ```
//!
//! Paging starts at the request's `PageNumber` (1 when unset) and stops:
//! - when the response carries a `TotalCount` and the pages so far cover it;
//! - otherwise on a short page (fewer items than `PageSize`, or than the first page when the
//!   request sets no size) or an empty one;
//! - once `max_items` items (or `max_pages` pages) have been fetched;
//! - after the first error, which is returned once.

use crate::client::{CallOptions, Client, Output};
use crate::error::Error;
use crate::operation::Paginated;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Fetches the pages of one paged request, one call per page.
pub struct Paginator<O: Paginated> {
    client: Client,
    request: O::Request,
    opts: CallOptions,
    next_page: i64,
    page_size: Option<i64>,
    /// Items on the first page fetched, the page size to expect when the request sets none.
    first_page_len: Option<usize>,
    items_fetched: u64,
    pages_fetched: u64,
    max_items: Option<u64>,
    max_pages: Option<u64>,
    done: bool,
}

impl<O: Paginated> fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("next_page", &self.next_page)
            .field("page_size", &self.page_size)
            .field("items_fetched", &self.items_fetched)
            .field("pages_fetched", &self.pages_fetched)
            .field("max_items", &self.max_items)
            .field("max_pages", &self.max_pages)
            .field("done", &self.done)
            .finish()
    }
}

impl<O: Paginated> Paginator<O> {
    /// Pages through `request`, starting at its `PageNumber` (1 when unset).
    pub fn new(client: &Client, request: O::Request) -> Self {
        let next_page = O::page_number(&request).filter(|p| *p >= 1).unwrap_or(1);
        let page_size = O::page_size(&request).filter(|s| *s > 0);
        Paginator {
            client: client.clone(),
            request,
            opts: CallOptions::default(),
            next_page,
            page_size,
            first_page_len: None,
            items_fetched: 0,
            pages_fetched: 0,
            max_items: None,
            max_pages: None,
            done: false,
        }
    }

    /// Stop once at least `n` items have been fetched; [`Paginator::items`] yields exactly
    /// `n` at most.
    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = Some(n);
        if n == 0 {
            self.done = true;
        }
        self
    }

    /// Stop after `n` pages.
    pub fn max_pages(mut self, n: u64) -> Self {
        self.max_pages = Some(n);
        if n == 0 {
            self.done = true;
        }
        self
    }

    /// Per-call options (retry policy, timeout) for every page.
    pub fn call_options(mut self, opts: CallOptions) -> Self {
        self.opts = opts;
        self
    }

    /// The page number the next call will ask for.
    pub fn next_page_number(&self) -> i64 {
        self.next_page
    }

    /// Whether no further page will be fetched.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The next page, or `None` when paging is over. An error ends paging.
    pub async fn next_page(&mut self) -> Option<Result<Output<O::Response>, Error>> {
        if self.done {
            return None;
        }
        let out = match self.fetch().await {
            Ok(out) => out,
            Err(e) => return Some(Err(e)),
        };
        let mut probe = out.body.clone();
        let n = O::take_items(&mut probe).len();
        self.advance(n, O::total_count(&out.body));
        Some(Ok(out))
    }

    /// The next page with its items taken out of the body.
    async fn next_page_items(
        &mut self,
    ) -> Option<Result<(Output<O::Response>, Vec<O::Item>), Error>> {
        if self.done {
            return None;
        }
        let mut out = match self.fetch().await {
            Ok(out) => out,
            Err(e) => return Some(Err(e)),
        };
        let total = O::total_count(&out.body);
        let items = O::take_items(&mut out.body);
        self.advance(items.len(), total);
        Some(Ok((out, items)))
    }

    async fn fetch(&mut self) -> Result<Output<O::Response>, Error> {
        let mut req = self.request.clone();
        O::set_page_number(&mut req, self.next_page);
        let result = self.client.send_with::<O>(req, &self.opts).await;
        if result.is_err() {
            self.done = true;
        }
        result
    }

    /// Records a fetched page of `n` items and decides whether another follows.
    fn advance(&mut self, n: usize, total: Option<i64>) {
        let page = self.next_page;
        self.pages_fetched += 1;
        self.items_fetched += n as u64;
        let first_len = *self.first_page_len.get_or_insert(n);
        let expected = self.page_size.or((first_len > 0).then_some(first_len as i64));
        let covered = match (total, self.page_size) {
            (Some(total), Some(size)) => page.saturating_mul(size) >= total,
            (Some(total), None) => i64::try_from(self.items_fetched).unwrap_or(i64::MAX) >= total,
            (None, _) => false,
        };
        let short = total.is_none() && expected.is_some_and(|e| (n as i64) < e);
        self.done = n == 0
            || covered
            || short
            || self.max_items.is_some_and(|m| self.items_fetched >= m)
            || self.max_pages.is_some_and(|m| self.pages_fetched >= m)
            || page >= i64::from(i32::MAX);
        self.next_page = page + 1;
    }

    /// The pages as a [`futures_core::Stream`].
    pub fn pages(self) -> PageStream<O> {
        PageStream { state: State::Idle(self) }
    }

    /// The items of every page as a [`futures_core::Stream`], at most `max_items` of them.
    pub fn items(self) -> ItemStream<O> {
        let remaining = self.max_items;
        ItemStream { state: ItemState::Idle(self), buffer: VecDeque::new(), remaining }
    }

    /// Every item (bounded by `max_items`), or the first error.
    pub async fn collect_items(self) -> Result<Vec<O::Item>, Error> {
        let mut items = self.items();
        let mut out = Vec::new();
        while let Some(item) = items.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

type PageFuture<O> = Pin<
    Box<
        dyn Future<
                Output = (
                    Paginator<O>,
                    Option<Result<Output<<O as crate::operation::Operation>::Response>, Error>>,
                ),
            > + Send,
    >,
>;

enum State<O: Paginated> {
    Idle(Paginator<O>),
    Fetching(PageFuture<O>),
    Done,
}

/// A stream of pages; see [`Paginator::pages`]. Also usable without a stream library through
/// [`PageStream::next`].
pub struct PageStream<O: Paginated> {
    state: State<O>,
}

// The paginator is only moved, never pinned in place: the in-flight future is boxed.
impl<O: Paginated> Unpin for PageStream<O> {}

impl<O: Paginated> PageStream<O> {
    /// The next page, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Output<O::Response>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next_page(cx)).await
    }

    fn poll_next_page(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Output<O::Response>, Error>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Idle(mut p) => {
                    if p.is_done() {
                        return Poll::Ready(None);
                    }
                    self.state = State::Fetching(Box::pin(async move {
                        let r = p.next_page().await;
                        (p, r)
                    }));
                }
                State::Fetching(mut fut) => match fut.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Fetching(fut);
                        return Poll::Pending;
                    }
                    Poll::Ready((p, r)) => {
                        if r.is_some() {
                            self.state = State::Idle(p);
                        }
                        return Poll::Ready(r);
                    }
                },
            }
        }
    }
}

impl<O: Paginated> futures_core::Stream for PageStream<O> {
    type Item = Result<Output<O::Response>, Error>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_page(cx)
    }
}

type ItemsFuture<O> = Pin<
    Box<
        dyn Future<Output = (Paginator<O>, Option<Result<Vec<<O as Paginated>::Item>, Error>>)>
            + Send,
    >,
>;

enum ItemState<O: Paginated> {
    Idle(Paginator<O>),
    Fetching(ItemsFuture<O>),
    Done,
}

/// A stream of items across pages; see [`Paginator::items`].
pub struct ItemStream<O: Paginated> {
    state: ItemState<O>,
    buffer: VecDeque<O::Item>,
    remaining: Option<u64>,
}

impl<O: Paginated> Unpin for ItemStream<O> {}

impl<O: Paginated> ItemStream<O> {
    /// The next item, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<O::Item, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next_item(cx)).await
    }

    fn poll_next_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O::Item, Error>>> {
        loop {
            if self.remaining == Some(0) {
                self.buffer.clear();
                self.state = ItemState::Done;
                return Poll::Ready(None);
            }
            if let Some(item) = self.buffer.pop_front() {
                if let Some(r) = &mut self.remaining {
                    *r -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            match std::mem::replace(&mut self.state, ItemState::Done) {
                ItemState::Done => return Poll::Ready(None),
                ItemState::Idle(mut p) => {
                    if p.is_done() {
                        return Poll::Ready(None);
                    }
                    self.state = ItemState::Fetching(Box::pin(async move {
                        let r = p.next_page_items().await.map(|r| r.map(|(_, items)| items));
                        (p, r)
                    }));
                }
                ItemState::Fetching(mut fut) => match fut.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = ItemState::Fetching(fut);
                        return Poll::Pending;
                    }
                    Poll::Ready((_, None)) => return Poll::Ready(None),
                    Poll::Ready((_, Some(Err(e)))) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready((p, Some(Ok(items)))) => {
                        self.buffer.extend(items);
                        self.state = ItemState::Idle(p);
                    }
                },
            }
        }
    }
}

impl<O: Paginated> futures_core::Stream for ItemStream<O> {
    type Item = Result<O::Item, Error>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_item(cx)
    }
}
