//! `/office/reports`: the annual report and the monthly bulletin in every format, downloaded.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
