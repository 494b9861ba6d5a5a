//! Any bytes as a CSV export of any kind: the importer must answer with records, rejects
//! or an error naming the file, never panic or hang.
#![no_main]

use jianping_fuzz::read_all;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the kind, so one corpus covers all fourteen.
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = rest.to_vec();
    // Keep the sheet path for import_xlsx: a ZIP or OLE signature is read as a workbook.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        bytes.insert(0, b' ');
    }
    read_all("fuzz.csv", bytes, pick);
});
