//! Open311 GeoReport v2 (`/open311/v2`): complaints (码上监督) filed and tracked by existing
//! Open311 clients.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
