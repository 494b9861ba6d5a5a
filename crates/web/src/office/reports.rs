//! `/office/reports`: the annual report and the monthly bulletin in every format,
//! downloaded. A request that fails comes back to the page with the reason and what was
//! chosen.

use crate::api::reports::{
    AnnualQuery, BulletinQuery, FieldErrors, render_annual, render_bulletin,
};
use crate::auth::Staff;
use crate::error::{PageError, PageResult, status_of};
use crate::pages::render;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use jianping_app::{AppError, ReportFormat};
use jianping_core::access::{Operation, Scope, authorize};
use minijinja::context;
use minijinja::value::Serde;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/reports", get(page))
        .route("/office/reports/annual", get(annual))
        .route("/office/reports/bulletin", get(bulletin))
}

#[derive(serde::Serialize)]
struct FormatOption {
    value: &'static str,
    label: &'static str,
}

fn formats() -> Vec<FormatOption> {
    ReportFormat::ALL
        .iter()
        .map(|f| FormatOption {
            value: f.extension(),
            label: f.label(),
        })
        .collect()
}

/// The page, with what was asked for and, after a failure, why.
fn show(
    staff: &Staff,
    status: StatusCode,
    annual: &AnnualQuery,
    bulletin: &BulletinQuery,
    which: Option<&str>,
    errors: &FieldErrors,
    message: Option<String>,
) -> PageResult<Response> {
    let errors: BTreeMap<&str, &str> = errors
        .iter()
        .map(|(f, m)| (f.as_str(), m.as_str()))
        .collect();
    let html: Html<String> = render(
        "office/reports.html",
        Some(staff),
        context! {
            annual => Serde(annual),
            bulletin => Serde(bulletin),
            which,
            errors => Serde(errors),
            message,
            formats => Serde(formats()),
        },
    )?;
    Ok((status, html).into_response())
}

fn allowed(staff: &Staff) -> PageResult<()> {
    authorize(&staff.principal, Operation::ViewReports, &Scope::City)
        .map_err(|e| PageError::new(StatusCode::FORBIDDEN, e.to_string()))
}

async fn page(staff: Staff) -> PageResult<Response> {
    allowed(&staff)?;
    show(
        &staff,
        StatusCode::OK,
        &AnnualQuery::default(),
        &BulletinQuery::default(),
        None,
        &Vec::new(),
        None,
    )
}

/// A failed rendering: refusals go to the error page, everything else back to the form.
fn failed(
    staff: &Staff,
    e: AppError,
    annual: &AnnualQuery,
    bulletin: &BulletinQuery,
    which: &str,
) -> PageResult<Response> {
    let status = status_of(e.kind());
    if status == StatusCode::FORBIDDEN {
        return Err(e.into());
    }
    let message = PageError::from(e).message;
    show(
        staff,
        status,
        annual,
        bulletin,
        Some(which),
        &Vec::new(),
        Some(message),
    )
}

async fn annual(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AnnualQuery>,
) -> PageResult<Response> {
    allowed(&staff)?;
    let none = BulletinQuery::default();
    let req = match q.request() {
        Ok(r) => r,
        Err(errors) => {
            return show(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &q,
                &none,
                Some("annual"),
                &errors,
                None,
            );
        }
    };
    match render_annual(&state, &staff, req).await {
        Ok(d) => Ok(d.into_response()),
        Err(e) => failed(&staff, e, &q, &none, "annual"),
    }
}

async fn bulletin(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<BulletinQuery>,
) -> PageResult<Response> {
    allowed(&staff)?;
    let none = AnnualQuery::default();
    let req = match q.request() {
        Ok(r) => r,
        Err(errors) => {
            return show(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &none,
                &q,
                Some("bulletin"),
                &errors,
                None,
            );
        }
    };
    match render_bulletin(&state, &staff, req).await {
        Ok(d) => Ok(d.into_response()),
        Err(e) => failed(&staff, e, &none, &q, "bulletin"),
    }
}
