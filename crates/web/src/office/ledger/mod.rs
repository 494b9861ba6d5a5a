//! `/office/ledger`: the rectification ledger — the filtered, paged list and its export;
//! the item page with its whole trail (`item.rs`); every step a principal may take
//! (`steps.rs`). Every read and write goes through the store's functions that take the
//! session's `Principal` and ask `jianping_core::access::authorize`.

mod item;
pub(crate) use item::v;
mod steps;

use crate::auth::Staff;
use crate::error::{PageError, PageResult};
use crate::pages::render;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use jianping_app::ledger::{LedgerQuery, sheet_csv, sheet_xlsx};
use jianping_core::access::UserRole;
use jianping_core::ledger::{SourceKind, State as ItemState};
use jianping_store::ledger::ItemView;
use minijinja::context;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: u64 = 50;
/// The most rows one export carries (a city's year of items fits many times over).
const EXPORT_LIMIT: u64 = 200_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/ledger", get(list))
        .route("/office/ledger/export", get(export))
        .merge(item::routes())
        .merge(steps::routes())
}

/// The list's filters as the form sends them (every field text, so that what was typed
/// comes back even when it is wrong).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ListQuery {
    pub state: String,
    pub source: String,
    pub department: String,
    pub overdue: String,
    pub topic: String,
    pub from: String,
    pub to: String,
    pub q: String,
    pub page: String,
    pub format: String,
}

impl ListQuery {
    /// The store's query, or the field errors (field, message).
    fn parse(&self, role: UserRole) -> Result<LedgerQuery, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let mut date = |field: &str, text: &str| -> Option<NaiveDate> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push((field.to_string(), "日期格式应为 2023-10-31".to_string()));
                    None
                }
            }
        };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errors.push(("to".into(), "截止日期不能早于起始日期".into()));
        }
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        if let Some(s) = text(&self.state)
            && ItemState::from_code(&s).is_none()
        {
            errors.push(("state".into(), "请从列表中选择状态".into()));
        }
        if let Some(s) = text(&self.source)
            && SourceKind::from_code(&s).is_none()
        {
            errors.push(("source".into(), "请从列表中选择来源".into()));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(LedgerQuery {
            // A clerk's list is the department's whatever is asked; the field is not shown.
            department: if matches!(role, UserRole::Admin | UserRole::Leader) {
                text(&self.department)
            } else {
                None
            },
            source: text(&self.source),
            state: text(&self.state),
            overdue: !self.overdue.is_empty(),
            supervisor: None,
            from,
            to,
            topic: text(&self.topic),
        })
    }

    fn page(&self) -> u64 {
        self.page.trim().parse::<u64>().unwrap_or(1).max(1)
    }

    /// The query string without the page, for the pager and export links.
    fn query_string(&self) -> String {
        let pairs = [
            ("state", &self.state),
            ("source", &self.source),
            ("department", &self.department),
            ("overdue", &self.overdue),
            ("topic", &self.topic),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", crate::auth::urlencode(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// An item as a list row shows it.
#[derive(Serialize)]
pub struct Row {
    pub item_no: String,
    pub source: &'static str,
    pub source_no: Option<String>,
    pub department: Option<String>,
    pub title: String,
    pub state: String,
    pub deadline: &'static str,
    pub overdue: bool,
    pub raised_at: String,
    pub due_on: Option<String>,
    pub topic: Option<String>,
}

pub fn row(it: &ItemView) -> Row {
    use jianping_core::ledger::DeadlineStatus;
    Row {
        item_no: it.item_no.clone(),
        source: it.source.name(),
        source_no: it.source_no.clone(),
        department: it.department.clone(),
        title: it.title.clone(),
        state: it.state_text(),
        deadline: it.deadline.name(),
        overdue: matches!(
            it.deadline,
            DeadlineStatus::Overdue | DeadlineStatus::DoneLate
        ),
        raised_at: it.raised_at.clone(),
        due_on: it.due_on.clone(),
        topic: it.topic.clone(),
    }
}

#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
}

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    name: fn(T) -> &'static str,
) -> Vec<Opt> {
    all.iter()
        .map(|v| Opt {
            value: code(*v).to_string(),
            label: name(*v).to_string(),
        })
        .collect()
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let role = staff.principal.role;
    let parsed = q.parse(role);
    let page = q.page();
    let today = state.now().date();
    let who = staff.principal.clone();
    let text = q.q.trim().to_string();
    let query = parsed.as_ref().ok().cloned();
    let (found, departments, topics) = state
        .db(move |s| {
            let found = match query {
                Some(lq) => Some(s.ledger_page(
                    &who,
                    &lq.filter()?,
                    Some(&text),
                    ((page - 1) * PAGE_SIZE, PAGE_SIZE),
                    today,
                )?),
                None => {
                    // Still refuse a role that may not read the ledger at all.
                    jianping_core::access::visible(
                        &who,
                        jianping_core::access::Operation::ViewLedger,
                    )
                    .map_err(jianping_store::StoreError::from)?;
                    None
                }
            };
            let departments = s.department_choices()?;
            let topics: Vec<String> = s
                .topic_dictionary()?
                .names()
                .into_iter()
                .map(str::to_string)
                .collect();
            Ok((found, departments, topics))
        })
        .await?;
    let errors: Vec<(String, String)> = parsed.err().unwrap_or_default();
    let total = found.as_ref().map_or(0, |p| p.total);
    let rows: Vec<Row> = found.iter().flat_map(|p| p.items.iter().map(row)).collect();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let html = render(
        "office/ledger_list.html",
        Some(&staff),
        context! {
            q => item::v(&q),
            errors => errors.into_iter().collect::<std::collections::BTreeMap<_, _>>(),
            rows => item::v(&rows),
            total,
            page,
            pages,
            qs => q.query_string(),
            states => item::v(&options(ItemState::ALL, ItemState::code, ItemState::name)),
            sources => item::v(&options(SourceKind::ALL, SourceKind::code, SourceKind::name)),
            departments => departments.iter().map(|d| d.name.clone()).collect::<Vec<_>>(),
            show_department => matches!(role, UserRole::Admin | UserRole::Leader),
            topics,
        },
    )?;
    Ok((status, html).into_response())
}

async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let lq = q.parse(staff.principal.role).map_err(|errs| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            errs.into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("；"),
        )
    })?;
    let xlsx = match q.format.as_str() {
        "xlsx" | "" => true,
        "csv" => false,
        _ => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                "导出格式只能是 xlsx 或 csv",
            ));
        }
    };
    let today = state.now().date();
    let who = staff.principal.clone();
    let text = q.q.trim().to_string();
    let items = state
        .db(move |s| {
            Ok(
                s.ledger_page(&who, &lq.filter()?, Some(&text), (0, EXPORT_LIMIT), today)?
                    .items,
            )
        })
        .await?;
    let (bytes, kind, ext) = if xlsx {
        (
            sheet_xlsx(&items)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        (sheet_csv(&items), "text/csv; charset=utf-8", "csv")
    };
    state
        .audit(
            &staff,
            "ledger.export",
            None,
            Some(format!(
                "{} 条，格式 {ext}，筛选：{}",
                items.len(),
                q.query_string()
            )),
        )
        .await;
    let name = format!("整改台账-{}.{ext}", today.format("%Y%m%d"));
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, attachment_disposition(&name)),
        ],
        bytes,
    )
        .into_response())
}

/// `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987).
pub fn attachment_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
