//! The steps on an item, one POST each: the form's fields become a `Command`, the store's
//! workflow (`ledger_step`, with the session's `Principal`) decides. A refused step keeps
//! what was typed: bad input → the item page with the field's error (422); not allowed →
//! 403; the item changed meanwhile → 409 with what to do. Every step is audit-logged.

use super::item::{Echo, invalid};
use crate::auth::{Staff, check_csrf};
use crate::error::{PageError, PageResult};
use crate::pages::render;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use jianping_app::{AppError, ErrorKind};
use jianping_core::ledger::{Action, Command};
use jianping_core::privacy::mask_free_text;
use jianping_store::accounts::MAX_ATTACHMENT_BYTES;
use jianping_store::ledger::EvidenceFile;
use minijinja::context;
use std::collections::BTreeMap;

/// Files uploaded with one rectification, at most.
const MAX_FILES: usize = 5;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/ledger/{no}/step/{action}", post(step))
        .route("/office/ledger/{no}/topic", post(topic))
        .route(
            "/office/ledger/{no}/rectify",
            post(rectify).layer(DefaultBodyLimit::max(
                MAX_FILES * MAX_ATTACHMENT_BYTES + (1 << 20),
            )),
        )
}

type Fields = BTreeMap<String, String>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map_or("", |v| v.trim())
}

fn optional(f: &Fields, name: &str) -> Option<String> {
    Some(field(f, name).to_string()).filter(|v| !v.is_empty())
}

/// The command a form describes, or the form's field error.
fn command(action: &str, f: &Fields, departments: &[String]) -> Result<Command, (String, String)> {
    let required = |name: &str, message: &str| -> Result<String, (String, String)> {
        let v = field(f, name);
        if v.is_empty() {
            Err((name.to_string(), message.to_string()))
        } else {
            Ok(v.to_string())
        }
    };
    Ok(match action {
        "claim" => Command::Claim {
            note: optional(f, "note"),
        },
        "return" => Command::Return {
            reason: required(
                "reason",
                "退回须写明原因，如：不属于本部门职责，应由某部门办理",
            )?,
        },
        "reassign" => {
            let d = required("department", "请选择新的责任单位")?;
            if !departments.contains(&d) {
                return Err(("department".into(), "请从列表中选择责任单位".into()));
            }
            Command::Reassign {
                department: d,
                note: optional(f, "note"),
            }
        }
        "close" => Command::Close {
            note: optional(f, "note"),
        },
        "reopen" => Command::Reopen {
            reason: required("reason", "重新打开须写明原因")?,
        },
        "extension_request" => {
            let days = required("days", "请填写延期的工作日天数")?;
            let days = match days.parse::<u32>() {
                Ok(n) if (1..=60).contains(&n) => n,
                _ => {
                    return Err((
                        "days".into(),
                        "延期天数须为 1 至 60 之间的整数（工作日）".into(),
                    ));
                }
            };
            Command::RequestExtension {
                days,
                reason: required("reason", "申请延期须写明理由")?,
            }
        }
        "extension_decide" => Command::DecideExtension {
            approve: decision(f, "approve", "refuse")?,
            note: optional(f, "note"),
        },
        "callback" => {
            let code = required("response", "请选择回访结果")?;
            let response = code
                .parse::<i64>()
                .ok()
                .and_then(jianping_core::Response::from_code)
                .ok_or_else(|| ("response".to_string(), "请从列表中选择回访结果".to_string()))?;
            Command::Callback {
                response,
                note: optional(f, "note"),
            }
        }
        "appeal_file" => Command::FileAppeal {
            reason: required("reason", "申诉须写明理由")?,
            evidence: optional(f, "evidence"),
        },
        "appeal_decide" => Command::DecideAppeal {
            uphold: decision(f, "uphold", "reject")?,
            note: optional(f, "note"),
        },
        _ => return Err(("action".into(), "没有这个办理步骤".into())),
    })
}

fn decision(f: &Fields, yes: &str, no: &str) -> Result<bool, (String, String)> {
    match field(f, "decision") {
        d if d == yes => Ok(true),
        d if d == no => Ok(false),
        _ => Err(("decision".into(), "请选择审批结果".into())),
    }
}

/// The answer to a refused or failed step.
async fn refused(
    state: &AppState,
    staff: &Staff,
    no: &str,
    form: &str,
    values: Fields,
    e: AppError,
) -> PageResult<Response> {
    match e.kind() {
        ErrorKind::Invalid | ErrorKind::Usage => {
            let echo = Echo::new(form, values).error("_form", e.to_string());
            invalid(state, staff, no, echo).await
        }
        ErrorKind::Conflict => {
            let html = render(
                "office/conflict.html",
                Some(staff),
                context! { item_no => no, message => e.to_string() },
            )?;
            Ok((StatusCode::CONFLICT, html).into_response())
        }
        _ => Err(PageError::from(e)),
    }
}

fn done(no: &str, action: Action) -> Response {
    Redirect::to(&format!(
        "/office/ledger/{}?done={}",
        crate::auth::urlencode(no),
        action.code()
    ))
    .into_response()
}

async fn step(
    State(state): State<AppState>,
    staff: Staff,
    Path((no, action)): Path<(String, String)>,
    Form(mut f): Form<Fields>,
) -> PageResult<Response> {
    check_csrf(&staff, f.get("_csrf").map_or("", String::as_str))?;
    f.remove("_csrf");
    let departments = if action == "reassign" {
        state
            .db(|s| Ok(s.department_choices()?))
            .await?
            .into_iter()
            .map(|d| d.name)
            .collect()
    } else {
        Vec::new()
    };
    let cmd = match command(&action, &f, &departments) {
        Ok(c) => c,
        Err((_, m)) if action_unknown(&action) => {
            return Err(PageError::not_found(m));
        }
        Err((field, message)) => {
            let echo = Echo::new(&action, f).error(&field, message);
            return invalid(&state, &staff, &no, echo).await;
        }
    };
    let who = staff.principal.clone();
    let now = state.now();
    let (item_no, c) = (no.clone(), cmd.clone());
    match state
        .db(move |s| Ok(s.ledger_step(&item_no, &c, &who, now)?))
        .await
    {
        Ok(out) => {
            let detail = cmd.note().map(|n| mask_free_text(&n));
            state
                .audit(
                    &staff,
                    &format!("ledger.{}", out.action.code()),
                    Some(no.clone()),
                    detail,
                )
                .await;
            Ok(done(&no, out.action))
        }
        Err(e) => refused(&state, &staff, &no, &action, f, e).await,
    }
}

fn action_unknown(action: &str) -> bool {
    !matches!(
        action,
        "claim"
            | "return"
            | "reassign"
            | "close"
            | "reopen"
            | "extension_request"
            | "extension_decide"
            | "callback"
            | "appeal_file"
            | "appeal_decide"
    )
}

async fn topic(
    State(state): State<AppState>,
    staff: Staff,
    Path(no): Path<String>,
    Form(mut f): Form<Fields>,
) -> PageResult<Response> {
    check_csrf(&staff, f.get("_csrf").map_or("", String::as_str))?;
    f.remove("_csrf");
    let topic = field(&f, "topic").to_string();
    if topic.is_empty() {
        let echo = Echo::new("topic", f).error("topic", "请选择问题类别");
        return invalid(&state, &staff, &no, echo).await;
    }
    let who = staff.principal.clone();
    let now = state.now();
    let (item_no, t) = (no.clone(), topic.clone());
    match state
        .db(move |s| Ok(s.ledger_set_topic(&item_no, &t, &who, now)?))
        .await
    {
        Ok(_) => {
            state
                .audit(&staff, "ledger.topic", Some(no.clone()), Some(topic))
                .await;
            Ok(
                Redirect::to(&format!("/office/ledger/{}", crate::auth::urlencode(&no)))
                    .into_response(),
            )
        }
        Err(e) => refused(&state, &staff, &no, "topic", f, e).await,
    }
}

/// 提交整改: the measures and up to five evidence files, multipart.
async fn rectify(
    State(state): State<AppState>,
    staff: Staff,
    Path(no): Path<String>,
    mut multipart: Multipart,
) -> PageResult<Response> {
    let mut f = Fields::new();
    let mut files: Vec<EvidenceFile> = Vec::new();
    let bad = |m: String| PageError::new(StatusCode::BAD_REQUEST, m);
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|e| bad(format!("上传内容无法读取：{e}")))?
    {
        let name = part.name().unwrap_or_default().to_string();
        if name == "evidence" {
            let file_name = part.file_name().unwrap_or_default().trim().to_string();
            let content_type = part
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            let data = part
                .bytes()
                .await
                .map_err(|e| bad(format!("证明材料上传失败：{e}")))?;
            if file_name.is_empty() && data.is_empty() {
                continue; // the file input left empty
            }
            files.push(EvidenceFile {
                file_name: sanitize_name(&file_name),
                content_type,
                data: data.to_vec(),
            });
        } else {
            let text = part
                .text()
                .await
                .map_err(|e| bad(format!("表单内容无法读取：{e}")))?;
            f.insert(name, text);
        }
    }
    check_csrf(&staff, f.get("_csrf").map_or("", String::as_str))?;
    f.remove("_csrf");
    let measures = field(&f, "measures").to_string();
    let error = if measures.is_empty() {
        Some(("measures", "请写明整改措施".to_string()))
    } else if files.len() > MAX_FILES {
        Some(("evidence", format!("一次最多上传 {MAX_FILES} 个文件")))
    } else {
        files
            .iter()
            .find(|x| x.data.len() > MAX_ATTACHMENT_BYTES)
            .map(|x| {
                (
                    "evidence",
                    format!(
                        "文件「{}」超过 {} MB，请压缩后再上传",
                        x.file_name,
                        MAX_ATTACHMENT_BYTES >> 20
                    ),
                )
            })
    };
    if let Some((field, message)) = error {
        let echo = Echo::new("rectify", f).error(field, message);
        return invalid(&state, &staff, &no, echo).await;
    }
    let who = staff.principal.clone();
    let now = state.now();
    let item_no = no.clone();
    let (m, count) = (measures.clone(), files.len());
    match state
        .db(move |s| Ok(s.ledger_rectify_with_evidence(&item_no, &m, &files, &who, now)?))
        .await
    {
        Ok(out) => {
            let detail = format!("{}（证明材料 {count} 个）", mask_free_text(&measures));
            state
                .audit(&staff, "ledger.rectify", Some(no.clone()), Some(detail))
                .await;
            Ok(done(&no, out.action))
        }
        Err(e) => refused(&state, &staff, &no, "rectify", f, e).await,
    }
}

/// A file name as given by the browser, without any path and control characters.
fn sanitize_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if clean.trim().is_empty() {
        "证明材料".to_string()
    } else {
        clean
    }
}
