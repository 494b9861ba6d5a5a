//! `/office`: the dashboard — today and this month (ratings, 非常满意率, 满意率, bad ratings,
//! open and overdue items), charts by region level, channel and month drawn server-side by
//! the document crate's SVG code and embedded inline, and the department ranking. The
//! counts come from `Store::dashboard` (rollups, one snapshot); rates from the bureau's
//! `RatePolicy` and grade sets. `?on=2023-10-31` shows the dashboard as of another day.

use crate::auth::Staff;
use crate::error::{PageError, PageResult};
use crate::office::ledger::v;
use crate::pages::render;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use jianping_core::access::UserRole;
use jianping_core::{GradeCounts, GradeSets, RatePolicy};
use jianping_document::{Axis, ChartKind, ChartSpec, Series, render_svg};
use jianping_store::queries::GroupCounts;
use jianping_store::queries::dashboard::{Dashboard, DashboardRatings};
use minijinja::context;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new().route("/office", get(home))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HomeQuery {
    on: String,
}

/// One set of rating figures as a card shows them.
#[derive(Serialize)]
pub struct Figures {
    pub total: u64,
    pub very_satisfied_rate: String,
    pub satisfied_rate: String,
    pub bad: u64,
}

pub fn figures(c: &GradeCounts, sets: &GradeSets, policy: &RatePolicy) -> Figures {
    let s = sets.summarize(c, policy);
    Figures {
        total: s.total,
        very_satisfied_rate: s.very_satisfied_rate.printed,
        satisfied_rate: s.satisfied_rate.printed,
        bad: s.bad,
    }
}

#[derive(Serialize)]
pub struct RankRow {
    pub rank: usize,
    pub department: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// Departments by 满意率 (compared exactly, as fractions), then by number of ratings.
pub fn ranking(groups: &[GroupCounts], sets: &GradeSets, policy: &RatePolicy) -> Vec<RankRow> {
    let mut rows: Vec<&GroupCounts> = groups.iter().filter(|g| g.counts.total() > 0).collect();
    let key = |g: &GroupCounts| {
        (
            u128::from(g.counts.sum_of(&sets.satisfied)),
            u128::from(g.counts.total()),
        )
    };
    rows.sort_by(|a, b| {
        let ((an, ad), (bn, bd)) = (key(a), key(b));
        (bn * ad)
            .cmp(&(an * bd))
            .then(bd.cmp(&ad))
            .then(a.label.cmp(&b.label))
    });
    rows.into_iter()
        .enumerate()
        .map(|(i, g)| RankRow {
            rank: i + 1,
            department: g.label.clone(),
            figures: figures(&g.counts, sets, policy),
        })
        .collect()
}

/// A bar chart of rating counts per group, value labels printed as counts.
fn count_chart(
    title: &str,
    groups: &[GroupCounts],
    horizontal: bool,
    sets: &GradeSets,
) -> Option<String> {
    let shown: Vec<&GroupCounts> = groups
        .iter()
        .filter(|g| g.counts.total() > 0 || !horizontal)
        .collect();
    if shown.is_empty() {
        return None;
    }
    let cats: Vec<String> = shown.iter().map(|g| g.label.clone()).collect();
    let totals: Vec<u64> = shown.iter().map(|g| g.counts.total()).collect();
    let bad: Vec<u64> = shown.iter().map(|g| g.counts.sum_of(&sets.bad)).collect();
    let series = |name: &str, xs: &[u64]| {
        Series::new(name, xs.iter().map(|x| *x as f64).collect())
            .with_labels(xs.iter().map(u64::to_string).collect())
    };
    let spec = ChartSpec {
        width: Some(if horizontal { 560 } else { 720 }),
        ..ChartSpec::new(
            title,
            ChartKind::Bar {
                horizontal,
                stacked: false,
            },
            cats,
        )
        .series(series("评价数", &totals))
        .series(series("差评数", &bad))
        .axis(Axis::labelled("评价数(条)"))
    };
    match render_svg(&spec) {
        Ok(svg) => Some(svg),
        Err(e) => {
            eprintln!("工作台图表生成失败（{title}）：{e}");
            None
        }
    }
}

#[derive(Serialize)]
struct Charts {
    tier: Option<String>,
    channel: Option<String>,
    month: Option<String>,
}

fn charts(r: &DashboardRatings, sets: &GradeSets) -> Charts {
    Charts {
        tier: count_chart("本月各层级评价", &r.by_tier, true, sets),
        channel: count_chart("本月各渠道评价", &r.by_channel, true, sets),
        month: count_chart("近十二个月评价量", &r.by_month, false, sets),
    }
}

async fn home(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<HomeQuery>,
) -> PageResult<Response> {
    if staff.principal.role == UserRole::Auditor {
        // The auditor's work is the audit log; the figures are not theirs to see.
        let html = render(
            "office/dashboard.html",
            Some(&staff),
            context! { auditor => true },
        )?;
        return Ok(html.into_response());
    }
    let today = match q.on.trim() {
        "" => state.now().date(),
        t => NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                format!("日期「{t}」格式有误，应为 2023-10-31"),
            )
        })?,
    };
    let config = state.config();
    let policy = jianping_app::settings::rate_policy(None, None, config)?;
    let sets = config
        .grade_sets()
        .map_err(|e| PageError::from(jianping_app::AppError::Invalid(format!("{e:#}"))))?;
    let who = staff.principal.clone();
    let d: Dashboard = state.db(move |s| Ok(s.dashboard(&who, today)?)).await?;
    let ratings = d.ratings.as_ref().map(|r| {
        context! {
            today => v(&figures(&r.today, &sets, &policy)),
            month => v(&figures(&r.month, &sets, &policy)),
            ranking => v(&ranking(&r.departments, &sets, &policy)),
            charts => v(&charts(r, &sets)),
        }
    });
    let html = render(
        "office/dashboard.html",
        Some(&staff),
        context! {
            today => d.today.to_string(),
            month_from => d.month.from.to_string(),
            ratings,
            ledger => v(&d.ledger),
            own_department => staff.principal.role == UserRole::Clerk,
            supervisor => staff.principal.role == UserRole::Supervisor,
        },
    )?;
    Ok(html.into_response())
}
