//! End-to-end tests of `clickatell-balance balance`.
