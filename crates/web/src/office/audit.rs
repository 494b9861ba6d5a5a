//! `/office/audit`: the audit log and the log of unmasked views (auditor only).

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
