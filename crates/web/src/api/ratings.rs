//! `/api/v1/ratings`: rating intake for pads, kiosks and the provincial platform (durable before 2xx).

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
