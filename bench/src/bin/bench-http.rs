//! Durable rating intake over real HTTP: the real router (`jianping_web::router`) on
//! 127.0.0.1 over a fresh SQLite city, `POST /api/v1/ratings` from C concurrent keep-alive
//! connections, each sending one rating at a time with a pad's device key and waiting for
//! its 201 (given only once the rating is committed). In the same run, the same load
//! against a bare axum handler that only parses the same JSON: the ratio is what the
//! platform (key lookup, case check, intake, group commit, fsync) costs over HTTP itself.
//!
//! `bench-http [--db sqlite:/tmp/jianping-bench/http.db] [--connections 64] [--seconds 10]
//!  [--no-case]` — `--no-case` leaves out 办件编号 (and so the per-rating case check).
//!
//! Client and server share the machine (and its cores), as they do in every figure here.
//! Prints one human line and one JSON line (prefixed `JSON `) per target.

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Bytes;
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use http_body_util::{BodyExt, Full};
use jianping_bench::metrics::{ms, quantile};
use jianping_core::RegionCode;
use jianping_core::records::{HallRecord, RegionRecord, WindowRecord};
use jianping_store::{RowExt, Store, Target};
use jianping_web::{AppState, ServerSettings};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

struct Opts {
    db: String,
    connections: usize,
    seconds: f64,
    with_case: bool,
}

fn opts() -> anyhow::Result<Opts> {
    let mut o = Opts {
        db: "sqlite:/tmp/jianping-bench/http.db".into(),
        connections: 64,
        seconds: 10.0,
        with_case: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--db" => o.db = value()?,
            "--connections" => o.connections = value()?.parse()?,
            "--seconds" => o.seconds = value()?.parse()?,
            "--no-case" => o.with_case = false,
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(o)
}

/// A fresh SQLite city with one window and one pad; returns the pad's key.
fn city(target: &Target) -> anyhow::Result<String> {
    if let Target::Sqlite(p) = target {
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
    let mut store = Store::open(target)?;
    let region = RegionCode::parse("150300").map_err(anyhow::Error::msg)?;
    let mut s = store.begin_import("windows", "bench.csv", "bench")?;
    s.regions(&[RegionRecord {
        code: region.clone(),
        name: "乌海市".into(),
    }])?;
    s.halls(&[HallRecord {
        code: Some("H1".into()),
        name: "乌海市政务服务中心".into(),
        region: region.clone(),
        kind: None,
        extended_hours: false,
    }])?;
    s.windows(&[WindowRecord {
        code: Some("W001".into()),
        name: "公安综合窗口".into(),
        hall: Some("乌海市政务服务中心".into()),
        region,
        department: Some("乌海市公安局".into()),
        kind: None,
        extended_hours: false,
    }])?;
    s.commit()?;
    let window = store.find_window("W001")?.window_id;
    let now = chrono::Local::now().naive_local();
    Ok(store.register_pad_device(window, "压测评价器", now)?.key)
}

/// The same fields the rating API reads, parsed and dropped: HTTP and JSON only.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Rating {
    rating_no: String,
    case_no: Option<String>,
    grade: serde_json::Value,
    attempt: Option<u8>,
    matter_code: Option<String>,
    matter_name: Option<String>,
    staff: Option<String>,
    tags: Option<Vec<String>>,
    comment: Option<String>,
}

fn bare_router() -> Router {
    Router::new().route(
        "/api/v1/ratings",
        post(|body: Bytes| async move {
            match serde_json::from_slice::<Rating>(&body) {
                Ok(r) => (
                    StatusCode::CREATED,
                    axum::Json(serde_json::json!({
                        "rating_no": r.rating_no, "outcome": "stored", "ledger_item": null
                    })),
                )
                    .into_response(),
                Err(_) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
            }
        }),
    )
}

async fn serve(router: Router) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let app = router.into_make_service_with_connect_info::<SocketAddr>();
        let _ = axum::serve(listener, app).await;
    });
    Ok(addr)
}

struct Run {
    ok: u64,
    errors: u64,
    first_error: Option<String>,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

fn body_of(conn: usize, n: u64, with_case: bool) -> String {
    let no = format!("H{conn:03}-{n:09}");
    let case = if with_case {
        format!(r#""case_no":"BJ-{no}","#)
    } else {
        String::new()
    };
    // Mostly 非常满意, as in the field; one in 200 不满意, which opens a ledger item.
    let grade = if n % 200 == 199 {
        "不满意"
    } else {
        "非常满意"
    };
    format!(
        r#"{{"rating_no":"{no}",{case}"grade":"{grade}","matter_code":"M-ID-001","matter_name":"居民身份证换领","staff":"张敏","tags":["服务效率"],"comment":"办事很快"}}"#
    )
}

/// C connections, each sending one rating at a time for `seconds`.
async fn drive(addr: SocketAddr, key: &str, o: &Opts) -> anyhow::Result<Run> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for c in 0..o.connections {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (mut send, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        let (stop, key, with_case) = (Arc::clone(&stop), key.to_string(), o.with_case);
        tasks.push(tokio::spawn(async move {
            let mut run = Run {
                ok: 0,
                errors: 0,
                first_error: None,
                latencies: Vec::new(),
                elapsed: Duration::ZERO,
            };
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let body = body_of(c, n, with_case);
                n += 1;
                let req = Request::post("/api/v1/ratings")
                    .header(header::HOST, "127.0.0.1")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::AUTHORIZATION, format!("Bearer {key}"))
                    .body(Full::new(Bytes::from(body)))
                    .expect("a request");
                let t = Instant::now();
                if send.ready().await.is_err() {
                    run.errors += 1;
                    run.first_error.get_or_insert("connection closed".into());
                    break;
                }
                match send.send_request(req).await {
                    Ok(res) => {
                        let status = res.status();
                        let body = res.into_body().collect().await.map(|b| b.to_bytes());
                        if status == StatusCode::CREATED && body.is_ok() {
                            run.latencies.push(t.elapsed());
                            run.ok += 1;
                        } else {
                            run.errors += 1;
                            run.first_error.get_or_insert_with(|| {
                                format!(
                                    "{status}: {}",
                                    body.map(|b| String::from_utf8_lossy(&b).into_owned())
                                        .unwrap_or_default()
                                )
                            });
                        }
                    }
                    Err(e) => {
                        run.errors += 1;
                        run.first_error.get_or_insert(e.to_string());
                        break;
                    }
                }
            }
            run
        }));
    }
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(o.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Run {
        ok: 0,
        errors: 0,
        first_error: None,
        latencies: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for t in tasks {
        let r = t.await?;
        all.ok += r.ok;
        all.errors += r.errors;
        all.first_error = all.first_error.or(r.first_error);
        all.latencies.extend(r.latencies);
    }
    all.elapsed = start.elapsed();
    Ok(all)
}

struct Figures {
    per_sec: f64,
    p50: f64,
    p99: f64,
}

fn report(target: &str, o: &Opts, mut run: Run) -> Figures {
    if let Some(e) = &run.first_error {
        eprintln!("{target}: first of {} errors: {e}", run.errors);
    }
    let per_sec = run.ok as f64 / run.elapsed.as_secs_f64();
    let (p50, p99, max) = (
        ms(quantile(&mut run.latencies, 0.5)),
        ms(quantile(&mut run.latencies, 0.99)),
        ms(quantile(&mut run.latencies, 1.0)),
    );
    println!(
        "{target:6} connections={:3} answered 201={:8} in {:.1}s = {per_sec:9.0}/s  p50={p50:7.2}ms p99={p99:7.2}ms max={max:7.2}ms errors={}",
        o.connections,
        run.ok,
        run.elapsed.as_secs_f64(),
        run.errors
    );
    println!(
        "JSON {}",
        serde_json::json!({
            "bench": "http", "target": target, "connections": o.connections,
            "with_case": o.with_case, "answered": run.ok, "seconds": run.elapsed.as_secs_f64(),
            "per_sec": per_sec, "p50_ms": p50, "p99_ms": p99, "max_ms": max, "errors": run.errors,
        })
    );
    Figures { per_sec, p50, p99 }
}

fn main() -> anyhow::Result<()> {
    let o = opts()?;
    let target = Target::parse(&o.db)?;
    if !matches!(target, Target::Sqlite(_)) {
        bail!("bench-http measures a SQLite city (--db sqlite:PATH)");
    }
    let key = city(&target)?;
    // One key at ~10,000/s is a load test, not a hall: the intake API's limits (600 at
    // once, then 50/s per key) would answer it 429, so this run turns them off.
    let mut config = jianping_app::Config::default();
    config.limits.api_key_burst = Some(0);
    config.limits.api_address_burst = Some(0);
    let state = AppState::open(&target, config, ServerSettings::new("http://127.0.0.1"))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (platform, bare) = rt.block_on(async {
        let addr = serve(jianping_web::router(state.clone())).await?;
        let platform = report("jianping", &o, drive(addr, &key, &o).await?);
        let bare_addr = serve(bare_router()).await?;
        let bare = report("bare", &o, drive(bare_addr, &key, &o).await?);
        anyhow::Ok((platform, bare))
    })?;
    drop(rt);
    // The 201s count only what the database confirms.
    let stats = state.intake().stats();
    drop(state);
    let mut store = Store::open(&target)?;
    let stored = store.backend().query("SELECT COUNT(*) FROM ratings", &[])?[0].int(0);
    let mismatches = store.verify_rollups()?.len();
    println!(
        "stored {stored} ratings ({} acknowledged by the intake) in {} commits (mean {:.1} per commit), rollup mismatches {mismatches}",
        stats.stored,
        stats.batches,
        stats.stored as f64 / stats.batches.max(1) as f64
    );
    if stored as u64 != stats.stored || mismatches != 0 {
        bail!("acknowledged {} but stored {stored}", stats.stored);
    }
    println!(
        "ratio jianping / bare: throughput {:.3}, p50 {:.1}x, p99 {:.1}x",
        platform.per_sec / bare.per_sec.max(1.0),
        platform.p50 / bare.p50.max(1e-9),
        platform.p99 / bare.p99.max(1e-9)
    );
    println!(
        "JSON {}",
        serde_json::json!({
            "bench": "http", "target": "ratio", "throughput": platform.per_sec / bare.per_sec.max(1.0),
            "stored": stored, "commits": stats.batches,
        })
    );
    Ok(())
}
