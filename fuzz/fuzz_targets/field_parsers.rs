//! Any text through the parsers of single values that both importers and the intake use.
#![no_main]

use jianping_core::audit::{normalize_account, normalize_phone, seconds_of};
use jianping_core::{Channel, Grade, GradeCodes, RegionCode, calendar, time};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Grade::parse(text, GradeCodes::Gbt39046);
    let _ = Grade::parse(text, GradeCodes::Interface);
    let _ = Channel::parse(text);
    let _ = RegionCode::parse(text);
    let _ = time::parse_date(text);
    if let Ok(t) = time::parse_datetime(text) {
        // What parses prints and parses back to itself.
        assert_eq!(time::parse_datetime(&time::fmt_ts(&t)), Ok(t));
    }
    let _ = calendar::parse_csv(text);
    let _ = normalize_phone(text);
    let _ = normalize_account(text);
    let _ = seconds_of(text);
    let _ = jianping_core::privacy::mask_free_text(text);
});
