//! Users: the list, a new account (role, department, supervisor; the password policy's
//! refusal shown at the password field), and per account: disable/enable, a new password,
//! unlocking.

use super::{Errors, allowed, form_error, page};
use crate::auth::{Staff, check_csrf};
use crate::error::{PageError, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jianping_app::AppError;
use jianping_app::accounts::{UserRequest, check_password, create_user, hash_password};
use jianping_core::access::UserRole;
use jianping_store::accounts::UserChange;
use minijinja::context;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/admin/users", get(list).post(create))
        .route("/office/admin/users/{id}", get(show))
        .route("/office/admin/users/{id}/active", post(set_active))
        .route("/office/admin/users/{id}/password", post(reset_password))
        .route("/office/admin/users/{id}/unlock", post(unlock))
}

const ROLES: [UserRole; 5] = [
    UserRole::Admin,
    UserRole::Clerk,
    UserRole::Supervisor,
    UserRole::Leader,
    UserRole::Auditor,
];

#[derive(Serialize)]
struct RoleOption {
    code: &'static str,
    name: &'static str,
}

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
struct NewUserForm {
    #[serde(default, rename = "_csrf", skip_serializing)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    department_id: String,
    #[serde(default)]
    supervisor_id: String,
    #[serde(default, skip_serializing)]
    password: String,
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    form: &NewUserForm,
    errors: &Errors,
    notice: Option<String>,
) -> PageResult<Response> {
    let (users, departments, supervisors) = state
        .db(|s| Ok((s.users()?, s.department_entries()?, s.supervisor_entries()?)))
        .await?;
    let roles: Vec<RoleOption> = ROLES
        .iter()
        .map(|r| RoleOption {
            code: r.code(),
            name: r.name(),
        })
        .collect();
    let now = jianping_core::time::fmt_ts(&state.now());
    let rows: Vec<_> = users
        .iter()
        .map(|u| {
            context! {
                id => u.id,
                username => u.username.clone(),
                display_name => u.display_name.clone(),
                role => UserRole::from_code(&u.role).map_or(u.role.as_str(), |r| r.name()),
                department => u.department.clone(),
                supervisor => u.supervisor.clone(),
                active => u.active,
                locked => u.locked_until.as_deref().is_some_and(|t| t > now.as_str()),
                last_login_at => u.last_login_at.clone(),
            }
        })
        .collect();
    page(
        staff,
        status,
        "office/admin/users.html",
        context! {
            users => rows,
            roles => Serde(roles),
            departments => Serde(departments),
            supervisors => Serde(supervisors),
            form => Serde(form),
            errors => Serde(errors),
            notice,
        },
    )
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    allowed(&staff)?;
    list_page(
        &state,
        &staff,
        StatusCode::OK,
        &NewUserForm::default(),
        &Errors::new(),
        None,
    )
    .await
}

fn optional_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// Which field a refusal of `create_user` is about, from what it says.
fn field_of(message: &str) -> &'static str {
    if message.contains("密码") {
        "password"
    } else if message.contains("用户名") {
        "username"
    } else if message.contains("姓名") {
        "display_name"
    } else if message.contains("监督员") {
        "supervisor_id"
    } else if message.contains("部门") {
        "department_id"
    } else {
        "username"
    }
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<NewUserForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let mut errors = Errors::new();
    let role = UserRole::from_code(f.role.trim());
    if role.is_none() {
        errors.insert("role", "请选择角色".into());
    }
    if let Err(e) = check_password(&f.password, f.username.trim()) {
        errors.insert("password", e.to_string());
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return list_page(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            &f,
            &errors,
            None,
        )
        .await;
    };
    let req = UserRequest {
        username: f.username.trim().to_string(),
        display_name: f.display_name.trim().to_string(),
        role,
        department_id: optional_id(&f.department_id),
        supervisor_id: optional_id(&f.supervisor_id),
        password: f.password.clone(),
    };
    let now = state.now();
    let r = req.clone();
    match state.db(move |s| create_user(s, &r, now)).await {
        Ok(id) => {
            let detail = format!("角色：{}", role.name());
            state
                .audit(
                    &staff,
                    "user.create",
                    Some(format!("{}（{id}）", req.username)),
                    Some(detail),
                )
                .await;
            list_page(
                &state,
                &staff,
                StatusCode::OK,
                &NewUserForm::default(),
                &Errors::new(),
                Some(format!("已创建账号 {}（{}）", req.username, role.name())),
            )
            .await
        }
        Err(e) => {
            let message = form_error(e)?;
            errors.insert(field_of(&message), message);
            list_page(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &f,
                &errors,
                None,
            )
            .await
        }
    }
}

async fn user_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    status: StatusCode,
    errors: &Errors,
    notice: Option<String>,
) -> PageResult<Response> {
    let user = state
        .db(move |s| Ok(s.user_by_id(id)?))
        .await?
        .ok_or_else(|| PageError::not_found(format!("没有编号为 {id} 的用户")))?;
    let now = jianping_core::time::fmt_ts(&state.now());
    let role = UserRole::from_code(&user.role).map_or(user.role.clone(), |r| r.name().to_string());
    let locked = user
        .locked_until
        .as_deref()
        .is_some_and(|t| t > now.as_str());
    page(
        staff,
        status,
        "office/admin/user.html",
        context! {
            u => Serde(&user),
            role,
            locked,
            is_self => staff.principal.user_id == Some(id),
            errors => Serde(errors),
            notice,
        },
    )
}

async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    allowed(&staff)?;
    user_page(&state, &staff, id, StatusCode::OK, &Errors::new(), None).await
}

#[derive(Deserialize)]
struct ActiveForm {
    #[serde(rename = "_csrf")]
    csrf: String,
    active: String,
}

async fn set_active(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let active = f.active == "1";
    if !active && staff.principal.user_id == Some(id) {
        return Err(PageError::new(
            StatusCode::CONFLICT,
            "不能停用自己正在使用的账号",
        ));
    }
    let user = state
        .db(move |s| {
            let u = s
                .user_by_id(id)?
                .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的用户")))?;
            s.update_user(
                id,
                &UserChange {
                    display_name: u.display_name.clone(),
                    role: u.role.clone(),
                    department_id: u.department_id,
                    supervisor_id: u.supervisor_id,
                    active,
                },
            )?;
            Ok(u)
        })
        .await?;
    let action = if active {
        "user.enable"
    } else {
        "user.disable"
    };
    state
        .audit(
            &staff,
            action,
            Some(format!("{}（{id}）", user.username)),
            None,
        )
        .await;
    Ok(Redirect::to(&format!("/office/admin/users/{id}")).into_response())
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    password: String,
}

async fn reset_password(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let user = state
        .db(move |s| Ok(s.user_by_id(id)?))
        .await?
        .ok_or_else(|| PageError::not_found(format!("没有编号为 {id} 的用户")))?;
    if let Err(e) = check_password(&f.password, &user.username) {
        let mut errors = Errors::new();
        errors.insert("password", e.to_string());
        return user_page(
            &state,
            &staff,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
            None,
        )
        .await;
    }
    let hash = hash_password(&f.password)?;
    let now = state.now();
    state
        .db(move |s| Ok(s.set_password(id, &hash, now)?))
        .await?;
    state
        .audit(
            &staff,
            "user.password_reset",
            Some(format!("{}（{id}）", user.username)),
            None,
        )
        .await;
    user_page(
        &state,
        &staff,
        id,
        StatusCode::OK,
        &Errors::new(),
        Some("已设置新密码，该用户的所有登录会话已结束".into()),
    )
    .await
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(rename = "_csrf")]
    csrf: String,
}

async fn unlock(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    state.db(move |s| Ok(s.unlock_user(id)?)).await?;
    state
        .audit(&staff, "user.unlock", Some(id.to_string()), None)
        .await;
    Ok(Redirect::to(&format!("/office/admin/users/{id}")).into_response())
}
