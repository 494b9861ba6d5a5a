//! 评价: the rating form of a window's QR page, submitted through the intake (group commit)
//! so that the thank-you page is only shown once the rating is durable.

use super::{Client, Guards, page, page_with_status, window};
use crate::error::PageError;
use crate::state::{AppState, ClientAddr};
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jianping_core::records::RatingRecord;
use jianping_core::{Channel, Grade, RegionCode};
use jianping_store::IntakeOutcome;
use jianping_store::codes::WindowRef;
use minijinja::context;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The national tags of an offline (窗口) rating.
pub const OFFLINE_TAGS: &[&str] = &["服务效率", "服务水平", "服务态度"];
const MAX_COMMENT: usize = 500;
const MAX_CASE_NO: usize = 40;

#[derive(Debug, Default, Deserialize)]
pub struct RateQuery {
    case: Option<String>,
    attempt: Option<u8>,
}

/// What the form shows: the choices, what was typed, and errors by field.
#[derive(Debug, Default, Serialize)]
struct Typed {
    grade: Option<i64>,
    tags: Vec<String>,
    comment: String,
    case_no: String,
    phone: String,
    attempt: u8,
    department_id: Option<i64>,
}

#[derive(Serialize)]
struct GradeChoice {
    code: i64,
    stars: String,
    name: &'static str,
}

fn grades() -> Vec<GradeChoice> {
    Grade::ALL
        .iter()
        .map(|g| GradeChoice {
            code: g.code(),
            stars: "★".repeat(6 - g.code() as usize) + &"☆".repeat(g.code() as usize - 1),
            name: g.name(),
        })
        .collect()
}

async fn departments(state: &AppState, w: &WindowRef) -> Result<Vec<(i64, String)>, Response> {
    if w.department_id.is_some() {
        return Ok(Vec::new());
    }
    let region = w.region_id;
    state
        .db(move |s| Ok(s.departments_for_region(region)?))
        .await
        .map_err(|e| PageError::from(e).into_response())
}

fn render_form(
    status: StatusCode,
    token: &str,
    w: &WindowRef,
    departments: &[(i64, String)],
    typed: &Typed,
    errors: &BTreeMap<&str, String>,
) -> Response {
    page_with_status(
        "citizen/rate.html",
        context! {
            token, window => Serde(w), grades => Serde(grades()), tags => Serde(OFFLINE_TAGS),
            departments => Serde(departments), typed => Serde(typed), errors => Serde(errors),
        },
        status,
    )
}

pub async fn form(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<RateQuery>,
) -> Response {
    let client = Client::new(&addr, &headers);
    if let Err(r) = guards.view(&client) {
        return r.into_response();
    }
    let w = match window(&state, &token).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let depts = match departments(&state, &w).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let typed = Typed {
        case_no: q.case.unwrap_or_default(),
        attempt: if q.attempt == Some(2) { 2 } else { 1 },
        ..Typed::default()
    };
    render_form(StatusCode::OK, &token, &w, &depts, &typed, &BTreeMap::new())
}

/// A 办件编号 as printed on a receipt: letters, digits, `-` and `_`.
fn valid_case_no(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_CASE_NO
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A mobile or fixed-line number: 7–20 digits, with `-` or spaces.
pub(crate) fn valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+')
}

fn parse(fields: &[(String, String)]) -> (Typed, BTreeMap<&'static str, String>) {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors = BTreeMap::new();
    let grade = get("grade")
        .parse::<i64>()
        .ok()
        .filter(|g| (1..=5).contains(g));
    if grade.is_none() {
        errors.insert("grade", "请选择满意程度（一至五星）".to_string());
    }
    // In the national order, whatever order the browser sent them in; unknown ones dropped.
    let tags: Vec<String> = OFFLINE_TAGS
        .iter()
        .filter(|t| fields.iter().any(|(n, v)| n == "tag" && v == *t))
        .map(|t| t.to_string())
        .collect();
    let comment = get("comment");
    if comment.chars().count() > MAX_COMMENT {
        errors.insert("comment", format!("评价内容最多 {MAX_COMMENT} 字"));
    }
    let case_no = get("case_no");
    if !case_no.is_empty() && !valid_case_no(&case_no) {
        errors.insert(
            "case_no",
            format!("办件编号只能包含字母、数字和“-”，最长 {MAX_CASE_NO} 位"),
        );
    }
    let attempt = if get("attempt") == "2" { 2 } else { 1 };
    if attempt == 2 && case_no.is_empty() {
        errors.insert("case_no", "追加评价须填写办件编号".to_string());
    }
    let phone = get("phone");
    if !phone.is_empty() && !valid_phone(&phone) {
        errors.insert("phone", "请填写正确的手机号或固定电话".to_string());
    }
    let department_id = get("department_id").parse::<i64>().ok();
    let typed = Typed {
        grade,
        tags,
        comment,
        case_no,
        phone,
        attempt,
        department_id,
    };
    (typed, errors)
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let client = Client::new(&addr, &headers);
    if let Err(r) = guards.write(&client, Some(&token)) {
        return r.into_response();
    }
    let w = match window(&state, &token).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let depts = match departments(&state, &w).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let (typed, mut errors) = parse(&fields);
    // The department is the window's; a window serving several names one of its region's.
    let department = match &w.department_name {
        Some(d) => Some(d.clone()),
        None => depts
            .iter()
            .find(|(id, _)| Some(*id) == typed.department_id)
            .map(|(_, n)| n.clone()),
    };
    if department.is_none() {
        errors.insert("department_id", "请选择办理业务的部门".to_string());
    }
    let case = (!typed.case_no.is_empty()).then(|| typed.case_no.clone());
    if errors.is_empty()
        && let Some(c) = &case
    {
        let (c1, attempt) = (c.clone(), typed.attempt);
        let done = state
            .db(move |s| Ok((s.case_rated(&c1, attempt)?, s.case_rated(&c1, 1)?)))
            .await;
        match done {
            Err(e) => return PageError::from(e).into_response(),
            Ok((true, _)) => return duplicate(&state, &token, &w, c, attempt).await,
            Ok((false, false)) if attempt == 2 => {
                errors.insert("case_no", "该办件还没有首次评价，请先进行评价".to_string());
            }
            Ok(_) => {}
        }
    }
    if !errors.is_empty() {
        return render_form(
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &w,
            &depts,
            &typed,
            &errors,
        );
    }
    let (Some(department), Some(code)) = (department, typed.grade) else {
        // Both were checked above; refused rather than trusted should that ever change.
        return PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "请选择满意程度和部门")
            .into_response();
    };
    let grade =
        Grade::from_code(code, jianping_core::GradeCodes::Gbt39046).unwrap_or(Grade::VerySatisfied);
    let rating_no = match &case {
        Some(c) => format!("QR-{c}-{}", typed.attempt),
        None => match jianping_store::codes::secret::window_token() {
            Ok(t) => format!("QR-{t}"),
            Err(e) => return PageError::from(e).into_response(),
        },
    };
    let region = match RegionCode::parse(&w.region_code) {
        Ok(r) => r,
        Err(e) => return PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
    };
    let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let record = RatingRecord {
        rating_no,
        case_no: case.clone(),
        matter_code: None,
        matter_name: None,
        department: department.clone(),
        window: Some(w.window_name.clone()),
        staff: None,
        region,
        channel: Channel::QrCode,
        grade,
        rated_at: state.now(),
        attempt: typed.attempt,
        tags: (!typed.tags.is_empty()).then(|| typed.tags.join("；")),
        comment: nonempty(&typed.comment),
        rater_name: None,
        rater_phone: nonempty(&typed.phone),
        device: None,
        address: client.ip.clone(),
        account: None,
    };
    let receipt = match state.intake().submit_async(record).await {
        Ok(r) => r,
        Err(e) if e.is_invalid() => {
            errors.insert("grade", e.to_string());
            return render_form(
                StatusCode::UNPROCESSABLE_ENTITY,
                &token,
                &w,
                &depts,
                &typed,
                &errors,
            );
        }
        Err(e) if e.is_unavailable() => {
            return PageError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
        }
        // Rated through another channel between the check above and the writer's.
        Err(e) if e.is_conflict() => {
            let c = case.unwrap_or_default();
            return duplicate(&state, &token, &w, &c, typed.attempt).await;
        }
        Err(e) => {
            eprintln!("码上评价保存失败：{e}");
            return PageError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "评价未能保存，请稍后重试",
            )
            .into_response();
        }
    };
    if receipt.outcome == IntakeOutcome::Duplicate {
        let c = case.unwrap_or_default();
        return duplicate(&state, &token, &w, &c, typed.attempt).await;
    }
    page(
        "citizen/rated.html",
        context! {
            token, window => Serde(&w), grade => grade.name(), bad => grade.is_bad(),
            department, item_no => receipt.ledger_item, attempt => typed.attempt,
        },
    )
}

/// The case was already rated: said kindly, with 追评 offered once after the first rating.
async fn duplicate(
    state: &AppState,
    token: &str,
    w: &WindowRef,
    case_no: &str,
    attempt: u8,
) -> Response {
    let c = case_no.to_string();
    let followup_open =
        attempt == 1 && matches!(state.db(move |s| Ok(s.case_rated(&c, 2)?)).await, Ok(false));
    let mut r = page(
        "citizen/duplicate.html",
        context! { token, window => Serde(w), case_no, attempt, followup_open },
    );
    *r.status_mut() = StatusCode::CONFLICT;
    r
}
