//! Stackwise: estimates what a backend stack costs to run and to adopt.
//!
//! The crate is split along one boundary: [`model`], [`charts`] data and
//! [`state`] codecs are plain Rust that compiles and is tested natively;
//! `ui` (Leptos, web-sys) exists only on `wasm32`.

#![warn(missing_docs)]

pub mod charts;
pub mod model;
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod ui;
