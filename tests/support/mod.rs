//! Shared pieces of the end-to-end tests: a loopback Clickatell, the built binary run in an
//! isolated home, and a private desktop session with a real Secret Service.
#![allow(dead_code)]

pub mod app;
pub mod clickatell;
pub mod desktop;
pub mod mail;
pub mod network;
pub mod secret_service;
pub mod session;
pub mod webdriver;
