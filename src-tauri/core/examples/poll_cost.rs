//! Benchmark, not a test: what one poll's request costs on its own, the floor under a watched
//! account's cost in the tray app. Reads the balance `COUNT` times (default 500) through the
//! app's own HTTP client and balance source from `URL` (a loopback stand-in such as
//! `tests/bench/fake_clickatell.py`), one after another on a single-threaded runtime, and
//! prints the CPU time (user and system, this process) and context switches per request.
//! `cargo run --release --example poll_cost -- URL [COUNT]`.

use clickatell_core::network::NetworkConfig;
use clickatell_core::{balance_source, Api, ApiToken, Format, HttpClient, SourceConfig};

#[path = "support/proc_usage.rs"]
mod proc_usage;
use proc_usage::usage;

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: poll_cost URL [COUNT]");
    let count: u32 = args.next().map_or(500, |c| c.parse().expect("COUNT"));
    let config = SourceConfig {
        api: Api::Rest,
        format: Format::Json,
        base_url: Some(url),
        network: NetworkConfig::default(),
    };
    let client = HttpClient::new(&config.network).expect("the HTTP client starts");
    let source = balance_source(client, &config).expect("a loopback URL");
    let token = ApiToken::parse("bench-token").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        source.fetch(&token).await.expect("the first balance");
        let (cpu0, switches0) = usage();
        for _ in 0..count {
            source.fetch(&token).await.expect("a balance");
        }
        let (cpu, switches) = usage();
        println!(
            "one request through the app's client: {:.3} ms CPU and {:.1} context switches \
             (mean over {count} requests in a row)",
            (cpu - cpu0) / f64::from(count),
            (switches - switches0) as f64 / f64::from(count),
        );
    });
}
