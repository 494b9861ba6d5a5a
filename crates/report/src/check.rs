//! Figure checks: does a table add up? A table a district or department submits (or one of
//! the report's own) has rows with a total, category counts and printed percentages. The
//! rules:
//!
//! 1. the categories of a row (two or more count columns besides the total) add up to
//!    its total;
//! 2. a total row (合计, 全市 …) is the sum of the other rows, column by column;
//! 3. every printed percentage follows from the row's counts under the bureau's rounding
//!    rule ([`RatePolicy`], at the decimals the cell prints);
//! 4. no rate is above 100%.
//!
//! Which counts a percentage is computed from is given by the report for its own tables
//! and inferred for submitted ones: of the candidate formulas (a category named like the
//! column, running sums of the categories from either end, the row's share of the total
//! row) the one most rows satisfy is the column's formula, and the rows it fails are
//! reported. Positions are as a spreadsheet shows them: line 1 is the header, columns A, B ….

use jianping_core::RatePolicy;
use serde::Serialize;

/// A table as text, the way it was printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The file name (or the report table's caption).
    pub name: String,
    pub header_line: u64,
    pub header: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The line a spreadsheet shows.
    pub line: u64,
    pub cells: Vec<String>,
}

impl Sheet {
    /// A sheet from a file's non-blank rows (line, cells): the header is the first row with
    /// two or more filled cells, so a title row above it ("某区10月好差评情况") is skipped.
    pub fn from_rows(name: &str, rows: Vec<(u64, Vec<String>)>) -> Option<Sheet> {
        let filled = |cells: &[String]| cells.iter().filter(|c| !c.trim().is_empty()).count();
        let mut rows = rows.into_iter().skip_while(|(_, cells)| filled(cells) < 2);
        let (header_line, header) = rows.next()?;
        Some(Sheet {
            name: name.to_string(),
            header_line,
            header,
            rows: rows.map(|(line, cells)| SheetRow { line, cells }).collect(),
        })
    }
}

/// How a percentage column is computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Formula {
    /// Sum of these count columns over the row's total (or, without a total column, over
    /// the sum of the categories).
    Parts(Vec<usize>),
    /// This column's value over the same column of the total row (or the column's sum).
    ShareOfTotal(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Percent {
    pub column: usize,
    /// `None`: inferred from the data.
    pub formula: Option<Formula>,
}

/// Which columns are what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    pub label: usize,
    pub total: Option<usize>,
    pub parts: Vec<usize>,
    pub percents: Vec<Percent>,
    /// Index into `rows` of the total row.
    pub total_row: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    PartsSum,
    TotalRow,
    Percentage,
    OverHundred,
    NotANumber,
    NoFormula,
}

/// One figure that does not add up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub table: String,
    pub line: u64,
    /// "D".
    pub column: String,
    pub header: String,
    pub rule: Rule,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} 第{}行 {}列（{}）：{}",
            self.table, self.line, self.column, self.header, self.message
        )
    }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Column letters back to an index ("D" → 3).
pub fn column_index(letters: &str) -> Option<usize> {
    let mut n = 0usize;
    for c in letters.trim().chars() {
        let c = c.to_ascii_uppercase();
        if !c.is_ascii_uppercase() {
            return None;
        }
        n = n * 26 + (c as usize - 'A' as usize + 1);
    }
    n.checked_sub(1)
}

const TOTAL_HEADERS: &[&str] = &["合计", "总计", "总数", "总量", "共计", "总", "total"];
const TOTAL_ROWS: &[&str] = &[
    "合计", "总计", "共计", "汇总", "全市", "全区", "全县", "全旗", "总体", "total",
];
const PERCENT_HEADERS: &[&str] = &["率", "占比", "比例", "百分比", "%", "share", "rate"];

/// A count: digits with optional thousands separators.
pub fn parse_count(s: &str) -> Option<u64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// A printed percentage as (value × 10^decimals, decimals): "66.39%" → (6639, 2). A bare
/// number ≤ 1 is a spreadsheet fraction (0.6639 → 66.39%); above 1 a percentage.
pub fn parse_percent(s: &str) -> Option<(u128, u8)> {
    let t = s.trim();
    let (num, fraction) = match t.strip_suffix('%').or_else(|| t.strip_suffix('％')) {
        Some(n) => (n.trim(), false),
        None => (t, t.parse::<f64>().is_ok_and(|v| v <= 1.0)),
    };
    let (int, dec) = num.split_once('.').unwrap_or((num, ""));
    if int.is_empty() && dec.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !dec.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let digits: u128 = format!("{int}{dec}").parse().ok()?;
    let decimals = dec.len() as u8;
    if fraction {
        // 0.6639 = 66.39%: two fewer decimals as a percentage.
        return match decimals.checked_sub(2) {
            Some(d) => Some((digits, d)),
            None => Some((digits * 10u128.pow(u32::from(2 - decimals)), 0)),
        };
    }
    Some((digits, decimals))
}

fn matches_any(header: &str, words: &[&str]) -> bool {
    let h = header.trim().to_lowercase();
    words.iter().any(|w| h.contains(w))
}

/// The layout a submitted table most likely has (see the module documentation).
pub fn infer_layout(sheet: &Sheet) -> Layout {
    let width = sheet
        .rows
        .iter()
        .map(|r| r.cells.len())
        .chain(std::iter::once(sheet.header.len()))
        .max()
        .unwrap_or(0);
    fn cell(r: &SheetRow, c: usize) -> &str {
        r.cells.get(c).map_or("", |s| s.trim())
    }
    let filled = |c: usize| {
        sheet
            .rows
            .iter()
            .map(move |r| cell(r, c))
            .filter(|v| !v.is_empty())
    };
    let header = |c: usize| sheet.header.get(c).map_or("", String::as_str);
    let mut percents = Vec::new();
    let mut counts = Vec::new();
    let mut label = None;
    for c in 0..width {
        let n = filled(c).count();
        if n == 0 {
            continue;
        }
        let pct_cells = filled(c)
            .filter(|v| v.ends_with('%') || v.ends_with('％'))
            .count();
        if pct_cells * 2 >= n
            || (matches_any(header(c), PERCENT_HEADERS)
                && filled(c).all(|v| parse_percent(v).is_some()))
        {
            percents.push(Percent {
                column: c,
                formula: None,
            });
        } else if filled(c).all(|v| parse_count(v).is_some()) {
            counts.push(c);
        } else if label.is_none() {
            label = Some(c);
        }
    }
    let total = counts
        .iter()
        .copied()
        .find(|c| matches_any(header(*c), TOTAL_HEADERS));
    let parts = counts
        .iter()
        .copied()
        .filter(|c| Some(*c) != total)
        .collect();
    let label = label.unwrap_or(0);
    let total_row = sheet
        .rows
        .iter()
        .position(|r| matches_any(cell(r, label), TOTAL_ROWS));
    Layout {
        label,
        total,
        parts,
        percents,
        total_row,
    }
}

struct Checker<'a> {
    sheet: &'a Sheet,
    layout: &'a Layout,
    policy: &'a RatePolicy,
    findings: Vec<Finding>,
}

impl Checker<'_> {
    fn cell(&self, row: usize, col: usize) -> &str {
        self.sheet.rows[row].cells.get(col).map_or("", |s| s.trim())
    }

    fn header(&self, col: usize) -> String {
        self.sheet.header.get(col).cloned().unwrap_or_default()
    }

    fn push(&mut self, row: Option<usize>, col: usize, rule: Rule, message: String) {
        let line = row.map_or(self.sheet.header_line, |r| self.sheet.rows[r].line);
        self.findings.push(Finding {
            table: self.sheet.name.clone(),
            line,
            column: column_letter(col),
            header: self.header(col),
            rule,
            message,
        });
    }

    /// The count in a cell; a non-number is a finding, an empty cell is `None`.
    fn count(&mut self, row: usize, col: usize) -> Option<u64> {
        let v = self.cell(row, col).to_string();
        if v.is_empty() || v == "—" || v == "-" {
            return None;
        }
        let n = parse_count(&v);
        if n.is_none() {
            self.push(Some(row), col, Rule::NotANumber, format!("“{v}”不是计数"));
        }
        n
    }

    fn parts_sum(&mut self, row: usize, cols: &[usize]) -> Option<u64> {
        let mut sum = 0;
        for c in cols {
            sum += self.count(row, *c)?;
        }
        Some(sum)
    }

    fn rows(&self) -> usize {
        self.sheet.rows.len()
    }

    fn check_parts(&mut self) {
        let Some(total) = self.layout.total else {
            return;
        };
        let parts = self.layout.parts.clone();
        // One count beside the total is a subset of it (办结 of 受理), not a breakdown.
        if parts.len() < 2 {
            return;
        }
        for r in 0..self.rows() {
            let (Some(t), Some(sum)) = (self.count(r, total), self.parts_sum(r, &parts)) else {
                continue;
            };
            if t != sum {
                let names: Vec<String> = parts.iter().map(|c| self.header(*c)).collect();
                self.push(
                    Some(r),
                    total,
                    Rule::PartsSum,
                    format!(
                        "各分类（{}）之和为 {sum}，与合计 {t} 不符（{}{}）",
                        names.join("、"),
                        if sum > t { "多" } else { "少" },
                        sum.abs_diff(t)
                    ),
                );
            }
        }
    }

    fn check_total_row(&mut self) {
        let Some(tr) = self.layout.total_row else {
            return;
        };
        let cols: Vec<usize> = self
            .layout
            .total
            .into_iter()
            .chain(self.layout.parts.iter().copied())
            .collect();
        for c in cols {
            let Some(want) = self.count(tr, c) else {
                continue;
            };
            let mut sum = 0;
            let mut complete = true;
            for r in (0..self.rows()).filter(|r| *r != tr) {
                match self.count(r, c) {
                    Some(n) => sum += n,
                    None => complete = false,
                }
            }
            if complete && sum != want {
                self.push(
                    Some(tr),
                    c,
                    Rule::TotalRow,
                    format!(
                        "其余各行之和为 {sum}，与本行 {want} 不符（{}{}）",
                        if sum > want { "多" } else { "少" },
                        sum.abs_diff(want)
                    ),
                );
            }
        }
    }

    /// (numerator, denominator) of a formula in a row; `None` when a count is missing.
    fn operands(&mut self, row: usize, f: &Formula) -> Option<(u64, u64)> {
        match f {
            Formula::Parts(cols) => {
                let num = self.parts_sum(row, cols)?;
                let den = match self.layout.total {
                    Some(t) => self.count(row, t)?,
                    None => self.parts_sum(row, &self.layout.parts.clone())?,
                };
                Some((num, den))
            }
            Formula::ShareOfTotal(c) => {
                let num = self.count(row, *c)?;
                let den = match self.layout.total_row {
                    Some(tr) => self.count(tr, *c)?,
                    None => {
                        let mut s = 0;
                        for r in 0..self.rows() {
                            s += self.count(r, *c)?;
                        }
                        s
                    }
                };
                Some((num, den))
            }
        }
    }

    fn expected(&self, num: u64, den: u64, decimals: u8) -> Option<u128> {
        self.policy
            .with_precision(decimals)
            .scaled_percent(num, den)
    }

    fn holds(&mut self, row: usize, col: usize, f: &Formula) -> Option<bool> {
        let (printed, d) = parse_percent(self.cell(row, col))?;
        let (num, den) = self.operands(row, f)?;
        Some(self.expected(num, den, d) == Some(printed))
    }

    fn candidates(&self, col: usize) -> Vec<Formula> {
        let parts = &self.layout.parts;
        let name = self.header(col);
        let stem = PERCENT_HEADERS
            .iter()
            .fold(name.trim().to_string(), |s, w| {
                s.trim_end_matches(w).to_string()
            });
        let mut v = Vec::new();
        if let Some(c) = parts
            .iter()
            .find(|c| !stem.is_empty() && self.header(**c).trim() == stem)
        {
            v.push(Formula::Parts(vec![*c]));
        }
        for k in 1..=parts.len() {
            v.push(Formula::Parts(parts[..k].to_vec()));
            v.push(Formula::Parts(parts[parts.len() - k..].to_vec()));
        }
        if let Some(c) = self.layout.total.or(match parts.as_slice() {
            [one] => Some(*one),
            _ => None,
        }) {
            v.push(Formula::ShareOfTotal(c));
        }
        v.dedup();
        v
    }

    /// The candidate most rows satisfy (earlier candidates win ties).
    fn infer(&mut self, col: usize) -> Option<Formula> {
        let mut best: Option<(usize, Formula)> = None;
        let saved = self.findings.len();
        for f in self.candidates(col) {
            let n = (0..self.rows())
                .filter(|r| self.holds(*r, col, &f) == Some(true))
                .count();
            if n > 0 && best.as_ref().is_none_or(|(m, _)| n > *m) {
                best = Some((n, f));
            }
        }
        // Trying candidates must not report cells twice.
        self.findings.truncate(saved);
        best.map(|(_, f)| f)
    }

    fn check_percent(&mut self, p: &Percent) {
        let col = p.column;
        for r in 0..self.rows() {
            let v = self.cell(r, col).to_string();
            if let Some((printed, d)) = parse_percent(&v)
                && printed > 100 * 10u128.pow(u32::from(d))
            {
                self.push(
                    Some(r),
                    col,
                    Rule::OverHundred,
                    format!("比例 {v} 超过 100%"),
                );
            }
        }
        let formula = match &p.formula {
            Some(f) => f.clone(),
            None => match self.infer(col) {
                Some(f) => f,
                None => {
                    self.push(
                        None,
                        col,
                        Rule::NoFormula,
                        "该列的百分比与本表任何计数组合都对不上，无法核对".into(),
                    );
                    return;
                }
            },
        };
        for r in 0..self.rows() {
            let v = self.cell(r, col).to_string();
            let Some((printed, d)) = parse_percent(&v) else {
                continue;
            };
            if printed > 100 * 10u128.pow(u32::from(d)) {
                continue;
            }
            let Some((num, den)) = self.operands(r, &formula) else {
                continue;
            };
            let want = self.policy.with_precision(d).format(num, den);
            if self.expected(num, den, d) != Some(printed) {
                let rule = match self.policy.rounding {
                    jianping_core::Rounding::HalfUp => "四舍五入",
                    jianping_core::Rounding::Truncate => "截断",
                };
                self.push(
                    Some(r),
                    col,
                    Rule::Percentage,
                    format!("印为 {v}，但 {num} ÷ {den} 按{rule}保留{d}位小数应为 {want}"),
                );
            }
        }
    }
}

/// Every finding of `sheet` under `layout`, in rule order then table order.
pub fn check(sheet: &Sheet, layout: &Layout, policy: &RatePolicy) -> Vec<Finding> {
    let mut c = Checker {
        sheet,
        layout,
        policy,
        findings: Vec::new(),
    };
    c.check_parts();
    c.check_total_row();
    for p in &layout.percents {
        c.check_percent(p);
    }
    // A cell that is not a number is met by several rules; report it once.
    let mut out: Vec<Finding> = Vec::with_capacity(c.findings.len());
    for f in c.findings {
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out
}
