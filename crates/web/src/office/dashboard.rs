//! `/office`: the dashboard (today and this month, charts, department ranking).

use crate::auth::Staff;
use crate::error::PageResult;
use crate::pages::render;
use crate::state::AppState;
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use minijinja::context;

pub fn routes() -> Router<AppState> {
    Router::new().route("/office", get(home))
}

async fn home(staff: Staff) -> PageResult<Html<String>> {
    render("office/home.html", Some(&staff), context! {})
}
