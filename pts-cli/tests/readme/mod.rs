//! Helpers of the README tour test (`readme_tour.rs`).

pub mod parse;
pub mod procs;
pub mod steps;
