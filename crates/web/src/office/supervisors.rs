//! `/office/feedback`: supervisors enter their feedback and follow what became of each item.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
