//! Any bytes as a rating posted to the intake as JSON: parsed into a `RatingRecord` (or
//! refused), then validated and keyed like every stored rating.
#![no_main]

use jianping_core::records::RatingRecord;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = serde_json::from_slice::<RatingRecord>(data) {
        let _ = r.validate();
        let _ = jianping_ingest::kinds::derived_rating_no(&r);
        let _ = serde_json::to_string(&r);
    }
});
