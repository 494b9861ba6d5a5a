//! `/office/admin`: users, departments, halls, windows and their QR codes, pad devices, the
//! holiday calendar, indicator and ledger configuration. Administrators only; every write
//! goes through the store in a transaction and into the audit log.

mod catalog;
mod codes;
mod settings;
mod users;

use crate::auth::Staff;
use crate::error::{PageError, PageResult};
use crate::pages::render;
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use jianping_app::{AppError, ErrorKind};
use jianping_core::access::{Operation, Scope, authorize};
use minijinja::{Value, context};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/admin", get(index))
        .merge(users::routes())
        .merge(catalog::routes())
        .merge(codes::routes())
        .merge(settings::routes())
}

pub(super) fn allowed(staff: &Staff) -> PageResult<()> {
    authorize(&staff.principal, Operation::Administer, &Scope::City)
        .map_err(|e| PageError::new(StatusCode::FORBIDDEN, e.to_string()))
}

/// Field name → message, for a form shown again.
pub(super) type Errors = BTreeMap<&'static str, String>;

/// Renders `name` with `status` (422 for a refused form).
pub(super) fn page(
    staff: &Staff,
    status: StatusCode,
    name: &str,
    ctx: Value,
) -> PageResult<Response> {
    let html: Html<String> = render(name, Some(staff), ctx)?;
    Ok((status, html).into_response())
}

/// A refusal the person can fix (invalid input, a conflict) goes back onto the form; the
/// rest becomes the error page.
pub(super) fn form_error(e: AppError) -> Result<String, PageError> {
    match e.kind() {
        ErrorKind::Invalid | ErrorKind::Usage | ErrorKind::Conflict | ErrorKind::NotFound => {
            Ok(e.to_string())
        }
        _ => Err(e.into()),
    }
}

async fn index(staff: Staff) -> PageResult<Response> {
    allowed(&staff)?;
    page(
        &staff,
        StatusCode::OK,
        "office/admin/index.html",
        context! {},
    )
}
