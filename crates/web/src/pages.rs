//! Server-rendered pages: minijinja templates embedded in the binary (src/templates),
//! HTML-escaped by default. Every page extends `layout.html`.

use crate::auth::Staff;
use crate::error::{PageError, PageResult};
use axum::http::StatusCode;
use axum::response::Html;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use std::sync::LazyLock;

static PAGES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    minijinja_embed::load_templates!(&mut env);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".svg") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.add_filter("mask_phone", |s: String| {
        jianping_core::privacy::mask_phone(&s)
    });
    env.add_filter("mask_name", |s: String| {
        jianping_core::privacy::mask_name(&s)
    });
    env
});

/// The back-office navigation, filtered by what the role may open.
#[derive(serde::Serialize)]
struct NavItem {
    href: &'static str,
    label: &'static str,
}

fn nav(staff: Option<&Staff>) -> Vec<NavItem> {
    use jianping_core::access::UserRole::*;
    let Some(s) = staff else { return Vec::new() };
    let role = s.principal.role;
    let all: [(&str, &str, bool); 8] = [
        ("/office", "工作台", role != Auditor),
        (
            "/office/ledger",
            "整改台账",
            matches!(role, Admin | Clerk | Supervisor | Leader),
        ),
        ("/office/feedback", "监督员意见", role == Supervisor),
        ("/office/imports", "数据导入", role == Admin),
        (
            "/office/reports",
            "报告下载",
            matches!(role, Admin | Leader),
        ),
        ("/office/admin", "系统管理", role == Admin),
        ("/office/audit", "审计日志", role == Auditor),
        ("/api/docs", "接口文档", role == Admin),
    ];
    all.into_iter()
        .filter(|(_, _, shown)| *shown)
        .map(|(href, label, _)| NavItem { href, label })
        .collect()
}

/// Renders `name` with `ctx`, plus what every page needs: the user, the navigation and the
/// CSRF token for forms.
pub fn render(name: &str, staff: Option<&Staff>, ctx: Value) -> PageResult<Html<String>> {
    let base = context! {
        user => staff.map(|s| context! {
            name => s.user.display_name.clone(),
            username => s.user.username.clone(),
            role => s.principal.role.code(),
            role_name => s.principal.role.name(),
            department => s.user.department.clone(),
        }),
        csrf => staff.map(|s| s.csrf.clone()),
        nav => Serde(nav(staff)),
    };
    let tmpl = PAGES.get_template(name).map_err(template_error)?;
    let html = tmpl
        .render(context! { ..ctx, ..base })
        .map_err(template_error)?;
    Ok(Html(html))
}

fn template_error(e: minijinja::Error) -> PageError {
    eprintln!("页面模板错误：{e:#}");
    PageError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "页面生成失败，请联系系统管理员",
    )
}

/// The error page; falls back to plain text if even that template fails.
pub fn render_error(status: u16, title: &str, message: &str) -> Html<String> {
    let ctx = context! { status, title, message };
    match PAGES.get_template("error.html").and_then(|t| t.render(ctx)) {
        Ok(h) => Html(h),
        Err(_) => Html(format!("{title}：{message}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles_and_text_is_escaped() {
        let names: Vec<&str> = PAGES.templates().map(|(n, _)| n).collect();
        assert!(names.contains(&"layout.html"), "{names:?}");
        let html = render_error(404, "页面不存在", "<script>alert(1)</script>").0;
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>alert"), "{html}");
    }
}
