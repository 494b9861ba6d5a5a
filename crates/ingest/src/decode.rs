//! Text encodings of CSV exports. Chinese systems write UTF-8 (often with a BOM, which Excel
//! needs) or GBK/GB18030 (what Excel and WPS save as "CSV" on a Chinese Windows).
//!
//! Rule: a BOM wins; otherwise the first MiB decides (valid UTF-8 → UTF-8, else GB18030);
//! when that sample is pure ASCII, the first non-ASCII field decides. GB18030 is a superset
//! of GBK and GB2312, so one decoder covers all three.
//!
//! Fields are decoded one by one after the CSV parser has split the raw bytes. That is sound
//! for GB18030: its multi-byte sequences never contain the bytes of `,`, `"`, CR or LF.

/// How many bytes are inspected to decide the encoding.
pub(crate) const SAMPLE: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Gb18030,
    /// Nothing but ASCII seen so far.
    Undecided,
}

impl Encoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030/GBK",
            Encoding::Undecided => "ASCII",
        }
    }
}

/// What the start of a file says about its encoding: the encoding and the BOM length to skip.
pub(crate) fn detect(sample: &[u8]) -> Result<(Encoding, usize), String> {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok((Encoding::Utf8, 3));
    }
    if sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]) {
        return Err(
            "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请在 Excel/WPS 中另存为“CSV UTF-8”或 XLSX 后再导入"
                .into(),
        );
    }
    if sample.is_ascii() {
        return Ok((Encoding::Undecided, 0));
    }
    Ok((
        if valid_utf8_prefix(sample) {
            Encoding::Utf8
        } else {
            Encoding::Gb18030
        },
        0,
    ))
}

/// Valid UTF-8, allowing the sample to end in the middle of a character.
fn valid_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// Decodes one field, appending it to `out`; settles an undecided encoding on first use.
pub(crate) fn decode_into(
    enc: &mut Encoding,
    bytes: &[u8],
    out: &mut String,
) -> Result<(), String> {
    if bytes.is_ascii() {
        // ASCII is the same in every supported encoding.
        out.push_str(std::str::from_utf8(bytes).unwrap_or_default());
        return Ok(());
    }
    if *enc == Encoding::Undecided {
        *enc = if std::str::from_utf8(bytes).is_ok() {
            Encoding::Utf8
        } else {
            Encoding::Gb18030
        };
    }
    match enc {
        Encoding::Utf8 | Encoding::Undecided => match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                Ok(())
            }
            Err(_) => Err(
                "含有不是 UTF-8 的字节（文件可能混用了编码）：请用 Excel/WPS 打开后另存为“CSV UTF-8”再导入"
                    .into(),
            ),
        },
        Encoding::Gb18030 => {
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(s) => {
                    out.push_str(&s);
                    Ok(())
                }
                None => Err(
                    "含有无法按 GB18030/GBK 解码的字节（文件可能混用了编码）：请另存为“CSV UTF-8”再导入"
                        .into(),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_and_samples_decide() {
        assert_eq!(detect(b"\xEF\xBB\xBFa,b").unwrap(), (Encoding::Utf8, 3));
        assert!(detect(b"\xFF\xFEa\0").is_err());
        assert_eq!(detect("评价,b".as_bytes()).unwrap().0, Encoding::Utf8);
        let (gbk, _, _) = encoding_rs::GBK.encode("评价编号,满意度");
        assert_eq!(detect(&gbk).unwrap().0, Encoding::Gb18030);
        assert_eq!(detect(b"no,grade").unwrap().0, Encoding::Undecided);
        // A sample cut inside a three-byte character is still UTF-8.
        let s = "满意度".as_bytes();
        assert_eq!(detect(&s[..4]).unwrap().0, Encoding::Utf8);
    }

    #[test]
    fn undecided_settles_on_the_first_non_ascii_field() {
        let (gbk, _, _) = encoding_rs::GBK.encode("非常满意");
        let mut enc = Encoding::Undecided;
        let mut out = String::new();
        decode_into(&mut enc, b"abc", &mut out).unwrap();
        assert_eq!(enc, Encoding::Undecided);
        decode_into(&mut enc, &gbk, &mut out).unwrap();
        assert_eq!(enc, Encoding::Gb18030);
        assert_eq!(out, "abc非常满意");
        let mut utf = Encoding::Utf8;
        assert!(decode_into(&mut utf, &gbk, &mut out).is_err());
    }
}
