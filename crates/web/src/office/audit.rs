//! `/office/audit`: the audit log of writes and the log of unmasked views of personal data,
//! for the auditor alone (the store's `audit_search` / `access_search` ask `authorize`
//! `ViewAccessLog`; anyone else gets 403). Filtered by user, action and day, paged; the
//! CSV export neutralises spreadsheet formulas.

use crate::auth::Staff;
use crate::error::{PageError, PageResult};
use crate::office::ledger::v;
use crate::pages::render;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use jianping_store::accounts::AuditFilter;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const PAGE_SIZE: u64 = 50;
const EXPORT_LIMIT: u64 = 100_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/audit", get(page))
        .route("/office/audit/export", get(export))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
struct AuditQuery {
    user: String,
    action: String,
    from: String,
    to: String,
    page: String,
    /// `writes` (the audit log) or `views` (unmasked views).
    log: String,
}

impl AuditQuery {
    fn filter(&self) -> Result<AuditFilter, BTreeMap<String, String>> {
        let mut errors = BTreeMap::new();
        let mut day = |field: &str, t: &str| -> Option<NaiveDate> {
            let t = t.trim();
            if t.is_empty() {
                return None;
            }
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map_err(|_| {
                    errors.insert(field.to_string(), "日期格式应为 2023-10-31".to_string())
                })
                .ok()
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errors.insert("to".into(), "截止日期不能早于起始日期".into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(AuditFilter {
            user: text(&self.user),
            action: text(&self.action),
            from,
            to,
        })
    }

    fn views(&self) -> bool {
        self.log == "views"
    }

    fn query_string(&self) -> String {
        [
            ("log", &self.log),
            ("user", &self.user),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", crate::auth::urlencode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// A log row as the page and the export show it.
#[derive(Serialize)]
struct Line {
    at: String,
    user: String,
    role: String,
    action: String,
    target: String,
    detail: String,
}

async fn lines(
    state: &AppState,
    staff: &Staff,
    q: &AuditQuery,
    f: AuditFilter,
    page: (u64, u64),
) -> PageResult<(Vec<Line>, u64)> {
    let who = staff.principal.clone();
    let views = q.views();
    Ok(state
        .db(move |s| {
            Ok(if views {
                let p = s.access_search(&who, &f, page)?;
                let rows = p
                    .entries
                    .into_iter()
                    .map(|e| Line {
                        at: e.at,
                        user: e.actor,
                        role: role_name(&e.role),
                        action: "查看明文个人信息".into(),
                        target: e.what,
                        detail: e.reason.unwrap_or_default(),
                    })
                    .collect();
                (rows, p.total)
            } else {
                let p = s.audit_search(&who, &f, page)?;
                let rows = p
                    .entries
                    .into_iter()
                    .map(|e| Line {
                        at: e.at,
                        user: e.username,
                        role: role_name(&e.role),
                        action: e.action,
                        target: e.target.unwrap_or_default(),
                        detail: e.detail.unwrap_or_default(),
                    })
                    .collect();
                (rows, p.total)
            })
        })
        .await?)
}

fn role_name(code: &str) -> String {
    jianping_core::access::UserRole::from_code(code)
        .map_or_else(|| code.to_string(), |r| r.name().to_string())
}

/// Refuses a non-auditor before anything else is read (the store refuses too).
fn check(staff: &Staff) -> PageResult<()> {
    jianping_core::access::authorize(
        &staff.principal,
        jianping_core::access::Operation::ViewAccessLog,
        &jianping_core::access::Scope::City,
    )
    .map_err(|e| PageError::new(StatusCode::FORBIDDEN, e.to_string()))
}

async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> PageResult<Response> {
    check(&staff)?;
    let n = q.page.trim().parse::<u64>().unwrap_or(1).max(1);
    let (rows, total, errors) = match q.filter() {
        Ok(f) => {
            let (rows, total) =
                lines(&state, &staff, &q, f, ((n - 1) * PAGE_SIZE, PAGE_SIZE)).await?;
            (rows, total, BTreeMap::new())
        }
        Err(e) => (Vec::new(), 0, e),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let html = render(
        "office/audit.html",
        Some(&staff),
        context! {
            q => v(&q),
            views => q.views(),
            rows => v(&rows),
            errors => v(&errors),
            total,
            page => n,
            pages => total.div_ceil(PAGE_SIZE).max(1),
            qs => q.query_string(),
        },
    )?;
    Ok((status, html).into_response())
}

async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> PageResult<Response> {
    check(&staff)?;
    let f = q.filter().map_err(|e| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            e.into_values().collect::<Vec<_>>().join("；"),
        )
    })?;
    let (rows, _) = lines(&state, &staff, &q, f, (0, EXPORT_LIMIT)).await?;
    let mut out = String::from("\u{feff}时间,用户,角色,操作,对象,详情\n");
    for r in &rows {
        let cells = [&r.at, &r.user, &r.role, &r.action, &r.target, &r.detail];
        let line: Vec<String> = cells.iter().map(|c| safe_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    state
        .audit(
            &staff,
            "audit.export",
            None,
            Some(format!("{} 条，{}", rows.len(), q.query_string())),
        )
        .await;
    let name = if q.views() {
        "个人信息访问日志.csv"
    } else {
        "审计日志.csv"
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                crate::office::ledger::attachment_disposition(name),
            ),
        ],
        out,
    )
        .into_response())
}

/// A CSV cell a spreadsheet will not run (`app::ledger::text_cell`).
pub fn safe_cell(c: &str) -> String {
    jianping_app::ledger::text_cell(c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            super::safe_cell("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(super::safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::safe_cell("-1+2"), "'-1+2");
        assert_eq!(super::safe_cell("整改事项"), "整改事项");
    }
}
