//! Any bytes as an XLSX/XLS workbook of any kind (the ZIP signature is supplied when the
//! input lacks it, so mutations stay on the spreadsheet path).
#![no_main]

use jianping_fuzz::read_all;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let bytes = if rest.starts_with(b"PK\x03\x04") || rest.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        rest.to_vec()
    } else {
        [b"PK\x03\x04".as_slice(), rest].concat()
    };
    read_all("fuzz.xlsx", bytes, pick);
});
