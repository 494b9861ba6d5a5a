//! Helpers shared by the integration tests: the sample document, external tools (LibreOffice,
//! poppler, Chromium) and reading parts of a DOCX.

#![allow(dead_code)] // each test binary uses a different subset

pub mod sample;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// True when `tool` can be started. A missing tool makes its tests skip with a loud message
/// on a developer's machine; in CI (`CI` set), where `.ci/run` installs them all, it fails
/// the test instead, so a broken install step cannot pass as skipped tests.
pub fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok();
    if !found && std::env::var_os("CI").is_some() {
        panic!("`{tool}` is not installed, and CI must run this test (see .ci/run)");
    }
    if !found {
        eprintln!(
            "\n!!!!!!!! SKIPPED: `{tool}` is not installed; this test did not run. !!!!!!!!\n"
        );
    }
    found
}

/// A folder under the target directory where rendered files stay for a person to look at.
pub fn output_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("document")
        .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Converts `docx` to PDF next to it with LibreOffice, using a profile of its own so tests
/// running in parallel do not share (and lock) one.
pub fn docx_to_pdf(docx: &Path) -> PathBuf {
    let dir = docx.parent().unwrap();
    let profile = tempfile::tempdir().unwrap();
    run(Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx));
    let pdf = docx.with_extension("pdf");
    assert!(pdf.exists(), "LibreOffice wrote no {}", pdf.display());
    pdf
}

/// `pdftotext` of pages `first..=last` (all when `None`), optionally with `-layout`.
pub fn pdf_text(pdf: &Path, pages: Option<(u32, u32)>, layout: bool) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some((f, l)) = pages {
        cmd.args(["-f", &f.to_string(), "-l", &l.to_string()]);
    }
    if layout {
        cmd.arg("-layout");
    }
    let out = run(cmd.arg(pdf).arg("-"));
    String::from_utf8(out.stdout).unwrap()
}

/// `pdfinfo` as key → value.
pub fn pdf_info(pdf: &Path) -> std::collections::HashMap<String, String> {
    let out = run(Command::new("pdfinfo").arg(pdf));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Words of one page with their boxes in points: (xMin, yMin, xMax, yMax, text).
pub fn pdf_words(pdf: &Path, page: u32) -> Vec<(f64, f64, f64, f64, String)> {
    let p = page.to_string();
    let out = run(Command::new("pdftotext")
        .args(["-bbox", "-f", &p, "-l", &p])
        .arg(pdf)
        .arg("-"));
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |s: &str, name: &str| -> f64 {
        let at = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        s[at..].split('"').next().unwrap().parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let text = w
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_string();
            (
                attr(w, "xMin"),
                attr(w, "yMin"),
                attr(w, "xMax"),
                attr(w, "yMax"),
                text,
            )
        })
        .collect()
}

/// One part of a DOCX (a ZIP), e.g. `word/document.xml`.
pub fn docx_part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut file = zip
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} missing from the DOCX"));
    let mut s = String::new();
    file.read_to_string(&mut s).unwrap();
    s
}

pub fn docx_part_names(docx: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    zip.file_names().map(|n| n.unwrap().to_string()).collect()
}

/// The value of attribute `attr` on the first `<tag …>` element of `xml`.
pub fn attr_of(xml: &str, tag: &str, attr: &str) -> String {
    let at = xml
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no <{tag}> in the XML"));
    let element = &xml[at..at + xml[at..].find('>').unwrap()];
    let key = format!("{attr}=\"");
    let v = element
        .find(&key)
        .unwrap_or_else(|| panic!("<{tag}> has no {attr}: {element}"))
        + key.len();
    element[v..].split('"').next().unwrap().to_string()
}

/// Whether a CJK font is present (chart PNGs need one).
pub fn have_cjk_font() -> bool {
    match jianping_document::FontSearch::system().locate() {
        Ok(_) => true,
        Err(e) => {
            eprintln!("\n!!!!!!!! SKIPPED: {e} !!!!!!!!\n");
            false
        }
    }
}

/// Runs Chromium headless (flags for running as root in a container) on `page` and returns
/// (stdout, stderr). Console messages appear on stderr as `…:CONSOLE…` lines.
pub fn chromium(page: &Path, args: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(90) {
            child.kill().unwrap();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}
