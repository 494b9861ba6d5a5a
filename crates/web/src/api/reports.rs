//! `/api/v1/reports`: the annual report and the monthly bulletin in every format. The
//! rendering here is also what the back office's download page calls.

use crate::auth::{ApiStaff, Staff};
use crate::download::attachment;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use jianping_app::bulletin::BulletinRequest;
use jianping_app::reports::AnnualRequest;
use jianping_app::{AppError, Rendered, ReportFormat};
use jianping_core::access::{Operation, Scope, authorize};
use jianping_store::StoreError;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(annual_report))
        .routes(routes!(monthly_bulletin))
}

/// The annual report's period and format.
#[derive(Debug, Clone, Default, Deserialize, IntoParams, serde::Serialize)]
#[into_params(parameter_in = Query)]
pub struct AnnualQuery {
    /// First day, `2023-01-01` (default: 1 January of the last day's year).
    pub from: Option<String>,
    /// Last day, `2023-12-31` (default: today).
    pub to: Option<String>,
    /// docx, xlsx, html, md or json (default docx).
    pub format: Option<String>,
}

/// The bulletin's month and format.
#[derive(Debug, Clone, Default, Deserialize, IntoParams, serde::Serialize)]
#[into_params(parameter_in = Query)]
pub struct BulletinQuery {
    /// `2023-10` (default: the previous calendar month).
    pub month: Option<String>,
    /// docx, xlsx, html, md or json (default docx).
    pub format: Option<String>,
}

/// A field of a report request that could not be read: (field, message).
pub type FieldErrors = Vec<(String, String)>;

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn format_of(s: &Option<String>, errors: &mut FieldErrors) -> ReportFormat {
    match blank(s).map(str::parse::<ReportFormat>) {
        None => ReportFormat::Docx,
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            errors.push(("format".into(), e));
            ReportFormat::Docx
        }
    }
}

fn date_of(
    s: &Option<String>,
    field: &str,
    label: &str,
    errors: &mut FieldErrors,
) -> Option<chrono::NaiveDate> {
    let t = blank(s)?;
    match jianping_core::time::parse_date(t) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push((
                field.into(),
                format!("{label}「{t}」不是有效日期，请写成 2023-01-01"),
            ));
            None
        }
    }
}

impl AnnualQuery {
    pub fn request(&self) -> Result<AnnualRequest, FieldErrors> {
        let mut errors = Vec::new();
        let format = format_of(&self.format, &mut errors);
        let mut req = AnnualRequest::new(format);
        req.from = date_of(&self.from, "from", "开始日期", &mut errors);
        req.to = date_of(&self.to, "to", "结束日期", &mut errors);
        if let (Some(f), Some(t)) = (req.from, req.to)
            && f > t
        {
            errors.push(("to".into(), "结束日期不能早于开始日期".into()));
        }
        if errors.is_empty() {
            Ok(req)
        } else {
            Err(errors)
        }
    }
}

impl BulletinQuery {
    pub fn request(&self) -> Result<BulletinRequest, FieldErrors> {
        let mut errors = Vec::new();
        let format = format_of(&self.format, &mut errors);
        let mut req = BulletinRequest::new(format);
        if let Some(m) = blank(&self.month) {
            match jianping_app::settings::parse_month(m) {
                Ok(_) => req.month = Some(m.to_string()),
                Err(_) => errors.push((
                    "month".into(),
                    format!("月份「{m}」无法识别，请写成 2023-10"),
                )),
            }
        }
        if errors.is_empty() {
            Ok(req)
        } else {
            Err(errors)
        }
    }
}

fn may_view_reports(staff: &Staff) -> Result<(), AppError> {
    authorize(&staff.principal, Operation::ViewReports, &Scope::City)
        .map_err(|e| AppError::from(StoreError::from(e)))
}

/// A rendered report and the name it is downloaded under.
pub struct Download {
    pub name: String,
    pub rendered: Rendered,
}

impl Download {
    pub fn into_response(self) -> Response {
        attachment(
            &self.name,
            self.rendered.format.content_type(),
            self.rendered.bytes,
        )
    }
}

/// Builds the annual report in one read snapshot, on a blocking thread.
pub async fn render_annual(
    state: &AppState,
    staff: &Staff,
    req: AnnualRequest,
) -> Result<Download, AppError> {
    may_view_reports(staff)?;
    let today = state.now().date();
    let period = jianping_app::settings::period(req.from, req.to, today)?;
    let st = state.clone();
    let rendered = state
        .db(move |s| s.snapshot(|s| jianping_app::reports::annual(s, st.config(), &req, today)))
        .await?;
    let name = format!(
        "政务服务监督评价年度报告（{}至{}）.{}",
        period.from,
        period.to,
        rendered.format.extension()
    );
    Ok(Download { name, rendered })
}

/// Builds the monthly bulletin in one read snapshot, on a blocking thread.
pub async fn render_bulletin(
    state: &AppState,
    staff: &Staff,
    req: BulletinRequest,
) -> Result<Download, AppError> {
    may_view_reports(staff)?;
    let today = state.now().date();
    let period = req.period(today)?;
    let st = state.clone();
    let rendered = state
        .db(move |s| s.snapshot(|s| jianping_app::bulletin::bulletin(s, st.config(), &req, today)))
        .await?;
    let name = format!(
        "政务服务监督评价月度通报（{}）.{}",
        period.from.format("%Y年%m月"),
        rendered.format.extension()
    );
    Ok(Download { name, rendered })
}

/// The annual report (年度报告) of a period, as a file.
#[utoipa::path(
    get,
    path = "/reports/annual",
    tag = "reports",
    params(AnnualQuery),
    responses(
        (status = 200, description = "报告文件（Content-Disposition 附件，文件名为中文）；格式见 format", content(
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("text/html; charset=utf-8"),
            ("text/markdown; charset=utf-8"),
            ("application/json"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 401, description = "未登录"),
        (status = 403, description = "无权查看报告"),
        (status = 422, description = "参数有误"),
    )
)]
async fn annual_report(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Query(q): Query<AnnualQuery>,
) -> ApiResult<Response> {
    let req = q
        .request()
        .map_err(crate::error::ApiError::invalid_fields)?;
    Ok(render_annual(&state, &staff, req).await?.into_response())
}

/// The monthly bulletin (月度通报) of a month, as a file.
#[utoipa::path(
    get,
    path = "/reports/bulletin",
    tag = "reports",
    params(BulletinQuery),
    responses(
        (status = 200, description = "通报文件（Content-Disposition 附件）；格式见 format", content(
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("text/html; charset=utf-8"),
            ("text/markdown; charset=utf-8"),
            ("application/json"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 401, description = "未登录"),
        (status = 403, description = "无权查看报告"),
        (status = 422, description = "参数有误"),
    )
)]
async fn monthly_bulletin(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Query(q): Query<BulletinQuery>,
) -> ApiResult<Response> {
    let req = q
        .request()
        .map_err(crate::error::ApiError::invalid_fields)?;
    Ok(render_bulletin(&state, &staff, req).await?.into_response())
}
