//! `/office/admin`: users, departments, halls, windows and their QR codes, pad devices, the holiday calendar, indicator and ledger configuration.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
