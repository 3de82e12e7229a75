//! Benchmark, not a test: how long loading the machine's trust store takes, which the HTTP
//! client does once when it is made (at start, and when the network settings change), never
//! per request. Prints the median of 20 loads. `cargo run --release --example trust_store_load`.

use clickatell_core::network::TrustStore;
use std::time::Instant;

fn main() {
    let mut times: Vec<f64> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let store = TrustStore::load(None).expect("the trust store loads");
            let elapsed = start.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(store);
            elapsed
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let store = TrustStore::load(None).expect("the trust store loads");
    println!(
        "trust store ({}): median {:.1} ms over 20 loads (min {:.1}, max {:.1}); loaded once per HTTP client",
        store.summary,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
