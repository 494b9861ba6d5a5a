//! The whole loop in a real browser, driving the real binary: a citizen on a phone rates a
//! window 非常不满意 through its QR page → the department's clerk claims and rectifies the
//! item it opened → the bureau verifies and closes it → the dashboard and the monthly
//! bulletin show it. The hall pad shows a case posted by the window's business system.
//! Screenshots (citizen page, pad, dashboard, ledger) go to `$JIANPING_SCREENSHOTS`.

use fantoccini::Locator;
use jianping_e2e::{
    Browser, Screen, Server, add_pad, http_post_json, import_examples, jianping, wait_text,
};
use std::path::Path;

const PASSWORD: &str = "Jianping-2026";
const DEPARTMENT: &str = "乌海市人力资源和社会保障局";
const WINDOW: &str = "CK150300021"; // 社保综合窗口

fn seed(db: &Path) -> anyhow::Result<()> {
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
    jianping(
        db,
        &[
            "user",
            "add",
            "clerk",
            "--name",
            "赵经办",
            "--role",
            "clerk",
            "--department",
            DEPARTMENT,
        ],
        Some(PASSWORD),
    )?;
    Ok(())
}

fn window_url(db: &Path, base: &str) -> anyhow::Result<String> {
    let json = jianping(
        db,
        &["qr", "list", "--format", "json", "--base-url", base],
        None,
    )?;
    let list: Vec<serde_json::Value> = serde_json::from_str(&json)?;
    let w = list
        .iter()
        .find(|w| w.to_string().contains(WINDOW))
        .ok_or_else(|| anyhow::anyhow!("window {WINDOW} not in qr list: {json}"))?;
    Ok(w["url"].as_str().expect("url").to_string())
}

async fn login(b: &Browser, base: &str, username: &str) -> anyhow::Result<()> {
    b.goto(&format!("{base}/login")).await?;
    b.fill("input[name=username]", username).await?;
    b.fill("input[name=password]", PASSWORD).await?;
    b.click("button[type=submit]").await?;
    wait_text(b, "工作台").await?;
    Ok(())
}

async fn figure(b: &Browser, name: &str) -> anyhow::Result<String> {
    let css = format!("[data-figure='{name}']");
    Ok(b.client.find(Locator::Css(&css)).await?.text().await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_rating_from_a_phone_is_rectified_closed_and_reported() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let shots = dir.path();
    let db = dir.path().join("city.db");
    seed(&db)?;
    let pad_key = add_pad(&db, WINDOW, "社保窗口评价器")?;
    let server = Server::start(&db).await?;
    let base = server.url.clone();
    // `qr list` before the server: tokens exist once the server has started.
    let qr_url = window_url(&db, &base)?;

    // 1. The citizen scans the window's code and rates it 非常不满意.
    let phone = Browser::start(Screen::Phone).await?;
    phone.goto(&qr_url).await?;
    wait_text(&phone, "社保综合窗口").await?;
    wait_text(&phone, DEPARTMENT).await?;
    phone.screenshot(shots, "citizen-window.png").await?;
    phone.click("a[href$='/rate'], a[href*='rate']").await?;
    wait_text(&phone, "非常不满意").await?;
    phone
        .client
        .find(Locator::XPath("//label[contains(., '非常不满意')]"))
        .await?
        .click()
        .await?;
    phone
        .client
        .find(Locator::XPath("//label[contains(., '服务态度')]"))
        .await?
        .click()
        .await?;
    phone
        .fill(
            "textarea[name=comment]",
            "窗口人员态度生硬，材料一次没说清楚",
        )
        .await?;
    phone.screenshot(shots, "citizen-rate.png").await?;
    phone.click("form button[type=submit]").await?;
    let thanks = wait_text(&phone, "ZG").await?;
    let item_no = thanks
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|w| w.starts_with("ZG") && w.contains('-'))
        .expect("the thank-you page names the rectification item")
        .to_string();
    phone.screenshot(shots, "citizen-thanks.png").await?;
    phone.close().await?;

    // 2. The hall pad: the window's business system posts a finished case.
    let pad = Browser::start(Screen::Desktop).await?;
    pad.goto(&format!("{base}/pad?key={pad_key}")).await?;
    wait_text(&pad, "社保综合窗口").await?;
    let (status, body) = http_post_json(
        &base,
        "/api/v1/pads/cases",
        &pad_key,
        r#"{"case_no":"BJ2026120300001","matter_name":"失业登记","staff":"张伟"}"#,
    )
    .await?;
    assert!(status < 300, "{status} {body}");
    wait_text(&pad, "失业登记").await?;
    pad.screenshot(shots, "pad.png").await?;
    pad.close().await?;

    // 3. The department's clerk claims and rectifies the item.
    let clerk = Browser::start(Screen::Desktop).await?;
    login(&clerk, &base, "clerk").await?;
    clerk.goto(&format!("{base}/office/ledger")).await?;
    wait_text(&clerk, &item_no).await?;
    clerk.screenshot(shots, "ledger.png").await?;
    clerk
        .goto(&format!("{base}/office/ledger/{item_no}"))
        .await?;
    wait_text(&clerk, "态度生硬").await?;
    clerk
        .click("form[action$='/step/claim'] button[type=submit]")
        .await?;
    wait_text(&clerk, "提交整改").await?;
    clerk
        .fill(
            "form[action$='/rectify'] textarea[name=measures]",
            "约谈窗口人员，一次性告知清单上墙，已电话向办事人致歉",
        )
        .await?;
    clerk
        .click("form[action$='/rectify'] button[type=submit]")
        .await?;
    wait_text(&clerk, "一次性告知清单上墙").await?;
    clerk.screenshot(shots, "ledger-item.png").await?;
    clerk.close().await?;

    // 4. The bureau verifies and closes it; the dashboard shows the bad rating.
    let bureau = Browser::start(Screen::Desktop).await?;
    login(&bureau, &base, "admin").await?;
    bureau
        .goto(&format!("{base}/office/ledger/{item_no}"))
        .await?;
    wait_text(&bureau, "核验销号").await?;
    // The confirmation dialog of the close button is JavaScript's; accept it if shown.
    bureau
        .click("form[action$='/step/close'] button[type=submit]")
        .await?;
    if bureau.client.get_alert_text().await.is_ok() {
        bureau.client.accept_alert().await?;
    }
    wait_text(&bureau, "已办结").await?;
    bureau.goto(&format!("{base}/office")).await?;
    wait_text(&bureau, "好差评").await?;
    assert_eq!(figure(&bureau, "今日-bad").await?, "1");
    // The pad's case was shown, not rated: the citizen's rating is today's only one.
    assert_eq!(figure(&bureau, "今日-total").await?, "1");
    bureau.screenshot(shots, "dashboard.png").await?;
    bureau.close().await?;

    // 5. This month's bulletin counts the item as rectified and closed.
    let month = chrono_month();
    let bulletin = jianping(
        &db,
        &["report", "monthly", "--month", &month, "--format", "md"],
        None,
    )?;
    assert!(bulletin.contains(DEPARTMENT), "{bulletin}");
    assert!(
        bulletin.contains(&item_no) || bulletin.contains("已办结"),
        "{bulletin}"
    );
    drop(server);
    Ok(())
}

fn chrono_month() -> String {
    let out = std::process::Command::new("date")
        .arg("+%Y-%m")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
