//! 反映问题 (码上监督): the complaint form with an optional photo, its receipt, and the page
//! that shows what became of it and takes the reporter's additions.

use super::rate::valid_phone;
use super::{Client, Guards, count_honeypot, page, page_with_status, window};
use crate::error::PageError;
use crate::state::{AppState, ClientAddr};
use axum::Extension;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jianping_store::codes::WindowRef;
use jianping_store::complaints::{CATEGORIES, MAX_TEXT, NewComplaint, Photo};
use minijinja::context;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Largest photo accepted.
pub const MAX_PHOTO: usize = 5 << 20;
/// The hidden field only bots fill in.
const HONEYPOT: &str = "website";

#[derive(Debug, Default, Serialize)]
struct Typed {
    category: String,
    content: String,
    name: String,
    phone: String,
    anonymous: bool,
}

fn render_form(
    status: StatusCode,
    token: &str,
    w: &WindowRef,
    typed: &Typed,
    errors: &BTreeMap<&str, String>,
) -> Response {
    page_with_status(
        "citizen/report.html",
        context! {
            token, window => Serde(w), categories => Serde(CATEGORIES), typed => Serde(typed),
            errors => Serde(errors), max_photo_mb => MAX_PHOTO >> 20, max_text => MAX_TEXT,
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
) -> Response {
    if let Err(r) = guards.view(&Client::new(&addr, &headers)) {
        return r.into_response();
    }
    match window(&state, &token).await {
        Ok(w) => render_form(
            StatusCode::OK,
            &token,
            &w,
            &Typed::default(),
            &BTreeMap::new(),
        ),
        Err(r) => r,
    }
}

/// The image type of `data` by its first bytes (never by the name or the browser's word).
fn image_type(data: &[u8]) -> Option<(&'static str, &'static str)> {
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(token): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let client = Client::new(&addr, &headers);
    if let Err(r) = guards.write(&client, Some(&token)) {
        return r.into_response();
    }
    let w = match window(&state, &token).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let mut typed = Typed::default();
    let mut errors = BTreeMap::new();
    let mut photo = None;
    let mut honeypot = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let status = e.status();
                let msg = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    format!("提交的内容过大：照片最大 {} MB", MAX_PHOTO >> 20)
                } else {
                    "提交的表单无法读取，请重新填写".to_string()
                };
                return PageError::new(status, msg).into_response();
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "photo" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            match field.bytes().await {
                Ok(b) if b.is_empty() => {}
                Ok(b) if b.len() > MAX_PHOTO => {
                    errors.insert("photo", format!("照片不能超过 {} MB", MAX_PHOTO >> 20));
                }
                Ok(b) => match image_type(&b) {
                    Some((kind, ext)) => {
                        photo = Some(Photo {
                            file_name: if file_name.is_empty() {
                                format!("photo.{ext}")
                            } else {
                                file_name.chars().take(100).collect()
                            },
                            content_type: kind.to_string(),
                            data: b.to_vec(),
                        })
                    }
                    None => {
                        errors.insert("photo", "照片须为 JPEG、PNG 或 WebP 图片".to_string());
                    }
                },
                Err(_) => {
                    errors.insert("photo", "照片上传不完整，请重新选择".to_string());
                }
            }
            continue;
        }
        let value = field.text().await.unwrap_or_default().trim().to_string();
        match name.as_str() {
            "category" => typed.category = value,
            "content" => typed.content = value,
            "name" => typed.name = value.chars().take(50).collect(),
            "phone" => typed.phone = value,
            "anonymous" => typed.anonymous = !value.is_empty(),
            HONEYPOT => honeypot = !value.is_empty(),
            _ => {}
        }
    }
    if honeypot {
        // A bot: it sees the same success as a person, and nothing is stored.
        count_honeypot();
        let fake = jianping_store::codes::secret::window_token().unwrap_or_default();
        return page(
            "citizen/reported.html",
            context! { token, window => Serde(&w), receipt => fake, report_no => "", item_no => () },
        );
    }
    if !CATEGORIES.contains(&typed.category.as_str()) {
        errors.insert("category", "请选择问题类别".to_string());
    }
    if typed.content.is_empty() {
        errors.insert("content", "请描述您遇到的问题".to_string());
    } else if typed.content.chars().count() > MAX_TEXT {
        errors.insert("content", format!("问题描述最多 {MAX_TEXT} 字"));
    }
    if typed.anonymous {
        typed.name.clear();
        typed.phone.clear();
    }
    if !typed.phone.is_empty() && !valid_phone(&typed.phone) {
        errors.insert("phone", "请填写正确的手机号或固定电话".to_string());
    }
    if !errors.is_empty() {
        if photo.is_some() {
            errors.entry("photo").or_insert_with(|| {
                "请重新选择照片（出于安全原因，浏览器不会保留已选的文件）".into()
            });
        }
        return render_form(
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &w,
            &typed,
            &errors,
        );
    }
    let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let complaint = NewComplaint {
        window_id: w.window_id,
        category: typed.category.clone(),
        content: typed.content.clone(),
        reporter_name: nonempty(&typed.name),
        reporter_phone: nonempty(&typed.phone),
        photo,
        address: client.ip.clone(),
        received_at: state.now(),
    };
    match state.db(move |s| Ok(s.file_complaint(&complaint)?)).await {
        Ok(r) => page(
            "citizen/reported.html",
            context! {
                token, window => Serde(&w), receipt => r.receipt, report_no => r.report_no,
                item_no => r.item_no,
            },
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

fn unknown_receipt() -> Response {
    PageError::not_found("没有找到这个回执码对应的问题，请核对回执链接是否完整。").into_response()
}

async fn receipt_page(
    state: &AppState,
    receipt: &str,
    status: StatusCode,
    typed: &str,
    error: Option<String>,
) -> Response {
    let key = receipt.to_string();
    match state.db(move |s| Ok(s.complaint_status(&key)?)).await {
        Ok(Some(c)) => {
            let can_add = c.can_add();
            page_with_status(
                "citizen/receipt.html",
                context! {
                    receipt, c => Serde(&c), can_add, typed, error,
                    max_additions => jianping_store::complaints::MAX_ADDITIONS,
                },
                status,
            )
        }
        Ok(None) => unknown_receipt(),
        Err(e) => PageError::from(e).into_response(),
    }
}

pub async fn receipt(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(receipt): Path<String>,
) -> Response {
    if let Err(r) = guards.view(&Client::new(&addr, &headers)) {
        return r.into_response();
    }
    receipt_page(&state, &receipt, StatusCode::OK, "", None).await
}

#[derive(Debug, Deserialize)]
pub struct Addition {
    #[serde(default)]
    content: String,
}

pub async fn add(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(receipt): Path<String>,
    Form(form): Form<Addition>,
) -> Response {
    let client = Client::new(&addr, &headers);
    if let Err(r) = guards.write(&client, None) {
        return r.into_response();
    }
    let (key, text, at, ip) = (
        receipt.clone(),
        form.content.clone(),
        state.now(),
        client.ip,
    );
    let added = state
        .db(move |s| Ok(s.add_to_complaint(&key, &text, ip.as_deref(), at)?))
        .await;
    match added {
        Ok(()) => Redirect::to(&format!("/r/{receipt}#additions")).into_response(),
        Err(e) => {
            let status = crate::error::status_of(e.kind());
            if status == StatusCode::NOT_FOUND {
                return unknown_receipt();
            }
            if !matches!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
            ) {
                return PageError::from(e).into_response();
            }
            let msg = e.to_string();
            receipt_page(&state, &receipt, status, &form.content, Some(msg)).await
        }
    }
}
