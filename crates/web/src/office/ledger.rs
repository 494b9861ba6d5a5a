//! `/office/ledger`: the rectification ledger — list with filters, the item page with its whole trail, and every step.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
