//! State that crosses the page boundary: the scenario as a link
//! ([`codec`]), exports and the file that imports back ([`export`]), saved
//! scenarios ([`saved`]) and two of them compared ([`compare`]),
//! imported load-test results ([`loadtest`]), and the uncertainty job with
//! the messages that carry it to and from its Web Worker ([`worker`]).
//!
//! Everything here is plain Rust: untrusted text in, validated values or an
//! error that names the field out.

pub mod codec;
pub mod compare;
pub mod export;
pub mod import;
pub mod loadtest;
pub mod manifest;
pub mod saved;
pub mod worker;
