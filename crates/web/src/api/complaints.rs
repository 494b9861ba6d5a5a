//! `/api/v1/complaints`: 码上监督 complaints from kiosks and the provincial platform, and following them.

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
