//! Issue 12 item 7: schemathesis (PyPI) against the real binary's served OpenAPI document.
//! Every operation of /api/openapi.json is called with generated valid and invalid requests,
//! authenticated as a pad (device key) and as the bureau's admin (session cookie + CSRF
//! token); the run fails on any 5xx or on a response that contradicts the document.
//!
//! The schemathesis CLI comes from `$JIANPING_SCHEMATHESIS` or the virtualenv `.ci/run`
//! creates at `target/schemathesis-venv`. Missing, the test fails: a silent skip would let
//! CI pass without the check.

use jianping_e2e::{Server, add_pad, import_examples, jianping};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const PASSWORD: &str = "Jianping-2026";
const WINDOW: &str = "CK150300021";
/// Test cases per operation and phase: enough to reach every parameter's edge values
/// (coverage phase) while the whole run stays around a minute or two on a 2-core machine.
const MAX_EXAMPLES: &str = "30";

fn schemathesis_bin() -> PathBuf {
    if let Ok(p) = std::env::var("JIANPING_SCHEMATHESIS") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/schemathesis-venv/bin/schemathesis")
}

fn seed(db: &Path) -> anyhow::Result<String> {
    import_examples(
        db,
        &[
            "regions",
            "departments",
            "halls",
            "windows",
            "staff",
            "ratings",
        ],
    )?;
    jianping(
        db,
        &[
            "user",
            "add",
            "admin",
            "--name",
            "王局长",
            "--role",
            "admin",
        ],
        Some(PASSWORD),
    )?;
    add_pad(db, WINDOW, "接口测试评价器")
}

/// One raw HTTP/1.1 exchange; returns the head and the body.
async fn exchange(base: &str, request: &str) -> anyhow::Result<(String, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    s.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut raw)).await??;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Ok((head.to_string(), body.to_string()))
}

/// Logs the admin in; returns the session cookie (`name=value`) and its CSRF token.
async fn admin_session(base: &str) -> anyhow::Result<(String, String)> {
    let addr = base.trim_start_matches("http://");
    let form = format!("username=admin&password={PASSWORD}&next=%2Foffice");
    let (head, _) = exchange(
        base,
        &format!(
            "POST /login HTTP/1.1\r\nHost: {addr}\r\nOrigin: {base}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{form}",
            form.len()
        ),
    )
    .await?;
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("the login set no cookie:\n{head}"))?
        .to_string();
    let (_, page) = exchange(
        base,
        &format!(
            "GET /office HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    )
    .await?;
    let marker = r#"name="_csrf" value=""#;
    let at = page
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no CSRF token on /office:\n{page}"))?
        + marker.len();
    let csrf = page[at..].split('"').next().unwrap_or_default().to_string();
    Ok((cookie, csrf))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_every_generated_request_without_5xx_and_as_documented()
-> anyhow::Result<()> {
    let bin = schemathesis_bin();
    assert!(
        bin.exists(),
        "schemathesis is missing at {}: run .ci/run (it creates target/schemathesis-venv), or \
         `python3 -m venv target/schemathesis-venv && target/schemathesis-venv/bin/pip install \
         schemathesis`, or point JIANPING_SCHEMATHESIS at the binary",
        bin.display()
    );
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("city.db");
    let key = seed(&db)?;
    let server = Server::start(&db).await?;
    let (cookie, csrf) = admin_session(&server.url).await?;

    let report = dir.path().join("report");
    let out = tokio::task::spawn_blocking({
        let (url, report) = (server.url.clone(), report.clone());
        move || {
            Command::new(&bin)
                .arg("run")
                .arg(format!("{url}/api/openapi.json"))
                .args(["--url", &url])
                .args(["--header", &format!("Authorization: Bearer {key}")])
                .args(["--header", &format!("Cookie: {cookie}")])
                .args(["--header", &format!("X-CSRF-Token: {csrf}")])
                .args(["--header", &format!("Origin: {url}")])
                .args([
                    "--checks",
                    "not_a_server_error,status_code_conformance,content_type_conformance,\
                     response_schema_conformance",
                ])
                .args(["--phases", "examples,coverage,fuzzing"])
                .args(["--max-examples", MAX_EXAMPLES])
                .args(["--seed", "7"])
                .args(["--workers", "2"])
                .args(["--request-timeout", "20"])
                .arg("--report-dir")
                .arg(&report)
                .env("NO_COLOR", "1")
                .env("SCHEMATHESIS_TELEMETRY", "false")
                .output()
        }
    })
    .await??;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The summary is what docs/reliability.md quotes; printed so `--nocapture` shows it.
    println!("{stdout}");
    assert!(
        out.status.success(),
        "schemathesis found failures (exit {:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    // A run that tested nothing (the document unreachable, every operation skipped) must not
    // pass as clean.
    assert!(
        stdout.contains("passed") && !stdout.contains("No operations"),
        "schemathesis tested nothing:\n{stdout}\n{stderr}"
    );
    drop(server);
    Ok(())
}
