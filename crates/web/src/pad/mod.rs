//! Hall pads (评价器): an idle screen that turns into the rating screen for the case the
//! window's business system has just finished, kept current by server-sent events.

use crate::state::AppState;
use axum::Router;

/// The pads connected now, and what each should show.
#[derive(Debug, Default)]
pub struct PadHub {}

pub fn routes() -> Router<AppState> {
    Router::new()
}
