//! Edits of the generated XML for what docx-rs cannot express.
//!
//! - docx-rs always writes an empty `Normal` style before the document's own styles; Word and
//!   LibreOffice take the first, so ours (16 pt 仿宋, which sizes LibreOffice's character
//!   grid) would be ignored. The empty one is removed.
//! - Our Normal style turns off the automatic space between Chinese and Latin text or digits
//!   (`w:autoSpaceDE`/`w:autoSpaceDN`), as 公文 templates do: "2023年10月31日" is set solid,
//!   which the 署名/成文日期 placement relies on.
//! - Header rows of tables get `w:tblHeader`, so they repeat on every page a table spans.
//!
//! Each edit checks that its anchor exists and reports an error otherwise, so a docx-rs
//! upgrade that changes its output fails loudly instead of producing a subtly wrong file.

use docx_rs::XMLDocx;

use crate::error::DocumentError;

const EMPTY_NORMAL: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>"#;
const NORMAL: &str = r#"w:styleId="Normal">"#;
const EMPTY_PPR: &str = "<w:pPr><w:rPr /></w:pPr>";
const NO_AUTOSPACE: &str =
    r#"<w:pPr><w:autoSpaceDE w:val="0" /><w:autoSpaceDN w:val="0" /><w:rPr /></w:pPr>"#;
const TABLE_OPEN: &str = "<w:tbl>";
const ROW_PROPS: &str = "<w:trPr>";

pub(super) fn apply(xml: &mut XMLDocx, header_rows: &[usize]) -> Result<(), DocumentError> {
    let styles =
        std::str::from_utf8(&xml.styles).map_err(|e| DocumentError::Docx(e.to_string()))?;
    if !styles.contains(EMPTY_NORMAL) {
        return Err(DocumentError::Docx(
            "docx-rs 的 styles.xml 格式已变化,无法设置正文样式(请检查 docx-rs 版本)".into(),
        ));
    }
    let styles = styles.replacen(EMPTY_NORMAL, "", 1);
    let normal = styles
        .find(NORMAL)
        .ok_or_else(|| DocumentError::Docx("styles.xml 中缺少正文样式".into()))?;
    let ppr = styles[normal..].find(EMPTY_PPR).ok_or_else(|| {
        DocumentError::Docx("docx-rs 的正文样式格式已变化(请检查 docx-rs 版本)".into())
    })? + normal;
    xml.styles = format!(
        "{}{NO_AUTOSPACE}{}",
        &styles[..ppr],
        &styles[ppr + EMPTY_PPR.len()..]
    )
    .into_bytes();
    let document =
        std::str::from_utf8(&xml.document).map_err(|e| DocumentError::Docx(e.to_string()))?;
    xml.document = mark_header_rows(document, header_rows)?.into_bytes();
    Ok(())
}

/// Inserts `<w:tblHeader />` into the first `n` row property blocks of the k-th table, for
/// `n = header_rows[k]`. Tables are not nested in our documents.
fn mark_header_rows(document: &str, header_rows: &[usize]) -> Result<String, DocumentError> {
    let mut out = String::with_capacity(document.len() + header_rows.iter().sum::<usize>() * 16);
    let mut rest = document;
    for (k, &n) in header_rows.iter().enumerate() {
        let start = rest.find(TABLE_OPEN).ok_or_else(|| {
            DocumentError::Docx(format!("document.xml 中找不到第 {} 个表格", k + 1))
        })?;
        out.push_str(&rest[..start + TABLE_OPEN.len()]);
        rest = &rest[start + TABLE_OPEN.len()..];
        for _ in 0..n {
            let at = rest.find(ROW_PROPS).ok_or_else(|| {
                DocumentError::Docx(format!("第 {} 个表格的表头行缺少行属性", k + 1))
            })? + ROW_PROPS.len();
            out.push_str(&rest[..at]);
            out.push_str("<w:tblHeader />");
            rest = &rest[at..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_header_rows_of_each_table_are_marked() {
        let row = "<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>";
        let doc = format!(
            "<w:body><w:tbl>{row}{row}{row}</w:tbl><w:p/><w:tbl>{row}{row}</w:tbl></w:body>"
        );
        let out = mark_header_rows(&doc, &[2, 1]).unwrap();
        // a table without header rows is skipped, not counted twice
        let skipped = mark_header_rows(&doc, &[0, 1]).unwrap();
        assert_eq!(
            skipped
                .split("<w:tbl>")
                .map(|t| t.matches("<w:tblHeader />").count())
                .collect::<Vec<_>>(),
            vec![0, 0, 1]
        );
        let marked: Vec<usize> = out
            .split("<w:tbl>")
            .skip(1)
            .map(|t| t.matches("<w:tblHeader />").count())
            .collect();
        assert_eq!(marked, vec![2, 1]);
        assert_eq!(out.matches("<w:tr>").count(), 5);
    }

    #[test]
    fn a_missing_table_is_an_error() {
        assert!(mark_header_rows("<w:body/>", &[1]).is_err());
    }
}
