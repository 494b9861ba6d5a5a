//! `/office/feedback`: a supervisor enters feedback — what, and where (department and
//! window chosen from the lists, never typed) — which the store keeps in
//! `supervisor_feedback` and registers on the ledger at once; below, the supervisor's own
//! items and what became of each.

use crate::auth::{Staff, check_csrf};
use crate::error::PageResult;
use crate::office::ledger::{row, v};
use crate::pages::render;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use jianping_core::access::{Operation, visible};
use jianping_store::ledger::{LedgerFilter, NewFeedback};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const CATEGORIES: [&str; 7] = [
    "服务态度",
    "办事效率",
    "事项办理体验",
    "便民服务",
    "环境设施",
    "作风纪律",
    "其他",
];
const METHODS: [&str; 5] = ["实地办理", "暗访", "座谈交流", "电话", "网上办事"];

pub fn routes() -> Router<AppState> {
    Router::new().route("/office/feedback", get(show).post(submit))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
struct FeedbackForm {
    #[serde(rename = "_csrf")]
    #[serde(skip_serializing)]
    csrf: String,
    category: String,
    method: String,
    department: String,
    window: String,
    content: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Done {
    item: String,
}

async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(d): Query<Done>,
) -> PageResult<Response> {
    let notice = Some(d.item.trim().to_string())
        .filter(|s| !s.is_empty())
        .map(|no| format!("意见已提交，已登记整改事项 {no}，可在下方查看办理情况"));
    page(
        &state,
        &staff,
        FeedbackForm::default(),
        BTreeMap::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

async fn page(
    state: &AppState,
    staff: &Staff,
    form: FeedbackForm,
    errors: BTreeMap<String, String>,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult<Response> {
    // A principal that may not enter feedback gets the refusal, not an empty form.
    visible(&staff.principal, Operation::SubmitFeedback)
        .map_err(jianping_store::StoreError::from)?;
    let who = staff.principal.clone();
    let today = state.now().date();
    let (departments, windows, items) = state
        .db(move |s| {
            Ok((
                s.department_choices()?,
                s.window_choices()?,
                s.ledger_items(&who, &LedgerFilter::default(), today)?,
            ))
        })
        .await?;
    let rows: Vec<_> = items
        .iter()
        .map(|it| {
            context! {
                row => v(&row(it)),
                measures => &it.measures,
                feedback => &it.feedback,
                closed_at => &it.closed_at,
            }
        })
        .collect();
    let html = render(
        "office/feedback.html",
        Some(staff),
        context! {
            form => v(&form),
            errors => v(&errors),
            notice,
            categories => CATEGORIES,
            methods => METHODS,
            departments => v(&departments),
            windows => v(&windows),
            rows,
        },
    )?;
    Ok((status, html).into_response())
}

async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<FeedbackForm>,
) -> PageResult<Response> {
    check_csrf(&staff, &f.csrf)?;
    let (departments, windows) = state
        .db(|s| Ok((s.department_choices()?, s.window_choices()?)))
        .await?;
    let mut errors = BTreeMap::new();
    let category = f.category.trim();
    if !CATEGORIES.contains(&category) {
        errors.insert("category".to_string(), "请选择意见类别".to_string());
    }
    let method = f.method.trim();
    if !method.is_empty() && !METHODS.contains(&method) {
        errors.insert("method".to_string(), "请从列表中选择收集方式".to_string());
    }
    let pick = |text: &str, ids: Vec<i64>| -> Result<Option<i64>, ()> {
        match text.trim() {
            "" => Ok(None),
            t => t
                .parse::<i64>()
                .ok()
                .filter(|id| ids.contains(id))
                .map(Some)
                .ok_or(()),
        }
    };
    let department = pick(&f.department, departments.iter().map(|d| d.id).collect());
    let window = pick(&f.window, windows.iter().map(|w| w.id).collect());
    if department.is_err() {
        errors.insert("department".to_string(), "请从列表中选择部门".to_string());
    }
    if window.is_err() {
        errors.insert("window".to_string(), "请从列表中选择窗口".to_string());
    }
    if matches!((department, window), (Ok(None), Ok(None))) {
        errors.insert(
            "department".to_string(),
            "请选择涉及的部门或窗口".to_string(),
        );
    }
    let content = f.content.trim();
    let chars = content.chars().count();
    if chars < 5 {
        errors.insert(
            "content".to_string(),
            "请具体描述问题（至少 5 个字）".to_string(),
        );
    } else if chars > 2000 {
        errors.insert("content".to_string(), "意见内容最多 2000 字".to_string());
    }
    if !errors.is_empty() {
        return page(
            &state,
            &staff,
            f,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let new = NewFeedback {
        category: category.to_string(),
        content: content.to_string(),
        department_id: department.ok().flatten(),
        window_id: window.ok().flatten(),
        method: Some(method.to_string()).filter(|m| !m.is_empty()),
    };
    let who = staff.principal.clone();
    let now = state.now();
    let receipt = state
        .db(move |s| Ok(s.submit_feedback(&who, &new, now)?))
        .await?;
    state
        .audit(
            &staff,
            "feedback.submit",
            Some(receipt.item_no.clone()),
            Some(format!(
                "意见 {}：{}",
                receipt.feedback_no,
                jianping_core::privacy::mask_free_text(content)
            )),
        )
        .await;
    Ok(Redirect::to(&format!(
        "/office/feedback?item={}",
        crate::auth::urlencode(&receipt.item_no)
    ))
    .into_response())
}
