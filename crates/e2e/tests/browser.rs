//! The real binary in a real browser.

use jianping_e2e::{Browser, Screen, Server, jianping, wait_text};

const PASSWORD: &str = "Jianping-2026";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bureau_administrator_logs_in_on_a_phone() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("city.db");
    jianping(
        &db,
        &["user", "add", "admin", "--name", "王五", "--role", "admin"],
        Some(PASSWORD),
    )?;
    let server = Server::start(&db).await?;
    let b = Browser::start(Screen::Phone).await?;
    b.goto(&format!("{}/office", server.url)).await?;
    wait_text(&b, "登录监评").await?;
    b.fill("input[name=username]", "admin").await?;
    b.fill("input[name=password]", "wrong").await?;
    b.click("button[type=submit]").await?;
    let t = wait_text(&b, "用户名或密码错误").await?;
    assert!(t.contains("再失败 4 次"), "{t}");
    b.fill("input[name=password]", PASSWORD).await?;
    b.click("button[type=submit]").await?;
    wait_text(&b, "工作台").await?;
    b.screenshot(dir.path(), "office-phone.png").await?;
    b.close().await?;
    Ok(())
}
