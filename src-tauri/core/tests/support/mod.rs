//! Shared by the core's integration tests: a loopback HTTP server that plays Clickatell and
//! misbehaves on demand, and a monitor wired to it with the real HTTP client. Each test binary uses a part of it.
#![allow(dead_code)]

pub mod fault_server;
pub mod rig;
