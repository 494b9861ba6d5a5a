//! Header rows: which file column holds which field. Chinese names are canonical; English
//! aliases and the names real exports use are accepted. Matching ignores case, spaces,
//! underscores, hyphens, required-markers (`*`, `(必填)`) and full-width forms.

use crate::Kind;
use std::collections::HashMap;

/// One column a kind understands.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    /// The canonical Chinese header.
    pub name: &'static str,
    /// Other accepted headers (Chinese synonyms and English).
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// The accepted values, for documentation and messages.
    pub format: &'static str,
}

pub(crate) const fn req(
    name: &'static str,
    aliases: &'static [&'static str],
    format: &'static str,
) -> Col {
    Col {
        name,
        aliases,
        required: true,
        format,
    }
}

pub(crate) const fn opt(
    name: &'static str,
    aliases: &'static [&'static str],
    format: &'static str,
) -> Col {
    Col {
        name,
        aliases,
        required: false,
        format,
    }
}

/// The columns of a kind, in the order of the documentation and example files.
pub fn columns_of(kind: Kind) -> &'static [Col] {
    crate::kinds::columns(kind)
}

/// The comparable form of a header.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // Full-width ASCII forms (（）ＡＰＰ) to their half-width twins.
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '【' | '〔' => '(',
            '】' | '〕' => ')',
            _ => c,
        };
        if c.is_whitespace() || matches!(c, '_' | '-' | '*' | '\u{feff}' | '　') {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    for marker in ["(必填)", "(选填)", "(可选)", "(必填项)", "(选填项)"] {
        if let Some(stripped) = out.strip_suffix(marker) {
            return stripped.to_string();
        }
    }
    out
}

/// How a file's header row maps onto a kind's columns.
#[derive(Debug, Clone)]
pub(crate) struct Mapping {
    /// For each of the kind's columns, the file column holding it.
    pub cols: Vec<Option<usize>>,
    /// The file's header cells as written.
    pub headers: Vec<String>,
    /// Headers the kind does not know (ignored).
    pub unknown: Vec<String>,
    /// Pairs of file headers that name the same column.
    pub duplicates: Vec<(String, String)>,
}

impl Mapping {
    pub fn new(columns: &[Col], headers: Vec<String>) -> Mapping {
        let lookup = lookup(columns);
        let mut cols = vec![None; columns.len()];
        let mut unknown = Vec::new();
        let mut duplicates = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let key = normalize(h);
            if key.is_empty() {
                continue;
            }
            let found = lookup
                .get(&key)
                .or_else(|| without_annotation(&key).and_then(|k| lookup.get(k)));
            match found {
                Some(&c) => match cols[c] {
                    None => cols[c] = Some(i),
                    Some(first) => duplicates.push((headers[first].clone(), h.clone())),
                },
                None => unknown.push(h.clone()),
            }
        }
        Mapping {
            cols,
            headers,
            unknown,
            duplicates,
        }
    }

    pub fn matched(&self) -> usize {
        self.cols.iter().filter(|c| c.is_some()).count()
    }

    pub fn missing_required<'c>(&self, columns: &'c [Col]) -> Vec<&'c Col> {
        columns
            .iter()
            .zip(&self.cols)
            .filter(|(c, m)| c.required && m.is_none())
            .map(|(c, _)| c)
            .collect()
    }

    /// The header of column `c` as the file writes it, or its canonical name.
    pub fn header_of(&self, columns: &[Col], c: usize) -> String {
        self.cols[c].map_or_else(|| columns[c].name.to_string(), |i| self.headers[i].clone())
    }

    /// One past the last named header cell.
    pub fn width(&self) -> usize {
        self.headers
            .iter()
            .rposition(|h| !h.trim().is_empty())
            .map_or(0, |i| i + 1)
    }
}

/// "评价时间(精确到秒)" → "评价时间": a trailing remark in parentheses, tried when the full
/// header is unknown. Remarks naming a multiplier (万, 亿) are kept, since dropping them
/// would silently read "29.19" of a "数值(万)" column as 29.19.
fn without_annotation(key: &str) -> Option<&str> {
    let body = key.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let remark = &body[open + 1..];
    if open == 0 || remark.contains('万') || remark.contains('亿') {
        return None;
    }
    Some(&body[..open])
}

fn lookup(columns: &[Col]) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for (i, c) in columns.iter().enumerate() {
        m.insert(normalize(c.name), i);
        for a in c.aliases {
            m.entry(normalize(a)).or_insert(i);
        }
    }
    m
}

/// "满意度（可用：满意度、评价结果、grade）".
pub(crate) fn describe_accepted(col: &Col) -> String {
    let mut names = vec![col.name];
    names.extend_from_slice(col.aliases);
    format!("{}（可用表头：{}）", col.name, names.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely() {
        assert_eq!(normalize(" 评价 编号 "), "评价编号");
        assert_eq!(normalize("办理时限（天）"), "办理时限(天)");
        assert_eq!(normalize("Rating_No"), "ratingno");
        assert_eq!(normalize("*满意度(必填)"), "满意度");
        assert_eq!(normalize("ＡＰＰ"), "app");
        assert_eq!(without_annotation("评价时间(精确到秒)"), Some("评价时间"));
        assert_eq!(without_annotation("数值(万)"), None);
        assert_eq!(without_annotation("(备注)"), None);
        let m = Mapping::new(
            crate::kinds::columns(Kind::Ratings),
            vec!["满意度（代码）".into(), "数值(万)".into()],
        );
        assert_eq!(m.cols[9], Some(0));
        assert_eq!(m.unknown, vec!["数值(万)".to_string()]);
    }

    #[test]
    fn every_kind_has_unambiguous_headers() {
        for kind in Kind::ALL {
            let cols = columns_of(kind);
            let mut seen: HashMap<String, &str> = HashMap::new();
            for c in cols {
                for n in std::iter::once(&c.name).chain(c.aliases) {
                    if let Some(prev) = seen.insert(normalize(n), c.name)
                        && prev != c.name
                    {
                        panic!("{}: 「{n}」 names both {prev} and {}", kind.slug(), c.name);
                    }
                }
            }
        }
    }
}
