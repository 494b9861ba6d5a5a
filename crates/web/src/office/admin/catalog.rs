//! Departments, halls and windows: the lists, a department added by hand, renaming. The
//! lists themselves come from imports (`/office/imports`); this is for corrections.

use super::{Errors, allowed, form_error, page};
use crate::auth::{Staff, check_csrf};
use crate::error::{PageError, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/admin/catalog", get(list))
        .route("/office/admin/catalog/departments", post(add_department))
        .route("/office/admin/catalog/{what}/{id}/rename", post(rename))
}

async fn catalog_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    errors: &Errors,
    notice: Option<String>,
) -> PageResult<Response> {
    let (departments, halls, windows) = state
        .db(|s| {
            Ok((
                s.department_entries()?,
                s.hall_entries()?,
                s.window_codes()?,
            ))
        })
        .await?;
    let windows: Vec<_> = windows
        .iter()
        .map(|c| {
            context! {
                id => c.window.window_id,
                name => c.window.window_name.clone(),
                code => c.window.window_code.clone(),
                hall => c.window.hall_name.clone(),
                department => c.window.department_name.clone(),
                region => c.window.region_name.clone(),
            }
        })
        .collect();
    page(
        staff,
        status,
        "office/admin/catalog.html",
        context! {
            departments => Serde(departments),
            halls => Serde(halls),
            windows,
            errors => Serde(errors),
            notice,
        },
    )
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    allowed(&staff)?;
    catalog_page(&state, &staff, StatusCode::OK, &Errors::new(), None).await
}

#[derive(Deserialize)]
struct DepartmentForm {
    #[serde(rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
}

async fn add_department(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<DepartmentForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let (name, short) = (f.name.clone(), f.short_name.clone());
    match state
        .db(move |s| Ok(s.add_department(&name, Some(&short))?))
        .await
    {
        Ok(id) => {
            state
                .audit(
                    &staff,
                    "department.add",
                    Some(format!("{}（{id}）", f.name.trim())),
                    None,
                )
                .await;
            let notice = format!("已添加部门「{}」", f.name.trim());
            catalog_page(&state, &staff, StatusCode::OK, &Errors::new(), Some(notice)).await
        }
        Err(e) => {
            let mut errors = Errors::new();
            errors.insert("department", form_error(e)?);
            catalog_page(
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

#[derive(Deserialize)]
struct RenameForm {
    #[serde(rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    name: String,
}

async fn rename(
    State(state): State<AppState>,
    staff: Staff,
    Path((what, id)): Path<(String, i64)>,
    Form(f): Form<RenameForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let (label, action) = match what.as_str() {
        "departments" => ("部门", "department.rename"),
        "halls" => ("大厅", "hall.rename"),
        "windows" => ("窗口", "window.rename"),
        _ => return Err(PageError::not_found("没有这个页面")),
    };
    let name = f.name.clone();
    let w = what.clone();
    let result = state
        .db(move |s| {
            Ok(match w.as_str() {
                "departments" => s.rename_department(id, &name),
                "halls" => s.rename_hall(id, &name),
                _ => s.rename_window(id, &name),
            }?)
        })
        .await;
    match result {
        Ok(()) => {
            state
                .audit(
                    &staff,
                    action,
                    Some(format!("{label} {id}")),
                    Some(format!("新名称：{}", f.name.trim())),
                )
                .await;
            let notice = format!("已将{label}更名为「{}」", f.name.trim());
            catalog_page(&state, &staff, StatusCode::OK, &Errors::new(), Some(notice)).await
        }
        Err(e) => {
            let mut errors = Errors::new();
            errors.insert("rename", form_error(e)?);
            catalog_page(
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
