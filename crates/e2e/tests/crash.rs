//! Crash safety of the real binary (issue 12 item 6): the server is killed with SIGKILL in
//! the middle of a rating load, and an import is killed in the middle of a large file. After
//! a restart every rating acknowledged with 2xx is present, nothing half-imported remains,
//! and `jianping verify` passes.

use jianping_e2e::{Server, add_pad, http_post_json, import_examples, jianping, jianping_bin};
use jianping_store::{RowExt, Store, Target};
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WINDOW: &str = "CK150300021";

fn seed(db: &Path) -> anyhow::Result<String> {
    import_examples(db, &["regions", "departments", "halls", "windows"])?;
    add_pad(db, WINDOW, "压力测试评价器")
}

fn stored_ratings(db: &Path) -> HashSet<String> {
    let mut store = Store::connect(&Target::Sqlite(db.to_path_buf())).expect("open");
    store
        .backend()
        .query("SELECT rating_no FROM ratings", &[])
        .expect("query")
        .iter()
        .map(|r| r.text(0))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_rating_survives_a_sigkill() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("city.db");
    let key = seed(&db)?;
    let server = Server::start(&db).await?;
    let base = server.url.clone();

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut clients = Vec::new();
    for c in 0..16 {
        let (base, key, acked) = (base.clone(), key.clone(), acknowledged.clone());
        clients.push(tokio::spawn(async move {
            for i in 0.. {
                let no = format!("CRASH-{c:02}-{i:06}");
                let grade = if i % 10 == 0 {
                    "非常不满意"
                } else {
                    "非常满意"
                };
                let body = format!(r#"{{"rating_no":"{no}","grade":"{grade}"}}"#);
                match http_post_json(&base, "/api/v1/ratings", &key, &body).await {
                    Ok((status, _)) if (200..300).contains(&status) => {
                        acked.lock().unwrap().push(no)
                    }
                    Ok((status, text)) => panic!("{status}: {text}"),
                    // The server is gone: this request's fate is unknown, and so not counted.
                    Err(_) => break,
                }
            }
        }));
    }
    // Kill once a good number of ratings are in, mid-stream.
    while acknowledged.lock().unwrap().len() < 300 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    for c in clients {
        c.await?;
    }
    let acked = acknowledged.lock().unwrap().clone();

    // Restart: the server comes up on the same file, and every acknowledged rating is there.
    let server = Server::start(&db).await?;
    server.kill();
    let stored = tokio::task::spawn_blocking({
        let db = db.clone();
        move || stored_ratings(&db)
    })
    .await?;
    let missing: Vec<&String> = acked.iter().filter(|n| !stored.contains(*n)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged ratings lost: {:?}",
        missing.len(),
        acked.len(),
        &missing[..missing.len().min(5)]
    );
    eprintln!(
        "SIGKILL under load: {} ratings acknowledged, {} found after restart ({} stored in all)",
        acked.len(),
        acked.len() - missing.len(),
        stored.len()
    );
    jianping(&db, &["verify"], None)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_half_way_leaves_nothing_behind() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("city.db");
    seed(&db)?;
    // A file big enough to be cut off half-way.
    let csv = dir.path().join("big.csv");
    let mut text = String::from("评价编号,部门,窗口,行政区划,评价渠道,满意度,评价时间\n");
    for i in 0..400_000 {
        let grade = if i % 50 == 0 {
            "不满意"
        } else {
            "非常满意"
        };
        text.push_str(&format!(
            "BIG{i:07},乌海市人力资源和社会保障局,社保综合窗口,150300,政务大厅平板电脑,{grade},2025-{:02}-{:02} 10:{:02}:00\n",
            1 + i % 12,
            1 + i % 28,
            i % 60
        ));
    }
    std::fs::write(&csv, text)?;
    // How long the whole import takes here, on a copy: the kill comes at half that.
    let copy = dir.path().join("timing.db");
    std::fs::copy(&db, &copy)?;
    let started = std::time::Instant::now();
    jianping(&copy, &["import", "ratings", csv.to_str().unwrap()], None)?;
    let whole = started.elapsed();
    let mut child = std::process::Command::new(jianping_bin())
        .args(["import", "ratings", csv.to_str().unwrap(), "--db"])
        .arg(&db)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    tokio::time::sleep(whole / 2).await;
    let finished_first = child.try_wait()?.is_some();
    eprintln!(
        "import of 400,000 rows takes {whole:?}; killed at half (finished already: {finished_first})"
    );
    child.kill()?;
    child.wait()?;
    let stored = tokio::task::spawn_blocking({
        let db = db.clone();
        move || stored_ratings(&db).len()
    })
    .await?;
    assert!(
        stored == 0 || (finished_first && stored == 400_000),
        "a killed import left {stored} of 400000 rows"
    );
    jianping(&db, &["verify"], None)?;
    // And the same file then imports whole.
    jianping(&db, &["import", "ratings", csv.to_str().unwrap()], None)?;
    let stored = tokio::task::spawn_blocking(move || stored_ratings(&db).len()).await?;
    assert_eq!(stored, 400_000);
    Ok(())
}
