//! How long to wait after a transient failure: exponential from about 30 s, with jitter so
//! many clients do not retry in step, never longer than the poll interval, and never sooner
//! than Clickatell's `Retry-After`.

use std::time::Duration;

/// First retry delay after a transient failure.
pub const FIRST_RETRY: Duration = Duration::from_secs(30);

/// The wait before retry number `failures` (1 for the first failure). `jitter` in `0.0..=1.0`
/// spreads the delay over ±20 %; tests pass fixed values, the monitor a random one.
pub fn retry_delay(
    failures: u32,
    interval: Duration,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    let exponential = FIRST_RETRY.saturating_mul(1 << doublings);
    let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    let delay = exponential.mul_f64(factor).min(interval);
    match retry_after {
        Some(wait) => delay.max(wait),
        None => delay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn schedule_table() {
        let five_min = S(300);
        let table = [
            // (failures, interval, retry_after, jitter, expected)
            (1, five_min, None, 0.5, S(30)),
            (2, five_min, None, 0.5, S(60)),
            (3, five_min, None, 0.5, S(120)),
            (4, five_min, None, 0.5, S(240)),
            (5, five_min, None, 0.5, S(300)),
            (50, five_min, None, 0.5, S(300)),
            (1, five_min, None, 0.0, S(24)),
            (1, five_min, None, 1.0, S(36)),
            (4, five_min, None, 1.0, S(288)),
            (5, five_min, None, 1.0, S(300)),
            (1, S(1), None, 0.5, S(1)),
            (1, five_min, Some(S(90)), 0.5, S(90)),
            (5, five_min, Some(S(600)), 0.5, S(600)),
            (3, five_min, Some(S(5)), 0.5, S(120)),
        ];
        for (failures, interval, retry_after, jitter, want) in table {
            assert_eq!(
                retry_delay(failures, interval, retry_after, jitter),
                want,
                "{failures} {interval:?} {retry_after:?} {jitter}"
            );
        }
    }
}
