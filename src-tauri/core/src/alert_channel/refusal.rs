//! One try's failure, as the retry loop reads it: worth another (perhaps after the receiver's
//! `Retry-After`), or final. Each way of sending (a webhook, SMTP) sorts its own errors.

use std::time::Duration;

pub(super) enum Refusal {
    Retry(String, Option<Duration>),
    Final(String),
}
