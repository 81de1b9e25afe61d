//! Stackwise: estimates what a backend stack costs to run and to adopt.
//!
//! The crate is split along one boundary: [`model`], [`charts`] data and
//! [`state`] codecs are plain Rust that compiles and is tested natively;
//! `ui` (Leptos, web-sys) exists only on `wasm32` with the `page` feature
//! (on by default; the uncertainty worker, `src/bin/worker.rs`, is built
//! without it and links only the model).

#![warn(missing_docs)]

pub mod charts;
pub mod model;
pub mod state;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod ui;
