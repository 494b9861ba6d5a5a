//! `/office/imports`: upload CSV/XLSX, see the row-level check before committing, follow the progress.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
