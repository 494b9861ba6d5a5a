//! Files handed to the browser: a `Content-Disposition` that keeps Chinese names (RFC 6266
//! with the RFC 5987 `filename*` form, plus an ASCII fallback for old clients), and CSV cells
//! that a spreadsheet will not run as formulas.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// `bytes` as a download named `name` (UTF-8, e.g. "2023年度报告.docx").
pub fn attachment(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `attachment; filename="…"; filename*=UTF-8''…`.
pub fn content_disposition(name: &str) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if e.is_ascii() && !e.is_empty() => (s, Some(e)),
        _ => (name, None),
    };
    let ascii: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    let ascii = if ascii.is_empty() {
        "download".to_string()
    } else {
        ascii
    };
    let fallback = match ext {
        Some(e) => format!("{ascii}.{}", e.replace(['"', '\\'], "")),
        None => ascii,
    };
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        rfc5987(name)
    )
}

fn rfc5987(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A cell that Excel, WPS or LibreOffice would read as a formula (`=`, `@`, a tab or CR
/// first, or `+`/`-` not starting a number) gets a leading apostrophe, which they show as
/// text (OWASP "CSV injection").
pub fn defuse_formula(cell: &str) -> String {
    let mut chars = cell.chars();
    let risky = match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !chars.next().is_some_and(|c| c.is_ascii_digit() || c == '.'),
        _ => false,
    };
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Rewrites a CSV file (UTF-8, BOM kept) with every cell defused.
pub fn defuse_csv(bytes: &[u8]) -> Result<Vec<u8>, csv::Error> {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut out = Vec::with_capacity(bytes.len() + 16);
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        for rec in reader.records() {
            let rec = rec?;
            w.write_record(rec.iter().map(defuse_formula))?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_survive_and_formulas_are_defused() {
        let d = content_disposition("2023年度报告.docx");
        assert!(
            d.starts_with("attachment; filename=\"2023.docx\"; filename*=UTF-8''2023%E5%B9%B4")
        );
        assert!(content_disposition("月报.md").contains("filename=\"download.md\""));
        assert_eq!(defuse_formula("=1+1"), "'=1+1");
        assert_eq!(defuse_formula("-5"), "-5");
        assert_eq!(defuse_formula("-cmd"), "'-cmd");
        assert_eq!(defuse_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse_formula("正常"), "正常");
        let csv = defuse_csv("\u{feff}a,b\n=HYPERLINK(\"x\"),2\n".as_bytes()).unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\",2"), "{text}");
    }
}
