//! Test support for driving the real `jianping` binary with headless Chromium through
//! chromedriver (WebDriver). Each test gets its own database, server port, chromedriver and
//! browser profile.
//!
//! Screenshots are written to `$JIANPING_SCREENSHOTS` when set (the README's images are made
//! with `JIANPING_SCREENSHOTS=docs/images cargo test -p jianping-e2e`), else to the test's
//! temporary folder.

use anyhow::{Context, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `jianping` binary cargo built next to this test.
pub fn jianping_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/debug/deps/browser-… → target/debug/jianping
    let dir = exe.parent().and_then(Path::parent).expect("target/debug");
    let bin = dir.join(format!("jianping{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo test --workspace` (it builds the binary)",
        bin.display()
    );
    bin
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A child process killed when dropped.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `jianping ARGS --db DB` to completion, failing with its output if it fails.
pub fn jianping(db: &Path, args: &[&str], stdin: Option<&str>) -> anyhow::Result<String> {
    use std::io::Write;
    let mut child = Command::new(jianping_bin())
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("JIANPING_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(text) = stdin
        && let Some(mut i) = child.stdin.take()
    {
        i.write_all(text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "jianping {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Imports the example city's files (`examples/import/{kind}.csv`) in the order given.
pub fn import_examples(db: &Path, kinds: &[&str]) -> anyhow::Result<()> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/import");
    for kind in kinds {
        let file = examples.join(format!("{kind}.csv"));
        jianping(db, &["import", kind, file.to_str().context("path")?], None)?;
    }
    Ok(())
}

/// Registers a hall pad at `window` and returns its device key.
pub fn add_pad(db: &Path, window: &str, name: &str) -> anyhow::Result<String> {
    let out = jianping(
        db,
        &[
            "qr", "device", "add", "--window", window, "--name", name, "--json",
        ],
        None,
    )?;
    let v: serde_json::Value = serde_json::from_str(&out)?;
    Ok(v["key"]
        .as_str()
        .context("no key in qr device add --json")?
        .to_string())
}

/// `jianping serve` on a free port, ready when /healthz answers.
pub struct Server {
    pub url: String,
    pub db: PathBuf,
    process: Process,
}

impl Server {
    pub async fn start(db: &Path) -> anyhow::Result<Server> {
        let port = free_port();
        let url = format!("http://127.0.0.1:{port}");
        let child = Command::new(jianping_bin())
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--public-url",
                &url,
            ])
            .arg("--db")
            .arg(db)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting jianping serve")?;
        let server = Server {
            url: url.clone(),
            db: db.to_path_buf(),
            process: Process(child),
        };
        wait_for(&format!("127.0.0.1:{port}"), "/healthz").await?;
        Ok(server)
    }
}

impl Server {
    /// Kills the server outright (SIGKILL: no shutdown, no flush), as a power cut would.
    pub fn kill(mut self) {
        let _ = self.process.0.kill();
        let _ = self.process.0.wait();
    }
}

/// Waits until `addr` answers an HTTP GET of `path` with 200.
async fn wait_for(addr: &str, path: &str) -> anyhow::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut s) = tokio::net::TcpStream::connect(addr).await {
            let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
            if s.write_all(req.as_bytes()).await.is_ok() {
                // Only the status line: some servers keep the connection open regardless.
                let mut buf = [0u8; 12];
                let read =
                    tokio::time::timeout(Duration::from_secs(5), s.read_exact(&mut buf)).await;
                if matches!(read, Ok(Ok(_))) && buf.starts_with(b"HTTP/1.1 200") {
                    return Ok(());
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("{addr}{path} did not answer within 60 s")
}

/// A headless Chromium of a given window size, driven through its own chromedriver.
pub struct Browser {
    pub client: Client,
    _driver: Process,
    _profile: tempfile::TempDir,
}

/// A phone (360 × 780) or a desktop (1280 × 900).
#[derive(Clone, Copy)]
pub enum Screen {
    Phone,
    Desktop,
}

impl Browser {
    pub async fn start(screen: Screen) -> anyhow::Result<Browser> {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context(
                "chromedriver (Debian package chromium-driver) is required for the browser tests",
            )?;
        let driver = Process(driver);
        wait_for(&format!("127.0.0.1:{port}"), "/status").await?;
        let profile = tempfile::tempdir()?;
        let (w, h) = match screen {
            Screen::Phone => (360, 780),
            Screen::Desktop => (1280, 900),
        };
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--lang=zh-CN".into(),
            format!("--window-size={w},{h}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut options = serde_json::json!({ "binary": "/usr/bin/chromium", "args": args });
        if let Screen::Phone = screen {
            // A phone's CSS viewport, whatever the headless window's minimum size.
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": w, "height": h, "pixelRatio": 2.0, "touch": true }
            });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("connecting to chromedriver")?;
        Ok(Browser {
            client,
            _driver: driver,
            _profile: profile,
        })
    }

    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.client.goto(url).await?;
        Ok(())
    }

    /// The page's visible text.
    pub async fn text(&self) -> anyhow::Result<String> {
        Ok(self.client.find(Locator::Css("body")).await?.text().await?)
    }

    pub async fn fill(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let e = self
            .client
            .find(Locator::Css(css))
            .await
            .with_context(|| css.to_string())?;
        e.clear().await?;
        e.send_keys(value).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.client
            .find(Locator::Css(css))
            .await
            .with_context(|| css.to_string())?
            .click()
            .await?;
        Ok(())
    }

    /// Saves a PNG of the viewport under `name` and returns its path.
    pub async fn screenshot(&self, dir: &Path, name: &str) -> anyhow::Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let target = match std::env::var_os("JIANPING_SCREENSHOTS") {
            Some(d) => PathBuf::from(d),
            None => dir.to_path_buf(),
        };
        std::fs::create_dir_all(&target)?;
        let path = target.join(name);
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Errors and warnings the page logged to the console (Chromium's log through WebDriver
    /// is not portable: the page's own collector in app.js is read instead, if present).
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

/// Waits (up to 10 s) until the page's text contains `needle`.
pub async fn wait_text(b: &Browser, needle: &str) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let t = b.text().await.unwrap_or_default();
        if t.contains(needle) {
            return Ok(t);
        }
        if Instant::now() > deadline {
            bail!("the page never showed「{needle}」; it shows:\n{t}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `POST base+path` with a JSON body and a bearer key (a pad or the window's business
/// system), over plain HTTP/1.1; returns the status and the body.
pub async fn http_post_json(
    base: &str,
    path: &str,
    bearer: &str,
    json: &str,
) -> anyhow::Result<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://").trim_end_matches('/');
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {bearer}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut raw)).await??;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .with_context(|| format!("not an HTTP answer: {text}"))?;
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    Ok((status, body))
}
