//! Citizen pages (phone-first, no login): `/q/{window-token}` to rate a window or report a
//! problem (码上监督), and `/r/{receipt}` to follow a report.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
