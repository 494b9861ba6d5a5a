//! The pad's pages: `/pad` (sign-in, idle or rating screen, whichever is current),
//! `/pad/events` (the screen as server-sent events), `/pad/rate` (the rating form).
//!
//! The pad signs in once with its device key (`/pad?key=jpk_…` or the form), which goes into
//! an HttpOnly, SameSite=Strict cookie: a page of another site can neither read it nor post
//! with it, and the same-origin middleware refuses cross-site posts as well. Every screen
//! works without JavaScript (refreshing itself); `assets/pad.js` switches screens as soon
//! as the event stream says so.

use super::{OFFLINE_TAGS, PadCase, Screen};
use crate::api::ratings::{GradeValue, RatingIn};
use crate::api::ratings::{Origin, address_of, device_code, intake_error, record, submit};
use crate::auth::device::resolve;
use crate::error::{PageError, PageResult};
use crate::pages::render;
use crate::state::{AppState, ClientAddr};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use futures_util::Stream;
use jianping_core::{Channel, Grade};
use jianping_store::IntakeOutcome;
use jianping_store::codes::PadDevice;
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;
use std::convert::Infallible;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pad", get(pad_page))
        .route("/pad/login", post(pad_login))
        .route("/pad/events", get(events))
        .route("/pad/rate", post(rate))
}

fn cookie_name(state: &AppState) -> &'static str {
    if state.secure_cookies() {
        "__Host-jianping_pad"
    } else {
        "jianping_pad"
    }
}

/// The pad behind the request's cookie.
pub struct Pad(pub PadDevice);

/// No valid cookie: the sign-in form (a page) or 401 (the event stream).
pub struct NoPad;

impl IntoResponse for NoPad {
    fn into_response(self) -> Response {
        (StatusCode::UNAUTHORIZED, "评价器未登记或密钥已停用").into_response()
    }
}

impl FromRequestParts<AppState> for Pad {
    type Rejection = NoPad;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NoPad> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(key) = jar.get(cookie_name(state)).map(|c| c.value().to_string()) else {
            return Err(NoPad);
        };
        match resolve(state, key).await {
            Ok(Some(d)) => Ok(Pad(d)),
            _ => Err(NoPad),
        }
    }
}

#[derive(Deserialize)]
struct KeyQuery {
    key: Option<String>,
}

fn login_page(status: StatusCode, error: Option<&str>) -> PageResult<Response> {
    let page = render("pad/login.html", None, context! { error })?;
    Ok((status, page).into_response())
}

async fn sign_in(state: &AppState, jar: CookieJar, key: &str) -> PageResult<Response> {
    let key = key.trim().to_string();
    match resolve(state, key.clone())
        .await
        .map_err(|e| PageError::new(e.status, e.message))?
    {
        Some(_) => {
            let cookie = Cookie::build((cookie_name(state), key))
                .path("/")
                .http_only(true)
                .secure(state.secure_cookies())
                .same_site(SameSite::Strict)
                .permanent()
                .build();
            // The key leaves the address bar (and the browser's history) at once.
            Ok((jar.add(cookie), Redirect::to("/pad")).into_response())
        }
        None => login_page(
            StatusCode::UNAUTHORIZED,
            Some("设备密钥无效或已停用，请联系政务服务局重新登记评价器"),
        ),
    }
}

async fn pad_page(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<KeyQuery>,
    pad: Result<Pad, NoPad>,
) -> PageResult<Response> {
    if let Some(key) = q.key.filter(|k| !k.trim().is_empty()) {
        return sign_in(&state, jar, &key).await;
    }
    let Ok(Pad(device)) = pad else {
        return login_page(StatusCode::OK, None);
    };
    let screen = state.pads().current(device.window.window_id);
    Ok(screen_page(&device, &screen, &state)?.into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    key: String,
}

async fn pad_login(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> PageResult<Response> {
    sign_in(&state, jar, &f.key).await
}

fn stars(g: Grade) -> &'static str {
    match g {
        Grade::VerySatisfied => "★★★★★",
        Grade::Satisfied => "★★★★",
        Grade::Basic => "★★★",
        Grade::Unsatisfied => "★★",
        Grade::VeryUnsatisfied => "★",
    }
}

fn screen_page(device: &PadDevice, screen: &Screen, state: &AppState) -> PageResult<Html<String>> {
    let w = &device.window;
    let window = context! {
        name => w.window_name.clone(),
        hall => w.hall_name.clone(),
        department => w.department_name.clone(),
    };
    match screen {
        Screen::Idle => render(
            "pad/idle.html",
            None,
            context! { window, clock => state.now().format("%H:%M").to_string(),
            date => state.now().format("%Y年%m月%d日").to_string() },
        ),
        Screen::Rate(case) => {
            let grades: Vec<_> = Grade::ALL
                .iter()
                .map(|g| context! { name => g.name(), stars => stars(*g), bad => g.is_bad() })
                .collect();
            let tags: Vec<_> = OFFLINE_TAGS
                .iter()
                .map(|&(field, name)| context! { field, name })
                .collect();
            render(
                "pad/rate.html",
                None,
                context! { window, case => Serde(case), grades, tags,
                timeout => state.pads().timeout().as_secs() },
            )
        }
    }
}

fn screen_event(screen: &Screen) -> Event {
    let data = match screen {
        Screen::Idle => serde_json::json!({ "screen": "idle" }),
        Screen::Rate(c) => serde_json::json!({
            "screen": "rate",
            "seq": c.seq,
            "case_no": c.case_no,
            "matter_name": c.matter_name,
            "staff": c.staff,
        }),
    };
    Event::default().event("screen").data(data.to_string())
}

/// The window's screen, now and at every change, as `event: screen` with a JSON `data`.
async fn events(
    State(state): State<AppState>,
    Pad(device): Pad,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.pads().subscribe(device.window.window_id);
    let closing = state.pads().closing();
    let stream = futures_util::stream::unfold((rx, closing), |(mut rx, mut closing)| async move {
        tokio::select! {
            changed = rx.changed() => changed.ok()?,
            _ = closing.wait_for(|c| *c) => return None,
        }
        let screen = rx.borrow_and_update().clone();
        Some((Ok(screen_event(&screen)), (rx, closing)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[derive(Deserialize)]
struct RateForm {
    seq: u64,
    case_no: String,
    grade: String,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    tag_efficiency: Option<String>,
    #[serde(default)]
    tag_level: Option<String>,
    #[serde(default)]
    tag_attitude: Option<String>,
}

/// The rating number of a pad's rating: one per case (a second is a duplicate).
pub fn pad_rating_no(case_no: &str) -> String {
    format!("PAD-{}-1", case_no.trim())
}

fn notice(status: StatusCode, title: &str, message: &str) -> PageResult<Response> {
    let page = render("pad/notice.html", None, context! { title, message })?;
    Ok((status, page).into_response())
}

async fn rate(
    State(state): State<AppState>,
    Pad(device): Pad,
    addr: ClientAddr,
    Form(f): Form<RateForm>,
) -> PageResult<Response> {
    let window_id = device.window.window_id;
    let case: PadCase = match state.pads().current(window_id) {
        Screen::Rate(c) if c.seq == f.seq && c.case_no == f.case_no.trim() => c,
        _ => {
            return notice(
                StatusCode::CONFLICT,
                "本次评价已结束",
                "该办件的评价已超时或已完成，请等待工作人员推送下一位办事人的评价。",
            );
        }
    };
    let picked = [
        (&f.tag_efficiency, OFFLINE_TAGS[0].1),
        (&f.tag_level, OFFLINE_TAGS[1].1),
        (&f.tag_attitude, OFFLINE_TAGS[2].1),
    ];
    let tags: Vec<String> = picked
        .iter()
        .filter(|(v, _)| v.is_some())
        .map(|(_, t)| (*t).to_string())
        .collect();
    let input = RatingIn {
        rating_no: pad_rating_no(&case.case_no),
        case_no: Some(case.case_no.clone()),
        grade: GradeValue::Name(f.grade),
        grade_codes: None,
        attempt: Some(1),
        channel: None,
        rated_at: None,
        matter_code: case.matter_code.clone(),
        matter_name: case.matter_name.clone(),
        staff: case.staff.clone(),
        tags: (!tags.is_empty()).then_some(tags),
        comment: f.comment,
        rater_phone: None,
        window: None,
    };
    let origin = Origin {
        window: device.window.clone(),
        device: Some(device_code(&device)),
        account: None,
        address: address_of(&addr),
        default_channel: Some(Channel::HallPad),
    };
    let r = match record(&input, &origin, state.now()) {
        Ok(r) => r,
        Err(fields) => {
            let msg: Vec<String> = fields.into_iter().map(|(_, m)| m).collect();
            return notice(
                StatusCode::UNPROCESSABLE_ENTITY,
                "评价未提交",
                &msg.join("；"),
            );
        }
    };
    let receipt = match submit(&state, r).await {
        Ok(r) => r,
        Err(e) if e.is_conflict() => {
            state.pads().finish(window_id, case.seq);
            return notice(StatusCode::CONFLICT, "该办件已评价", &e.to_string());
        }
        Err(e) => {
            let e = intake_error(e);
            return notice(
                e.status,
                "评价未保存",
                &format!("{}（请再点一次）", e.message),
            );
        }
    };
    state.pads().finish(window_id, case.seq);
    if receipt.outcome == IntakeOutcome::Duplicate {
        return notice(
            StatusCode::CONFLICT,
            "该办件已评价",
            "每个办件只能评价一次，本次评价未重复计入。",
        );
    }
    let page = render("pad/thanks.html", None, context! {})?;
    Ok(page.into_response())
}
