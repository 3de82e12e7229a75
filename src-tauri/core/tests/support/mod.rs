//! Shared by the core's integration tests: the one Clickatell stand-in of the Rust tests
//! (`tests/support/clickatell.rs`, which misbehaves on demand), the network faults beside it,
//! and a monitor wired to it with the real HTTP client. Each test binary uses a part of it.
#![allow(dead_code)]

#[path = "../../../../tests/support/clickatell.rs"]
pub mod clickatell;
pub mod network_faults;
pub mod rig;
