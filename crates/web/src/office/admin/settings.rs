//! The holiday calendar (a year's 放假/调休, importing the State Council's notice), the
//! ledger's deadlines in working days, and the indicator system's TOML.

use super::{Errors, allowed, form_error, page};
use crate::auth::{CSRF_FIELD, Staff, check_csrf};
use crate::error::{PageError, PageResult};
use crate::state::AppState;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::Datelike;
use jianping_app::AppError;
use jianping_core::calendar::{parse_csv, weekday_cn};
use jianping_core::indicators::IndicatorConfig;
use jianping_core::ledger::LedgerConfig;
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/office/admin/calendar",
            get(calendar).post(import_calendar),
        )
        .route(
            "/office/admin/ledger-config",
            get(ledger_config).post(save_ledger_config),
        )
        .route(
            "/office/admin/indicators",
            get(indicators).post(upload_indicators),
        )
}

/// A small upload (a calendar, a TOML file): the CSRF field and the file's name and text.
async fn small_upload(staff: &Staff, mut form: Multipart) -> PageResult<Option<(String, Vec<u8>)>> {
    let bad = || {
        PageError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "上传失败：文件过大（上限 1 MB）或上传中断",
        )
    };
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(|_| bad())? {
        match field.name().unwrap_or_default() {
            CSRF_FIELD => csrf = field.text().await.map_err(|_| bad())?,
            "file" => {
                let name = field.file_name().unwrap_or("上传文件").to_string();
                let bytes = field.bytes().await.map_err(|_| bad())?;
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    check_csrf(staff, &csrf)?;
    Ok(file)
}

fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes)
        .map(|s| s.trim_start_matches('\u{feff}').to_string())
        .map_err(|_| "文件不是 UTF-8 编码的文本，请用“另存为 UTF-8”后重新上传".to_string())
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<i32>,
}

async fn calendar_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    year: i32,
    errors: &Errors,
    notice: Option<String>,
) -> PageResult<Response> {
    let cal = state.db(|s| Ok(s.calendar()?)).await?;
    let s = cal.year_summary(year);
    let holidays: Vec<_> = s
        .holidays
        .iter()
        .map(|b| {
            context! {
                name => b.name.clone(),
                first => format!("{}（{}）", b.first, weekday_cn(b.first)),
                last => format!("{}（{}）", b.last, weekday_cn(b.last)),
                days => b.days,
            }
        })
        .collect();
    let workdays: Vec<_> = s
        .workdays
        .iter()
        .map(|d| context! { date => format!("{}（{}）", d.date, weekday_cn(d.date)), name => d.name.clone() })
        .collect();
    let years: Vec<i32> = cal.years().collect();
    page(
        staff,
        status,
        "office/admin/calendar.html",
        context! {
            year, known => s.known, working_days => s.working_days,
            holidays, workdays, years,
            errors => Serde(errors), notice,
        },
    )
}

async fn calendar(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    allowed(&staff)?;
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| state.now().year());
    calendar_page(&state, &staff, StatusCode::OK, year, &Errors::new(), None).await
}

async fn import_calendar(
    State(state): State<AppState>,
    staff: Staff,
    form: Multipart,
) -> PageResult<Response> {
    allowed(&staff)?;
    let year = state.now().year();
    let mut errors = Errors::new();
    let parsed = match small_upload(&staff, form).await? {
        None => Err("请选择节假日安排文件（CSV：日期,休或班,节日名称）".to_string()),
        Some((name, bytes)) => utf8(bytes).and_then(|t| {
            let days = parse_csv(&t).map_err(|e| format!("{name}：{e}"))?;
            if days.is_empty() {
                return Err(format!(
                    "{name} 中没有日期行；格式为每行 日期,休或班,节日名称，如 2027-01-01,休,元旦"
                ));
            }
            Ok((name, days))
        }),
    };
    let (name, days) = match parsed {
        Ok(v) => v,
        Err(e) => {
            errors.insert("file", e);
            return calendar_page(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                year,
                &errors,
                None,
            )
            .await;
        }
    };
    let shown = days.first().map_or(year, |d| d.notice_year());
    let now = state.now();
    let n = state
        .db(move |s| Ok(s.import_calendar(&days, now)?))
        .await?;
    state
        .audit(
            &staff,
            "calendar.import",
            Some(name.clone()),
            Some(format!("导入 {n} 天")),
        )
        .await;
    calendar_page(
        &state,
        &staff,
        StatusCode::OK,
        shown,
        &Errors::new(),
        Some(format!(
            "已从 {name} 导入 {n} 天，与内置数据同一天的以导入为准"
        )),
    )
    .await
}

/// The deadline fields of the ledger configuration, in the form's order.
const DAY_FIELDS: [(&str, &str); 8] = [
    ("rating_callback_days", "差评回访时限"),
    ("rating_days", "差评整改时限"),
    ("ticket_consult_days", "12345 咨询/求助办理时限"),
    ("ticket_complaint_days", "12345 投诉/举报/建议办理时限"),
    ("feedback_days", "监督员意见整改时限"),
    ("qr_days", "码上监督问题整改时限"),
    ("assessment_days", "第三方评估问题整改时限"),
    ("manual_days", "人工登记事项整改时限"),
];

fn day_values(c: &LedgerConfig) -> BTreeMap<&'static str, String> {
    let v = [
        c.rating_callback_days,
        c.rating_days,
        c.ticket_consult_days,
        c.ticket_complaint_days,
        c.feedback_days,
        c.qr_days,
        c.assessment_days,
        c.manual_days,
    ];
    DAY_FIELDS
        .iter()
        .zip(v)
        .map(|((k, _), n)| (*k, n.to_string()))
        .collect()
}

fn set_day(c: &mut LedgerConfig, key: &str, n: u32) {
    let slot = match key {
        "rating_callback_days" => &mut c.rating_callback_days,
        "rating_days" => &mut c.rating_days,
        "ticket_consult_days" => &mut c.ticket_consult_days,
        "ticket_complaint_days" => &mut c.ticket_complaint_days,
        "feedback_days" => &mut c.feedback_days,
        "qr_days" => &mut c.qr_days,
        "assessment_days" => &mut c.assessment_days,
        _ => &mut c.manual_days,
    };
    *slot = n;
}

fn ledger_page(
    staff: &Staff,
    status: StatusCode,
    values: &BTreeMap<&'static str, String>,
    since: &str,
    errors: &Errors,
    notice: Option<String>,
) -> PageResult<Response> {
    let fields: Vec<_> = DAY_FIELDS
        .iter()
        .map(|(k, label)| context! { key => *k, label => *label, value => values.get(k).cloned().unwrap_or_default() })
        .collect();
    page(
        staff,
        status,
        "office/admin/ledger_config.html",
        context! { fields, since, errors => Serde(errors), notice },
    )
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn ledger_config(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Saved>,
) -> PageResult<Response> {
    allowed(&staff)?;
    let c = state.db(|s| Ok(s.ledger_config()?)).await?;
    let since = c.since.map(|d| d.to_string()).unwrap_or_default();
    let notice = q
        .saved
        .map(|_| "已保存。新时限用于此后登记的事项；已登记事项的到期日不变".to_string());
    ledger_page(
        &staff,
        StatusCode::OK,
        &day_values(&c),
        &since,
        &Errors::new(),
        notice,
    )
}

async fn save_ledger_config(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<BTreeMap<String, String>>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, form.get(CSRF_FIELD).map_or("", String::as_str))?;
    let mut c = state.db(|s| Ok(s.ledger_config()?)).await?;
    let mut errors = Errors::new();
    let mut values = BTreeMap::new();
    for (key, label) in DAY_FIELDS {
        let typed = form.get(key).map_or("", |s| s.trim()).to_string();
        match typed.parse::<u32>() {
            Ok(n) if (1..=120).contains(&n) => set_day(&mut c, key, n),
            _ => {
                errors.insert(key, format!("{label}须为 1–120 之间的整数（工作日）"));
            }
        }
        values.insert(key, typed);
    }
    let since = form.get("since").map_or("", |s| s.trim()).to_string();
    c.since = if since.is_empty() {
        None
    } else {
        match jianping_core::time::parse_date(&since) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.insert(
                    "since",
                    format!("「{since}」不是有效日期，请写成 2024-01-01"),
                );
                None
            }
        }
    };
    if !errors.is_empty() {
        return ledger_page(
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            &values,
            &since,
            &errors,
            None,
        );
    }
    let saved = c.clone();
    if let Err(e) = state.db(move |s| Ok(s.set_ledger_config(&saved)?)).await {
        errors.insert("form", form_error(e)?);
        return ledger_page(
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            &values,
            &since,
            &errors,
            None,
        );
    }
    let detail = serde_json::to_string(&c).unwrap_or_default();
    state
        .audit(&staff, "ledger.config", None, Some(detail))
        .await;
    Ok(Redirect::to("/office/admin/ledger-config?saved=1").into_response())
}

fn indicators_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    errors: &Errors,
    notice: Option<String>,
) -> PageResult<Response> {
    let config = state.config();
    let (text, active, broken) = match jianping_app::stats::indicator_config_text(config) {
        Ok(t) => (t, config.indicator_config().ok(), None),
        Err(e) => (String::new(), None, Some(e.to_string())),
    };
    page(
        staff,
        status,
        "office/admin/indicators.html",
        context! {
            text,
            title => active.as_ref().map(|c| c.title.clone()),
            version => active.as_ref().map(|c| c.version.clone()),
            file => config.indicator_file().map(|p| p.display().to_string()),
            broken,
            errors => Serde(errors),
            notice,
        },
    )
}

async fn indicators(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    allowed(&staff)?;
    indicators_page(&state, &staff, StatusCode::OK, &Errors::new(), None)
}

/// A new version is checked in full (errors name the line, or the key); it replaces the
/// file named by `[indicators] file`, the old one kept beside it, and counts from the next
/// report on. Without that setting there is no file to replace: the page says so.
async fn upload_indicators(
    State(state): State<AppState>,
    staff: Staff,
    form: Multipart,
) -> PageResult<Response> {
    allowed(&staff)?;
    let mut errors = Errors::new();
    let checked = match small_upload(&staff, form).await? {
        None => Err("请选择指标体系配置文件（TOML）".to_string()),
        Some((name, bytes)) => utf8(bytes).and_then(|t| {
            IndicatorConfig::parse(&t, &name)
                .map(|c| (name, t, c))
                .map_err(|e| e.to_string())
        }),
    };
    let (name, text, parsed) = match checked {
        Ok(v) => v,
        Err(e) => {
            errors.insert("file", e);
            return indicators_page(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &errors,
                None,
            );
        }
    };
    let Some(path) = state.config().indicator_file() else {
        errors.insert(
            "file",
            format!(
                "{name} 校验通过（{} 版本 {}），但服务器配置 jianping.toml 未设置 [indicators] file，没有可替换的指标文件：请在配置中指定文件路径并重启服务后再上传",
                parsed.title, parsed.version
            ),
        );
        return indicators_page(&state, &staff, StatusCode::CONFLICT, &errors, None);
    };
    let stamp = state.now().format("%Y%m%d%H%M%S").to_string();
    let write = tokio::task::spawn_blocking(move || -> Result<(), AppError> {
        if path.exists() {
            let mut backup = path.clone().into_os_string();
            backup.push(format!(".{stamp}.bak"));
            std::fs::copy(&path, &backup).map_err(anyhow::Error::new)?;
        }
        let tmp = path.with_extension("toml.uploading");
        std::fs::write(&tmp, text.as_bytes()).map_err(anyhow::Error::new)?;
        std::fs::rename(&tmp, &path).map_err(anyhow::Error::new)?;
        Ok(())
    })
    .await
    .map_err(|e| AppError::Other(anyhow::anyhow!("写入指标文件的任务异常中止：{e}")))?;
    write?;
    state
        .audit(
            &staff,
            "indicators.upload",
            Some(name.clone()),
            Some(format!("{} 版本 {}", parsed.title, parsed.version)),
        )
        .await;
    indicators_page(
        &state,
        &staff,
        StatusCode::OK,
        &Errors::new(),
        Some(format!(
            "已启用 {name}（{} 版本 {}），原文件已备份；此后生成的报告按新版本计算",
            parsed.title, parsed.version
        )),
    )
}
