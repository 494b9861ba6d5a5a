//! The back office (login): one module per page group, each with its own routes and
//! templates under `templates/office/`.

mod admin;
mod audit;
mod dashboard;
mod imports;
pub(crate) mod ledger;
mod reports;
mod supervisors;

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(dashboard::routes())
        .merge(ledger::routes())
        .merge(supervisors::routes())
        .merge(audit::routes())
        .merge(imports::routes())
        .merge(reports::routes())
        .merge(admin::routes())
}
