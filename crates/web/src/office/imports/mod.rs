//! `/office/imports`: upload CSV/XLSX, see the row-level check before committing, follow the
//! progress, download what was refused. The upload streams to a temporary file; the check
//! (a trial that rolls back) and the import run as jobs on blocking threads.

mod jobs;

use crate::auth::{CSRF_FIELD, Staff, check_csrf};
use crate::download::{attachment, defuse_csv};
use crate::error::{PageError, PageResult};
use crate::pages::render;
use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jianping_app::import::{ImportRequest, import_file};
use jianping_core::access::{Operation, Scope, authorize};
use jianping_ingest::Kind;
use jobs::{Job, Outcome, Stage};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

/// The largest upload accepted (a year of a city's ratings as CSV is well below).
pub const MAX_UPLOAD: usize = 200 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/office/imports",
            get(page)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/office/imports/jobs/{id}", get(job_page))
        .route("/office/imports/jobs/{id}/commit", post(commit))
        .route("/office/imports/jobs/{id}/rejects.csv", get(rejects))
}

fn allowed(staff: &Staff) -> PageResult<()> {
    authorize(&staff.principal, Operation::ImportData, &Scope::City)
        .map_err(|e| PageError::new(StatusCode::FORBIDDEN, e.to_string()))
}

#[derive(serde::Serialize)]
struct KindOption {
    slug: &'static str,
    label: &'static str,
}

#[derive(serde::Serialize)]
struct JobRow {
    id: u64,
    kind: &'static str,
    name: String,
    created_at: String,
    stage: &'static str,
}

fn form_page(
    staff: &Staff,
    status: StatusCode,
    kind: &str,
    errors: &BTreeMap<&str, String>,
) -> PageResult<Response> {
    let kinds: Vec<KindOption> = Kind::ALL
        .iter()
        .map(|k| KindOption {
            slug: k.slug(),
            label: k.label(),
        })
        .collect();
    let recent: Vec<JobRow> = jobs::of_owner(staff.principal.user_id.unwrap_or(-1))
        .iter()
        .take(20)
        .map(|j| JobRow {
            id: j.id,
            kind: j.kind.label(),
            name: j.name.clone(),
            created_at: j.created_at.clone(),
            stage: j.status().stage.label(),
        })
        .collect();
    let html: Html<String> = render(
        "office/imports/index.html",
        Some(staff),
        context! {
            kinds => Serde(kinds),
            kind,
            errors => Serde(errors),
            recent => Serde(recent),
            max_mb => MAX_UPLOAD / 1024 / 1024,
        },
    )?;
    Ok((status, html).into_response())
}

async fn page(staff: Staff) -> PageResult<Response> {
    allowed(&staff)?;
    form_page(&staff, StatusCode::OK, "", &BTreeMap::new())
}

/// A name safe to put in a temporary folder; the original name stays for messages.
fn safe_file_name(name: &str) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()));
    match ext {
        Some(e) => format!("upload.{e}"),
        None => "upload".to_string(),
    }
}

fn display_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if clean.trim().is_empty() {
        "上传文件".into()
    } else {
        clean
    }
}

async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    mut form: Multipart,
) -> PageResult<Response> {
    allowed(&staff)?;
    let too_big = || {
        PageError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "上传失败：文件过大或上传中断（单个文件上限 {} MB）",
                MAX_UPLOAD / 1024 / 1024
            ),
        )
    };
    let dir = tempfile::Builder::new()
        .prefix("jianping-import-")
        .tempdir()
        .map_err(|e| PageError::from(jianping_app::AppError::Other(e.into())))?;
    let mut csrf = String::new();
    let mut kind = String::new();
    let mut file: Option<(String, std::path::PathBuf, u64)> = None;
    while let Some(mut field) = form.next_field().await.map_err(|_| too_big())? {
        match field.name().unwrap_or_default() {
            CSRF_FIELD => csrf = field.text().await.map_err(|_| too_big())?,
            "kind" => kind = field.text().await.map_err(|_| too_big())?,
            "file" => {
                let name = display_name(field.file_name().unwrap_or_default());
                let path = dir.path().join(safe_file_name(&name));
                let mut out = tokio::fs::File::create(&path)
                    .await
                    .map_err(|e| PageError::from(jianping_app::AppError::Other(e.into())))?;
                let mut size = 0u64;
                while let Some(chunk) = field.chunk().await.map_err(|_| too_big())? {
                    size += chunk.len() as u64;
                    out.write_all(&chunk)
                        .await
                        .map_err(|e| PageError::from(jianping_app::AppError::Other(e.into())))?;
                }
                out.flush()
                    .await
                    .map_err(|e| PageError::from(jianping_app::AppError::Other(e.into())))?;
                file = Some((name, path, size));
            }
            _ => {}
        }
    }
    check_csrf(&staff, &csrf)?;
    let mut errors = BTreeMap::new();
    let k = Kind::from_slug(kind.trim());
    if k.is_none() {
        errors.insert("kind", "请选择数据类别".to_string());
    }
    match &file {
        None => {
            errors.insert(
                "file",
                "请选择要导入的 CSV 或 Excel（XLSX）文件".to_string(),
            );
        }
        Some((_, _, 0)) => {
            errors.insert("file", "文件为空（0 字节），请确认导出是否成功".to_string());
        }
        _ => {}
    }
    let (Some(kind), Some((name, path, size)), true) = (k, file, errors.is_empty()) else {
        return form_page(&staff, StatusCode::UNPROCESSABLE_ENTITY, &kind, &errors);
    };
    let job = jobs::add(
        staff.principal.user_id.unwrap_or(-1),
        kind,
        name,
        dir,
        path,
        size,
        jianping_core::time::fmt_ts(&state.now()),
    );
    spawn_run(state, staff, Arc::clone(&job), true);
    Ok(Redirect::to(&format!("/office/imports/jobs/{}", job.id)).into_response())
}

/// Runs the trial (`trial`) or the import of a job on a blocking thread.
fn spawn_run(state: AppState, staff: Staff, job: Arc<Job>, trial: bool) {
    tokio::spawn(async move {
        let req = ImportRequest {
            // The good rows are counted (trial) and imported (commit) even when some rows
            // are bad: the person has seen the bad ones and chosen to go ahead.
            skip_bad: true,
            trial,
            rejects: Some(job.rejects.clone()),
            display_name: Some(job.name.clone()),
            ..ImportRequest::new(job.kind)
        };
        let j = Arc::clone(&job);
        let result = state
            .db(move |s| import_file(s, &j.path, &req, &j.meter))
            .await;
        let tmp = job.path.display().to_string();
        let (action, detail, apply) = match &result {
            Ok(f) => {
                let o = Outcome::of(f);
                let detail = format!(
                    "{}：读取 {} 行，新增 {}，更新 {}，未变 {}，错误行 {}",
                    job.kind.label(),
                    o.rows_read,
                    o.inserted,
                    o.updated,
                    o.unchanged,
                    o.bad_rows
                );
                let apply: Apply = Box::new(move |s| {
                    if trial {
                        s.stage = Stage::Checked;
                        s.trial = Some(o);
                    } else {
                        s.stage = Stage::Done;
                        s.result = Some(o);
                    }
                });
                (if trial { "import.check" } else { "import" }, detail, apply)
            }
            Err(e) => {
                // Messages name the temporary file: say the uploaded name instead.
                let message = if e.kind() == jianping_app::ErrorKind::Internal {
                    eprintln!("导入 {} 失败：{e:#}", job.name);
                    "导入时发生内部错误，本文件未导入任何记录；请联系系统管理员查看服务器日志"
                        .to_string()
                } else {
                    e.to_string().replace(&tmp, &job.name)
                };
                let detail = format!("{}：失败：{message}", job.kind.label());
                let apply: Apply = Box::new(move |s| {
                    s.stage = Stage::Failed;
                    s.error = Some(message);
                });
                (
                    if trial {
                        "import.check_failed"
                    } else {
                        "import.failed"
                    },
                    detail,
                    apply,
                )
            }
        };
        // Logged before the job shows as finished: whoever sees the result finds the entry.
        state
            .audit(&staff, action, Some(job.name.clone()), Some(detail))
            .await;
        job.update(apply);
        // The last handle on the state may be this one (the server stopping): the pool's
        // synchronous PostgreSQL connections must not be dropped on a runtime worker.
        drop(tokio::task::spawn_blocking(move || drop(state)));
    });
}

/// How a finished step changes its job.
type Apply = Box<dyn FnOnce(&mut jobs::Status) + Send>;

fn job_of(staff: &Staff, id: &str) -> PageResult<Arc<Job>> {
    id.parse::<u64>()
        .ok()
        .and_then(|id| jobs::get(id, staff.principal.user_id.unwrap_or(-1)))
        .ok_or_else(|| {
            PageError::not_found("没有这个导入任务（任务只对上传者可见，且保留 24 小时）")
        })
}

/// The job's page, or with `.json` its progress for the page's poll.
async fn job_page(staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    allowed(&staff)?;
    if let Some(id) = id.strip_suffix(".json") {
        let job = job_of(&staff, id)?;
        return Ok(Json(job.progress()).into_response());
    }
    let job = job_of(&staff, &id)?;
    let status = job.status();
    let progress = job.progress();
    let html: Html<String> = render(
        "office/imports/job.html",
        Some(&staff),
        context! {
            job => context! {
                id => job.id,
                kind => job.kind.label(),
                name => job.name.clone(),
                size_kb => job.size.div_ceil(1024),
                created_at => job.created_at.clone(),
            },
            progress => Serde(&progress),
            stage => Serde(status.stage),
            trial => Serde(&status.trial),
            trial_good => status.trial.as_ref().map(Outcome::good_rows),
            result => Serde(&status.result),
            error => status.error,
        },
    )?;
    Ok(html.into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(rename = "_csrf")]
    csrf: String,
}

async fn commit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<CsrfForm>,
) -> PageResult<Response> {
    allowed(&staff)?;
    check_csrf(&staff, &f.csrf)?;
    let job = job_of(&staff, &id)?;
    let good = job.status().trial.map_or(0, |t| t.good_rows());
    if good == 0 {
        return Err(PageError::new(
            StatusCode::CONFLICT,
            "检查结果中没有可导入的行，请改正文件后重新上传",
        ));
    }
    if !job.advance(Stage::Checked, Stage::Importing) {
        return Err(PageError::new(
            StatusCode::CONFLICT,
            "该文件已在导入或已导入完毕，无需重复提交",
        ));
    }
    spawn_run(state, staff, Arc::clone(&job), false);
    Ok(Redirect::to(&format!("/office/imports/jobs/{}", job.id)).into_response())
}

async fn rejects(staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    allowed(&staff)?;
    let job = job_of(&staff, &id)?;
    let bytes = match tokio::fs::read(&job.rejects).await {
        Ok(b) => b,
        Err(_) => return Err(PageError::not_found("本次导入没有拒收行")),
    };
    let safe =
        defuse_csv(&bytes).map_err(|e| PageError::from(jianping_app::AppError::Other(e.into())))?;
    let stem = job
        .name
        .rsplit_once('.')
        .map_or(job.name.as_str(), |(s, _)| s);
    Ok(attachment(
        &format!("{stem}.拒收.csv"),
        "text/csv; charset=utf-8",
        safe,
    ))
}
