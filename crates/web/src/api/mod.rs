//! The REST API, `/api/v1`, documented by OpenAPI 3 at `/api/openapi.json`.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
