//! What the importer targets share: read every chunk of a file of the kind the first byte
//! picks, and use every part of the answer a caller would (messages, rejects file lines).

use jianping_ingest::{Importer, Kind, Options};

/// Reads `bytes` as a file named `name` of kind `Kind::ALL[pick % 14]` to the end.
pub fn read_all(name: &str, bytes: Vec<u8>, pick: u8) {
    let kind = Kind::ALL[usize::from(pick) % Kind::ALL.len()];
    let opts = Options {
        grade_codes: if pick & 0x80 == 0 {
            jianping_core::GradeCodes::Gbt39046
        } else {
            jianping_core::GradeCodes::Interface
        },
        chunk_size: 64,
        ..Options::default()
    };
    let mut imp = match Importer::from_bytes(name, bytes, kind, &opts) {
        Ok(i) => i,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let _ = (imp.notes().len(), imp.header().len(), imp.describe_format());
    loop {
        match imp.next_chunk() {
            Ok(Some(chunk)) => {
                for r in &chunk.rejects {
                    let _ = (r.lines(name), r.reason());
                }
                let _ = chunk.batch.len();
            }
            Ok(None) => break,
            Err(e) => {
                let _ = e.to_string();
                break;
            }
        }
    }
    let _ = imp.progress();
}
