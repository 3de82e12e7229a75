//! What the benchmarks measure of their own process, shared by the examples that include it.

/// CPU time (ms) and context switches of this process so far, from `/proc/self`.
pub fn usage() -> (f64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("stat has a command")
        .1
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let switches = status
        .lines()
        .filter(|l| l.contains("ctxt_switches"))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum();
    // The kernel's clock ticks are 100 a second on Linux.
    (ticks * 10.0, switches)
}
