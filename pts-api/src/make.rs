//! [`make!`](crate::make): a generated struct from `Default` plus the named fields.

/// Builds a generated response or shape struct from its `Default` and the fields given.
///
/// Generated structs are `#[non_exhaustive]` (a field the API adds later is not a breaking
/// change), so code outside pts-api cannot write struct literals; this reads like one.
/// Requests have builders instead. A trailing `..base` starts from `base`.
///
/// ```
/// use pts_api::shapes::report::Report;
///
/// let report = pts_api::make!(Report { report_id: Some("r-1".into()), vum: Some(12) });
/// assert_eq!(report.report_name, None);
/// let renamed = pts_api::make!(Report { report_name: Some("nightly".into()), ..report.clone() });
/// assert_eq!(renamed.report_id, report.report_id);
/// ```
#[macro_export]
macro_rules! make {
    ($ty:path { $($field:ident : $value:expr),* $(,)? }) => {{
        let mut value = <$ty as ::core::default::Default>::default();
        $(value.$field = $value;)*
        value
    }};
    ($ty:path { $($field:ident : $value:expr,)* ..$base:expr }) => {{
        let mut value: $ty = $base;
        $(value.$field = $value;)*
        value
    }};
}
