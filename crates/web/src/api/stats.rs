//! `/api/v1/stats`: rating and hotline statistics with the CLI's groupings
//! (`jianping stats ratings|hotline`), as the same JSON. City-wide figures: the role must
//! be allowed to view reports.

use crate::auth::{ApiStaff, Staff};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use jianping_app::AppError;
use jianping_app::stats::{StatsRequest, TableFormat, Tabulated};
use jianping_core::access::{Operation, Scope, authorize};
use jianping_core::hotline_kpi::HotlineGroup;
use jianping_store::StoreError;
use jianping_store::queries::RatingGroup;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ratings))
        .routes(routes!(hotline))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatingStatsQuery {
    /// 第一天 `2023-01-01`（默认：结束日所在年的 1 月 1 日）
    from: Option<String>,
    /// 最后一天（默认：今天）
    to: Option<String>,
    /// total, level, channel, department, window, month, region（默认 total）
    by: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HotlineStatsQuery {
    from: Option<String>,
    to: Option<String>,
    /// kind, source, mode, department（默认 kind）
    by: Option<String>,
}

fn may_view(staff: &Staff) -> Result<(), ApiError> {
    authorize(&staff.principal, Operation::ViewReports, &Scope::City)
        .map_err(|e| AppError::from(StoreError::from(e)).into())
}

fn period(
    from: &Option<String>,
    to: &Option<String>,
    errors: &mut Vec<(String, String)>,
) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) {
    let mut one = |s: &Option<String>, field: &str| {
        let t = s.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
        match jianping_core::time::parse_date(t) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push((
                    field.into(),
                    format!("「{t}」不是有效日期，请写成 2023-01-01"),
                ));
                None
            }
        }
    };
    (one(from, "from"), one(to, "to"))
}

type Tabulate<G> = fn(
    &mut jianping_store::Store,
    &jianping_app::Config,
    &StatsRequest<G>,
    NaiveDate,
) -> jianping_app::Result<Tabulated>;

/// Answers the query's field errors, or runs `tabulate` on one snapshot and returns the
/// CLI's JSON.
async fn table<G: Send + Sync + 'static>(
    state: &AppState,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    by: G,
    errors: Vec<(String, String)>,
    tabulate: Tabulate<G>,
) -> ApiResult<Json<serde_json::Value>> {
    if !errors.is_empty() {
        return Err(ApiError::invalid_fields(errors));
    }
    let req = StatsRequest {
        from,
        to,
        by,
        format: TableFormat::Json,
        precision: None,
        rounding: None,
    };
    let today = state.now().date();
    let st = state.clone();
    let t = state
        .db(move |s| s.snapshot(|s| tabulate(s, st.config(), &req, today)))
        .await?;
    serde_json::from_slice(&t.bytes)
        .map(Json)
        .map_err(|e| AppError::Other(anyhow::anyhow!("统计结果不是 JSON：{e}")).into())
}

/// Rating counts and rates (满意率, 非常满意率 …) by the chosen grouping.
#[utoipa::path(
    get, path = "/stats/ratings", tag = "stats", params(RatingStatsQuery),
    responses(
        (status = 200, description = "与 jianping stats ratings --format json 相同的 JSON", body = Object),
        (status = 401, description = "未登录"),
        (status = 403, description = "无权查看统计"),
        (status = 422, description = "参数有误"),
    )
)]
async fn ratings(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Query(q): Query<RatingStatsQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    may_view(&staff)?;
    let mut errors = Vec::new();
    let (from, to) = period(&q.from, &q.to, &mut errors);
    let by = match q.by.as_deref().map(str::trim).unwrap_or("total") {
        "total" | "" => RatingGroup::Total,
        "level" | "tier" => RatingGroup::Tier,
        "channel" => RatingGroup::Channel,
        "department" => RatingGroup::Department,
        "window" => RatingGroup::Window,
        "month" => RatingGroup::Month,
        "region" => RatingGroup::Region,
        other => {
            errors.push((
                "by".into(),
                format!("分组「{other}」无法识别：可用 total、level、channel、department、window、month、region"),
            ));
            RatingGroup::Total
        }
    };
    table(&state, (from, to), by, errors, jianping_app::stats::ratings).await
}

/// 12345 hotline KPIs by kind, source, mode or department.
#[utoipa::path(
    get, path = "/stats/hotline", tag = "stats", params(HotlineStatsQuery),
    responses(
        (status = 200, description = "与 jianping stats hotline --format json 相同的 JSON", body = Object),
        (status = 401, description = "未登录"),
        (status = 403, description = "无权查看统计"),
        (status = 422, description = "参数有误"),
    )
)]
async fn hotline(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Query(q): Query<HotlineStatsQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    may_view(&staff)?;
    let mut errors = Vec::new();
    let (from, to) = period(&q.from, &q.to, &mut errors);
    let by = match q.by.as_deref().map(str::trim).unwrap_or("kind") {
        "kind" | "" => HotlineGroup::Kind,
        "source" => HotlineGroup::Source,
        "mode" => HotlineGroup::Mode,
        "department" => HotlineGroup::Department,
        other => {
            errors.push((
                "by".into(),
                format!("分组「{other}」无法识别：可用 kind、source、mode、department"),
            ));
            HotlineGroup::Kind
        }
    };
    table(&state, (from, to), by, errors, jianping_app::stats::hotline).await
}
