//! Compiling a parsed JMX plan onto the engine's plan: requests, checks, extractors and the
//! control flow of each thread group.

mod build;
mod lower;

pub(crate) use build::{build_jmx, compile_jmx};
