//! Any text as a balance: refused with a reason, or read exactly (the same number back).
#![no_main]

use clickatell_core::clickatell::parse_exact;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(value) = parse_exact(text) {
        assert_eq!(parse_exact(&value.to_string()).unwrap(), value);
    }
});
