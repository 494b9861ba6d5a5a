//! The item page: the item, its source (masked), the whole trail — events, callbacks,
//! extensions, appeals, attachments — and the forms of the steps the principal may take;
//! the contact in clear for a role `authorize` allows (logged); evidence downloads.

use super::attachment_disposition;
use crate::auth::{Staff, check_csrf};
use crate::error::PageResult;
use crate::pages::render;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jianping_core::access::{Operation, Principal, visible};
use jianping_core::ledger::{Action, Role, SourceKind};
use jianping_store::ledger::{Contact, ItemDetail};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn v<T: Serialize>(x: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(x))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/ledger/{no}", get(show))
        .route("/office/ledger/{no}/contact", post(contact))
        .route("/office/ledger/{no}/files/{id}", get(download))
}

/// What a refused form sends back to the page: which form, what was typed, what is wrong.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Echo {
    pub form: String,
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl Echo {
    pub fn new(form: &str, values: BTreeMap<String, String>) -> Echo {
        Echo {
            form: form.to_string(),
            values,
            errors: BTreeMap::new(),
        }
    }

    pub fn error(mut self, field: &str, message: impl Into<String>) -> Echo {
        self.errors.insert(field.to_string(), message.into());
        self
    }
}

/// The steps `who` may take on the item now: the state machine's list for the principal's
/// ledger role (a leader, supervisor or auditor has none).
fn steps_for(who: &Principal, d: &ItemDetail) -> Vec<&'static str> {
    let actions = match who.role.ledger_role() {
        Some(Role::Bureau) => &d.allowed_bureau,
        Some(Role::Department) => &d.allowed_department,
        None => return Vec::new(),
    };
    actions
        .iter()
        .filter(|a| visible(who, Operation::LedgerStep(**a)).is_ok())
        .map(|a| a.code())
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    done: String,
}

async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(no): Path<String>,
    Query(q): Query<ShowQuery>,
) -> PageResult<Response> {
    let notice = Action::from_code(&q.done).map(|a| format!("已完成「{}」", a.name()));
    page(&state, &staff, &no, None, None, notice, StatusCode::OK).await
}

/// The item page again with a form's field errors and what was typed (422).
pub async fn invalid(
    state: &AppState,
    staff: &Staff,
    no: &str,
    echo: Echo,
) -> PageResult<Response> {
    page(
        state,
        staff,
        no,
        Some(echo),
        None,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Renders the item page, with a refused form's echo or a contact shown in clear.
pub async fn page(
    state: &AppState,
    staff: &Staff,
    no: &str,
    echo: Option<Echo>,
    contact: Option<Contact>,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult<Response> {
    let today = state.now().date();
    let who = staff.principal.clone();
    let item_no = no.to_string();
    let (detail, files, departments, topics, additions) = state
        .db(move |s| {
            let detail = s.ledger_item(&who, &item_no, today)?;
            let files = s.ledger_attachments(&who, &item_no)?;
            // What the reporter added on the receipt page reaches the department here.
            let additions = match (&detail.item.source, &detail.item.source_no) {
                (SourceKind::QrReport, Some(no)) => s.complaint_additions_by_no(no)?,
                _ => Vec::new(),
            };
            let departments = s.department_choices()?;
            let topics: Vec<String> = s
                .topic_dictionary()?
                .names()
                .into_iter()
                .map(str::to_string)
                .collect();
            Ok((detail, files, departments, topics, additions))
        })
        .await?;
    let who = &staff.principal;
    let steps = steps_for(who, &detail);
    let it = &detail.item;
    let html = render(
        "office/ledger_item.html",
        Some(staff),
        context! {
            item => v(it),
            row => v(&super::row(it)),
            state_label => it.state_label(),
            source_fields => v(&detail.source_fields),
            events => v(&detail.events),
            callbacks => detail.callbacks.iter().map(|c| context! {
                at => &c.at, actor => &c.actor, note => &c.note,
                response => c.response.map(|r| r.name()),
            }).collect::<Vec<_>>(),
            extensions => v(&detail.extensions),
            appeals => v(&detail.appeals),
            files => v(&files),
            additions => v(&additions),
            steps,
            can_topic => visible(who, Operation::LabelTopic).is_ok(),
            can_contact => visible(who, Operation::ViewContact).is_ok(),
            contact => v(&contact),
            echo => v(&echo.unwrap_or_default()),
            notice,
            departments => departments.iter().map(|d| d.name.clone()).collect::<Vec<_>>(),
            topics,
            responses => jianping_core::Response::ALL.iter().map(|r| context! {
                value => r.code(), label => r.name(),
            }).collect::<Vec<_>>(),
        },
    )?;
    Ok((status, html).into_response())
}

#[derive(Deserialize)]
struct ContactForm {
    #[serde(rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn contact(
    State(state): State<AppState>,
    staff: Staff,
    Path(no): Path<String>,
    Form(f): Form<ContactForm>,
) -> PageResult<Response> {
    check_csrf(&staff, &f.csrf)?;
    let reason = f.reason.trim().to_string();
    if reason.is_empty() {
        let mut values = BTreeMap::new();
        values.insert("reason".to_string(), f.reason.clone());
        let echo = Echo::new("contact", values).error("reason", "请写明查看用途，如“差评回访”");
        return invalid(&state, &staff, &no, echo).await;
    }
    let who = staff.principal.clone();
    let (item_no, why) = (no.clone(), reason.clone());
    let now = state.now();
    let c = state
        .db(move |s| Ok(s.ledger_contact(&who, &item_no, &why, now)?))
        .await?;
    state
        .audit(&staff, "ledger.contact", Some(no.clone()), Some(reason))
        .await;
    page(&state, &staff, &no, None, Some(c), None, StatusCode::OK).await
}

/// Content types a browser may show itself; anything else downloads as bytes.
const SAFE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "application/pdf"];

async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((no, id)): Path<(String, i64)>,
) -> PageResult<Response> {
    let who = staff.principal.clone();
    let a = state
        .db(move |s| Ok(s.ledger_attachment(&who, &no, id)?))
        .await?;
    let kind = if SAFE_TYPES.contains(&a.meta.content_type.as_str()) {
        a.meta.content_type.clone()
    } else {
        "application/octet-stream".to_string()
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (
                header::CONTENT_DISPOSITION,
                attachment_disposition(&a.meta.file_name),
            ),
        ],
        a.data,
    )
        .into_response())
}
