//! A plain table of strings and its renderings: an aligned terminal table (CJK characters
//! count double width) and CSV with a UTF-8 BOM, which Excel needs to read Chinese.

use comfy_table::{CellAlignment, ContentArrangement, presets};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: Vec<String>, rows: Vec<Vec<String>>) -> Table {
        Table { headers, rows }
    }

    /// Box-drawn, the first column left-aligned and the figures right-aligned.
    pub fn to_text(&self) -> String {
        let mut t = comfy_table::Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(self.headers.clone());
        for r in &self.rows {
            t.add_row(r.clone());
        }
        for (i, c) in t.column_iter_mut().enumerate() {
            if i > 0 {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        format!("{t}\n")
    }

    /// CSV with a UTF-8 byte-order mark and CRLF line ends, as Excel expects.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            // Writing to memory cannot fail.
            let _ = w.write_record(&self.headers);
            for r in &self.rows {
                let _ = w.write_record(r);
            }
            let _ = w.flush();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Terminal columns of a character: CJK ideographs and full-width forms take two.
    fn display_width(c: char) -> usize {
        if ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c) {
            2
        } else {
            1
        }
    }

    fn sample() -> Table {
        Table::new(
            vec!["部门".into(), "评价数".into()],
            vec![
                vec!["海南区人力资源和社会保障局".into(), "9".into()],
                vec!["A, \"B\"".into(), "10".into()],
            ],
        )
    }

    #[test]
    fn cjk_columns_line_up() {
        let text = sample().to_text();
        let widths: Vec<usize> = text
            .lines()
            .map(|l| l.chars().map(display_width).sum())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
        assert!(text.contains("海南区人力资源和社会保障局"));
    }

    #[test]
    fn csv_has_a_bom_and_quotes() {
        let csv = sample().to_csv();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "部门,评价数\r\n海南区人力资源和社会保障局,9\r\n\"A, \"\"B\"\"\",10\r\n"
        );
    }
}
