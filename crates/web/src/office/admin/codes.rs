//! Window QR codes (SVG/PNG, the A4 sheet per hall, revoke and reissue) and pad devices
//! (register → the key shown once; revoke). The store keeps tokens and keys
//! (`jianping_store::codes`); drawing is the document crate's, as for `jianping qr`.

use super::{Errors, allowed, form_error, page};
use crate::auth::{Staff, check_csrf};
use crate::download::attachment;
use crate::error::{PageError, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jianping_app::AppError;
use jianping_core::PublicUrl;
use jianping_document::{QrOptions, qr_modules, qr_png, qr_svg, render_qr_card_svg};
use jianping_store::codes::by_hall;
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/admin/windows", get(windows))
        .route("/office/admin/windows/ensure", post(ensure))
        .route("/office/admin/windows/{id}", get(window_image))
        .route("/office/admin/windows/{id}/revoke", post(revoke))
        .route("/office/admin/halls/{id}/sheet", get(sheet))
        .route("/office/admin/devices", get(devices).post(register))
        .route("/office/admin/devices/{id}/revoke", post(revoke_device))
}

fn base_url(state: &AppState) -> Result<PublicUrl, AppError> {
    PublicUrl::parse(&state.settings().public_url)
        .map_err(|e| AppError::Invalid(format!("[server] public_url：{e}")))
}

async fn windows_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    errors: &Errors,
    notice: Option<String>,
) -> PageResult<Response> {
    let base = base_url(state)?;
    let halls = by_hall(state.db(|s| Ok(s.window_codes()?)).await?);
    let halls: Vec<_> = halls
        .iter()
        .map(|h| {
            context! {
                id => h.hall_id.map_or_else(|| "none".to_string(), |i| i.to_string()),
                name => h.hall_name.clone().unwrap_or_else(|| jianping_app::qr::NO_HALL.into()),
                windows => h.windows.iter().map(|c| context! {
                    id => c.window.window_id,
                    name => c.window.window_name.clone(),
                    code => c.window.window_code.clone(),
                    department => c.window.department_name.clone(),
                    region => c.window.region_name.clone(),
                    url => c.url(&base),
                    since => c.token_created_at.clone(),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    page(
        staff,
        status,
        "office/admin/windows.html",
        context! { halls, errors => Serde(errors), notice },
    )
}

async fn windows(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    allowed(&staff)?;
    windows_page(&state, &staff, StatusCode::OK, &Errors::new(), None).await
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(rename = "_csrf")]
    csrf: String,
}

/// Tokens for windows imported since the server started.
async fn ensure(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<CsrfForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let now = state.now();
    let n = state.db(move |s| Ok(s.ensure_window_tokens(now)?)).await?;
    if n > 0 {
        state
            .audit(
                &staff,
                "qr.ensure",
                None,
                Some(format!("生成 {n} 个窗口二维码令牌")),
            )
            .await;
    }
    windows_page(
        &state,
        &staff,
        StatusCode::OK,
        &Errors::new(),
        Some(format!("已为 {n} 个尚无二维码的窗口生成二维码")),
    )
    .await
}

/// `{id}.svg` (the code), `{id}.png`, `{id}-card.svg` (the card with names).
async fn window_image(
    State(state): State<AppState>,
    staff: Staff,
    Path(file): Path<String>,
) -> PageResult<Response> {
    allowed(&staff)?;
    let (stem, ext) = file
        .rsplit_once('.')
        .ok_or_else(|| PageError::not_found("没有这个文件"))?;
    let (id, card_wanted) = match stem.strip_suffix("-card") {
        Some(id) => (id, true),
        None => (stem, false),
    };
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::not_found("没有这个文件"))?;
    let base = base_url(&state)?;
    let code = state.db(move |s| Ok(s.window_code(id)?)).await?;
    let card = jianping_app::qr::card(&code, &base)?;
    let name = code
        .window
        .window_code
        .clone()
        .unwrap_or(card.window.clone());
    let render_err =
        |e: jianping_document::DocumentError| PageError::from(AppError::Other(e.into()));
    let (bytes, kind, fname) = match (ext, card_wanted) {
        ("svg", false) => (
            qr_svg(&card.url, 8).map_err(render_err)?.into_bytes(),
            "image/svg+xml",
            format!("{name}-二维码.svg"),
        ),
        ("svg", true) => (
            render_qr_card_svg(&card, &QrOptions::default())
                .map_err(render_err)?
                .into_bytes(),
            "image/svg+xml",
            format!("{name}-二维码卡片.svg"),
        ),
        ("png", false) => {
            let module_px = (400 / qr_modules(&card.url).map_err(render_err)?).max(1);
            (
                qr_png(&card.url, module_px).map_err(render_err)?.data,
                "image/png",
                format!("{name}-二维码.png"),
            )
        }
        _ => return Err(PageError::not_found("没有这个文件")),
    };
    Ok(attachment(&fname, kind, bytes))
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    reissue: Option<String>,
}

async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<RevokeForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let now = state.now();
    let by = format!("{}（{}）", staff.user.display_name, staff.user.username);
    let reissue = f.reissue.is_some();
    let reason = f.reason.clone();
    let result = state
        .db(move |s| Ok(s.revoke_window_token(id, &by, &reason, now, reissue)?))
        .await;
    match result {
        Ok(r) => {
            let detail = format!(
                "原因：{}；{}",
                f.reason.trim(),
                if r.new_token.is_some() {
                    "已重发新二维码"
                } else {
                    "未重发"
                }
            );
            state
                .audit(
                    &staff,
                    "qr.revoke",
                    Some(r.window.window_name.clone()),
                    Some(detail),
                )
                .await;
            let notice = format!(
                "已作废窗口「{}」的二维码，旧卡片即刻失效{}",
                r.window.window_name,
                if r.new_token.is_some() {
                    "；请下载新二维码并换下旧卡片"
                } else {
                    ""
                }
            );
            windows_page(&state, &staff, StatusCode::OK, &Errors::new(), Some(notice)).await
        }
        Err(e) => {
            let mut errors = Errors::new();
            errors.insert("revoke", form_error(e)?);
            windows_page(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &errors,
                None,
            )
            .await
        }
    }
}

/// The printable A4 page of a hall: a document of its own, with its own styles inline
/// and no script, so it gets a CSP that allows exactly that.
async fn sheet(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> PageResult<Response> {
    allowed(&staff)?;
    let hall_id = match id.as_str() {
        "none" => None,
        n => Some(
            n.parse::<i64>()
                .map_err(|_| PageError::not_found("没有这个大厅"))?,
        ),
    };
    let base = base_url(&state)?;
    let codes = state.db(|s| Ok(s.window_codes()?)).await?;
    let hall = by_hall(codes)
        .into_iter()
        .find(|h| h.hall_id == hall_id)
        .ok_or_else(|| PageError::not_found("没有这个大厅，或该大厅没有窗口"))?;
    let html = jianping_app::qr::hall_sheet_html(&hall, &base, &QrOptions::default())?;
    let mut r = axum::response::Html(html).into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
        ),
    );
    Ok(r)
}

async fn devices_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    form: (&str, &str),
    errors: &Errors,
    new_key: Option<(String, String)>,
) -> PageResult<Response> {
    let (devices, windows) = state
        .db(|s| Ok((s.pad_devices(true)?, s.window_codes()?)))
        .await?;
    let windows: Vec<_> = windows
        .iter()
        .map(|c| {
            context! {
                id => c.window.window_id,
                label => format!(
                    "{} · {}",
                    c.window.hall_name.as_deref().unwrap_or(jianping_app::qr::NO_HALL),
                    c.window.window_name
                ),
            }
        })
        .collect();
    page(
        staff,
        status,
        "office/admin/devices.html",
        context! {
            devices => Serde(devices),
            windows,
            form => context! { window_id => form.0, name => form.1 },
            errors => Serde(errors),
            new_key => new_key.map(|(name, key)| context! { name, key }),
        },
    )
}

async fn devices(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    allowed(&staff)?;
    devices_page(
        &state,
        &staff,
        StatusCode::OK,
        ("", ""),
        &Errors::new(),
        None,
    )
    .await
}

#[derive(Deserialize)]
struct DeviceForm {
    #[serde(rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    window_id: String,
    #[serde(default)]
    name: String,
}

async fn register(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<DeviceForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let mut errors = Errors::new();
    let Ok(window_id) = f.window_id.trim().parse::<i64>() else {
        errors.insert("window_id", "请选择评价器所在的窗口".into());
        return devices_page(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            (&f.window_id, &f.name),
            &errors,
            None,
        )
        .await;
    };
    let now = state.now();
    let name = f.name.clone();
    match state
        .db(move |s| Ok(s.register_pad_device(window_id, &name, now)?))
        .await
    {
        Ok(d) => {
            state
                .audit(
                    &staff,
                    "device.register",
                    Some(d.device.name.clone()),
                    Some(format!("窗口：{}", d.device.window.window_name)),
                )
                .await;
            // The key is shown once, on this answer; only its hash is kept.
            let mut r = devices_page(
                &state,
                &staff,
                StatusCode::OK,
                ("", ""),
                &Errors::new(),
                Some((d.device.name, d.key)),
            )
            .await?;
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(r)
        }
        Err(e) => {
            errors.insert("name", form_error(e)?);
            devices_page(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                (&f.window_id, &f.name),
                &errors,
                None,
            )
            .await
        }
    }
}

async fn revoke_device(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<RevokeForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let now = state.now();
    let by = format!("{}（{}）", staff.user.display_name, staff.user.username);
    let reason = f.reason.clone();
    match state
        .db(move |s| Ok(s.revoke_pad_device(id, &by, &reason, now)?))
        .await
    {
        Ok(d) => {
            state.devices().clear();
            state
                .audit(
                    &staff,
                    "device.revoke",
                    Some(d.name.clone()),
                    Some(format!("原因：{}", f.reason.trim())),
                )
                .await;
            Ok(Redirect::to("/office/admin/devices").into_response())
        }
        Err(e) => {
            let mut errors = Errors::new();
            errors.insert("revoke", form_error(e)?);
            devices_page(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                ("", ""),
                &errors,
                None,
            )
            .await
        }
    }
}
