//! What the suspicious-rating audit reads: the period's ratings (only the columns it needs,
//! with text interned), the windows with their department and hall, the staff identities
//! and the platform's logins. Nothing here writes.

use crate::backend::{Row, RowExt, Value};
use crate::{Dialect, Store, StoreError};
use jianping_core::audit::{
    AuditFindings, AuditInput, AuditRating, AuditRules, StaffInfo, Strings, WindowInfo, audit,
    has_default_tag, normalize_account, normalize_phone, seconds_of,
};
use jianping_core::{Channel, Grade, GradeCodes, Period};
use std::collections::HashMap;

/// Ratings ids per page: the rows of one page are held as generic values (~0.5 KB each), so
/// paging keeps a million-rating audit's memory to its compact form.
const PAGE: i64 = 100_000;

impl Store {
    /// The suspicious-rating audit of `period`, with 评价编号 for each flag's examples.
    pub fn rating_audit(
        &mut self,
        period: &Period,
        rules: &AuditRules,
    ) -> Result<AuditFindings, StoreError> {
        let input = self.audit_input(period)?;
        let mut findings = audit(&input, rules);
        drop(input);
        let ids: Vec<i64> = findings
            .flags
            .iter()
            .flat_map(|f| f.example_ids.iter().copied())
            .collect();
        let numbers = self.rating_numbers(&ids)?;
        for f in &mut findings.flags {
            f.examples = f
                .example_ids
                .iter()
                .filter_map(|i| numbers.get(i).cloned())
                .collect();
        }
        Ok(findings)
    }

    /// The audit's input for `period`: every rating rated in it, appealed or not.
    pub fn audit_input(&mut self, period: &Period) -> Result<AuditInput, StoreError> {
        let mut input = AuditInput {
            strings: Strings::new(),
            ..AuditInput::default()
        };
        // Identities first: a rating's phone or account is kept only when it is one of
        // them, so a million raters' numbers are never interned.
        input.windows = self.audit_windows()?;
        input.staff = self.audit_staff(&mut input.strings)?;
        input.logins = self
            .backend()
            .query("SELECT username FROM users", &[])?
            .iter()
            .filter_map(|r| normalize_account(&r.text(0)))
            .map(|a| input.strings.intern(&a))
            .collect();
        let (sql, suffixes) = self.audit_ratings_sql(&input);
        let (from, to) = (period.start_ts(), period.end_ts());
        let bounds = self
            .backend()
            .query("SELECT MIN(id), MAX(id) FROM ratings", &[])?;
        let (lo, hi) = bounds.first().map_or((0, -1), |r| {
            (r.opt_int(0).unwrap_or(0), r.opt_int(1).unwrap_or(-1))
        });
        // Pages are id ranges, not `ORDER BY id LIMIT`: PostgreSQL, its statistics stale
        // after a bulk load, sorted the whole table for every LIMIT page (21 s for 1M).
        let mut start = lo - 1;
        while start < hi {
            let end = start + PAGE;
            let mut params: Vec<Value> = suffixes.clone();
            params.extend([
                start.into(),
                end.into(),
                from.as_str().into(),
                to.as_str().into(),
            ]);
            for r in self.backend().query(&sql, &params)? {
                input.ratings.push(audit_rating(&r, &mut input.strings)?);
            }
            start = end;
        }
        Ok(input)
    }

    /// The page query. Most of a page's cost is its text values, so the database does what
    /// it can: the time comes as seconds, the tags only when they mention 默认, the rater's
    /// phone only when its last four characters are those of some staff member's phone
    /// (up to 2,000 distinct endings; beyond that every phone comes back).
    fn audit_ratings_sql(&self, input: &AuditInput) -> (String, Vec<Value>) {
        let seconds = match self.dialect() {
            Dialect::Sqlite => "CAST(strftime('%s', rated_at) AS BIGINT)",
            Dialect::Postgres => "CAST(EXTRACT(EPOCH FROM CAST(rated_at AS TIMESTAMP)) AS BIGINT)",
        };
        let mut suffixes: Vec<String> = input
            .staff
            .iter()
            .map(|s| input.strings.text(s.phone))
            .filter(|p| p.len() >= 4)
            .map(|p| p[p.len() - 4..].to_string())
            .collect();
        suffixes.sort();
        suffixes.dedup();
        let phone = if suffixes.is_empty() {
            "NULL".to_string()
        } else if suffixes.len() > 2000 {
            suffixes.clear();
            "rater_phone".to_string()
        } else {
            format!(
                "CASE WHEN substr(trim(rater_phone), length(trim(rater_phone)) - 3) IN ({}) \
                 THEN rater_phone END",
                vec!["?"; suffixes.len()].join(", ")
            )
        };
        let sql = format!(
            "SELECT id, window_id, staff_id, grade, channel, {seconds}, device, address, \
             account, {phone}, CASE WHEN tags LIKE '%默认%' THEN tags END FROM ratings \
             WHERE id > ? AND id <= ? AND rated_at >= ? AND rated_at <= ?"
        );
        (sql, suffixes.into_iter().map(Value::Text).collect())
    }

    fn audit_windows(&mut self) -> Result<HashMap<i64, WindowInfo>, StoreError> {
        let rows = self.backend().query(
            "SELECT w.id, w.name, w.department_id, d.name, w.hall_id, h.name FROM windows w \
             LEFT JOIN departments d ON d.id = w.department_id \
             LEFT JOIN halls h ON h.id = w.hall_id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| {
                let info = WindowInfo {
                    name: r.text(1),
                    department: r.opt_int(2).map(|id| (id, r.text(3))),
                    hall: r.opt_int(4).map(|id| (id, r.text(5))),
                };
                (r.int(0), info)
            })
            .collect())
    }

    fn audit_staff(&mut self, strings: &mut Strings) -> Result<Vec<StaffInfo>, StoreError> {
        let rows = self.backend().query(
            "SELECT s.id, s.name, d.name, s.phone, s.account FROM staff s \
             JOIN departments d ON d.id = s.department_id ORDER BY s.id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| StaffInfo {
                id: r.int(0),
                name: r.text(1),
                department: r.text(2),
                phone: intern_with(strings, r.opt_text(3), normalize_phone),
                account: intern_with(strings, r.opt_text(4), normalize_account),
            })
            .collect())
    }

    /// 评价编号 of ratings by id (for a flag's examples).
    pub fn rating_numbers(&mut self, ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let params: Vec<Value> = chunk.iter().map(|i| Value::Int(*i)).collect();
            let sql = format!("SELECT id, rating_no FROM ratings WHERE id IN ({marks})");
            for r in self.backend().query(&sql, &params)? {
                out.insert(r.int(0), r.text(1));
            }
        }
        Ok(out)
    }
}

fn intern_with(
    strings: &mut Strings,
    raw: Option<String>,
    normalize: fn(&str) -> Option<String>,
) -> u32 {
    raw.as_deref()
        .and_then(normalize)
        .map_or(0, |v| strings.intern(&v))
}

/// The id of an already interned identity, 0 for any other value.
fn known(strings: &Strings, raw: &str, normalize: fn(&str) -> Option<String>) -> u32 {
    if raw.is_empty() {
        return 0;
    }
    normalize(raw).and_then(|v| strings.get(&v)).unwrap_or(0)
}

fn audit_rating(r: &Row, strings: &mut Strings) -> Result<AuditRating, StoreError> {
    let id = r.int(0);
    let bad = |what: &str| StoreError::Invalid(format!("评价（内部编号 {id}）的{what}无效"));
    let grade = Grade::from_code(r.int(3), GradeCodes::Gbt39046).ok_or_else(|| bad("满意度"))?;
    let channel = Channel::from_code(r.int(4)).ok_or_else(|| bad("评价渠道"))?;
    let at = match r.get(5) {
        Some(Value::Int(s)) => Some(*s),
        Some(Value::Text(t)) => seconds_of(t),
        _ => None,
    }
    .ok_or_else(|| bad("评价时间"))?;
    let text = |i: usize| r.get(i).and_then(Value::as_str).unwrap_or("");
    Ok(AuditRating {
        id,
        window: r.opt_int(1).unwrap_or(0),
        staff: r.opt_int(2).unwrap_or(0),
        grade,
        channel,
        at,
        device: strings.intern(text(6).trim()),
        address: strings.intern(text(7).trim()),
        account: known(strings, text(8), normalize_account),
        phone: known(strings, text(9), normalize_phone),
        default_tag: has_default_tag(text(10)),
    })
}
