//! `jianping qr`: window QR codes and pad keys. Thin: the store keeps tokens and keys
//! (`jianping_store::codes`), the document crate draws codes, cards and sheets
//! (`jianping_document::qr`). See docs/qr.md.

use super::qr_device;
use crate::args::{
    DbArgs, PublicUrlArgs, QrCommand, QrImageArgs, QrListArgs, QrRevokeArgs, QrSheetArgs,
};
use anyhow::Context;
use chrono::{Local, NaiveDateTime};
use jianping_app::Config;
use jianping_core::PublicUrl;
use jianping_document::{
    ChartRenderer, FontSearch, QrOptions, qr_modules, qr_png, qr_svg, render_qr_card_png,
    render_qr_card_svg, render_qr_sheet_html,
};
use jianping_report::tabular::Table;
use jianping_store::Store;
use jianping_store::codes::{WindowCode, by_hall};
use serde::Serialize;
use std::path::Path;

use jianping_app::qr::{NO_HALL, card, hall_sheet};

pub fn run(db: &DbArgs, config: &Config, cmd: QrCommand) -> anyhow::Result<()> {
    let mut store = super::open_store(db)?;
    match cmd {
        QrCommand::List(a) => list(&mut store, config, &a),
        QrCommand::Sheet(a) => sheet(&mut store, config, &a),
        QrCommand::Revoke(a) => revoke(&mut store, config, &a),
        QrCommand::Svg(a) => image(&mut store, config, &a, false),
        QrCommand::Png(a) => image(&mut store, config, &a, true),
        QrCommand::Device(c) => qr_device::run(&mut store, c),
    }
}

pub fn now() -> NaiveDateTime {
    Local::now().naive_local()
}

/// `--base-url`, else `JIANPING_PUBLIC_URL`, else `[server] public_url`.
fn base_url(a: &PublicUrlArgs, config: &Config) -> anyhow::Result<Option<PublicUrl>> {
    match a
        .base_url
        .as_deref()
        .or(config.server.public_url.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Ok(Some(PublicUrl::parse(s).map_err(anyhow::Error::msg)?)),
        None => Ok(None),
    }
}

/// The base URL, required wherever a code is drawn: a printed card cannot be corrected.
fn required_base_url(a: &PublicUrlArgs, config: &Config) -> anyhow::Result<PublicUrl> {
    base_url(a, config)?.context(
        "请用 --base-url（或环境变量 JIANPING_PUBLIC_URL、配置文件 [server] public_url）给出市民扫码访问的公网地址，\
         如 https://zwfw.example.gov.cn；二维码内容为“该地址/q/令牌”",
    )
}

/// Gives every window its token before anything is listed or drawn.
fn ensure_tokens(store: &mut Store) -> anyhow::Result<()> {
    let n = store.ensure_window_tokens(now())?;
    if n > 0 {
        eprintln!("已为 {n} 个尚无二维码的窗口生成二维码令牌");
    }
    Ok(())
}

#[derive(Serialize)]
struct ListRow<'a> {
    #[serde(flatten)]
    code: &'a WindowCode,
    url: Option<String>,
}

fn list(store: &mut Store, config: &Config, a: &QrListArgs) -> anyhow::Result<()> {
    let base = base_url(&a.url, config)?;
    ensure_tokens(store)?;
    let codes = match &a.hall {
        Some(h) => store.hall_window_codes(h)?.windows,
        None => store.window_codes()?,
    };
    if base.is_none() {
        eprintln!("提示：未给出 --base-url（或 JIANPING_PUBLIC_URL），只列出令牌，不列扫码地址");
    }
    let rows: Vec<ListRow> = codes
        .iter()
        .map(|code| ListRow {
            code,
            url: base.as_ref().and_then(|b| code.url(b)),
        })
        .collect();
    let bytes = super::stats::render(
        a.format,
        || serde_json::to_string_pretty(&rows),
        || list_table(&rows),
    )?;
    crate::output::write(a.output.output.as_deref(), &bytes)
}

fn list_table(rows: &[ListRow]) -> Table {
    let headers = [
        "大厅",
        "窗口",
        "窗口编码",
        "部门",
        "区划",
        "令牌",
        "扫码地址",
    ];
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    Table::new(
        headers.map(String::from).to_vec(),
        rows.iter()
            .map(|r| {
                let w = &r.code.window;
                vec![
                    w.hall_name.clone().unwrap_or_else(|| NO_HALL.into()),
                    w.window_name.clone(),
                    opt(&w.window_code),
                    opt(&w.department_name),
                    w.region_name.clone(),
                    opt(&r.code.token),
                    opt(&r.url),
                ]
            })
            .collect(),
    )
}

/// A file name from a hall's name: characters no file system accepts become `_`.
fn file_name(hall: &str) -> String {
    let safe: String = hall
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    format!("{}.html", safe.trim_matches(['.', ' ']))
}

fn sheet(store: &mut Store, config: &Config, a: &QrSheetArgs) -> anyhow::Result<()> {
    let base = required_base_url(&a.url, config)?;
    ensure_tokens(store)?;
    let opts = QrOptions {
        show_url: !a.no_url,
        ..QrOptions::default()
    };
    if let Some(hall) = &a.hall {
        let h = store.hall_window_codes(hall)?;
        let sheet = hall_sheet(&h, &base)?;
        anyhow::ensure!(
            !sheet.cards.is_empty(),
            "大厅「{}」没有窗口，没有可打印的二维码",
            sheet.hall
        );
        let html = render_qr_sheet_html(std::slice::from_ref(&sheet), &opts)?;
        crate::output::write(Some(&a.output), html.as_bytes())?;
        println!(
            "{}：{} 张窗口二维码卡片，用浏览器打开后打印（A4）",
            sheet.hall,
            sheet.cards.len()
        );
        return Ok(());
    }
    write_all_halls(store, &base, &opts, &a.output)
}

/// One file per hall in `dir`: each hall prints and posts its own sheet.
fn write_all_halls(
    store: &mut Store,
    base: &PublicUrl,
    opts: &QrOptions,
    dir: &Path,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        !dir.is_file(),
        "{} 是文件；不给 --hall 时每个大厅各生成一个文件，--output 应为文件夹",
        dir.display()
    );
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 {}", dir.display()))?;
    let halls = by_hall(store.window_codes()?);
    anyhow::ensure!(!halls.is_empty(), "数据库中没有窗口，没有可打印的二维码");
    let mut cards = 0;
    for h in &halls {
        let sheet = hall_sheet(h, base)?;
        let html = render_qr_sheet_html(std::slice::from_ref(&sheet), opts)?;
        let path = dir.join(file_name(&sheet.hall));
        std::fs::write(&path, html).with_context(|| format!("无法写入文件 {}", path.display()))?;
        cards += sheet.cards.len();
    }
    println!(
        "已在 {} 生成 {} 个大厅的二维码打印页（每个大厅一个 HTML 文件），共 {cards} 张窗口卡片",
        dir.display(),
        halls.len()
    );
    Ok(())
}

fn revoke(store: &mut Store, config: &Config, a: &QrRevokeArgs) -> anyhow::Result<()> {
    let actor = a.actor.as_deref().unwrap_or_default();
    anyhow::ensure!(
        !actor.trim().is_empty(),
        "请用 --actor 姓名（或环境变量 JIANPING_ACTOR）指明操作人，作废记录要写明是谁办的"
    );
    let base = base_url(&a.url, config)?;
    let w = store.find_window(&a.window)?;
    let r = store.revoke_window_token(w.window_id, actor, &a.reason, now(), true)?;
    let hall = w.hall_name.as_deref().unwrap_or(NO_HALL);
    println!(
        "已作废窗口「{}」（{hall}）的二维码 {}。",
        w.window_name, r.old_token
    );
    println!("已印制的旧二维码卡片即刻失效：市民再扫旧卡片，会看到“二维码已失效”的提示。");
    if let Some(new) = &r.new_token {
        match &base {
            Some(b) => println!("新二维码地址：{}", b.window_url(new)),
            None => println!("新二维码令牌：{new}"),
        }
        let target = w.window_code.as_deref().unwrap_or(&w.window_name);
        println!(
            "请重新打印该窗口的二维码卡片并换下旧卡片：jianping qr png {target} --card --output 新卡片.png，\
             或 jianping qr sheet --hall {hall} --output 大厅二维码.html"
        );
    }
    Ok(())
}

fn image(store: &mut Store, config: &Config, a: &QrImageArgs, png: bool) -> anyhow::Result<()> {
    let base = required_base_url(&a.url, config)?;
    ensure_tokens(store)?;
    let w = store.find_window(&a.window)?;
    let code = store.window_code(w.window_id)?;
    let card = card(&code, &base)?;
    let opts = QrOptions {
        show_url: !a.no_url,
        ..QrOptions::default()
    };
    let bytes = match (png, a.card) {
        (false, false) => qr_svg(&card.url, 8)?.into_bytes(),
        (false, true) => render_qr_card_svg(&card, &opts)?.into_bytes(),
        (true, false) => {
            let module_px = (a.size.unwrap_or(400) / qr_modules(&card.url)?).max(1);
            qr_png(&card.url, module_px)?.data
        }
        (true, true) => {
            let search = match &config.document.chart_font {
                Some(p) => FontSearch::file(config.resolve(p)),
                None => FontSearch::system(),
            };
            let renderer = ChartRenderer::new(&search)?;
            let scale = a.size.unwrap_or(720) as f32 / 360.0;
            render_qr_card_png(&renderer, &card, &opts, scale)?.data
        }
    };
    crate::output::write(Some(&a.output), &bytes)?;
    println!(
        "窗口「{}」（{}）的二维码：{}",
        card.window, card.hall, card.url
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hall_names_become_file_names() {
        assert_eq!(file_name("乌海市政务服务中心"), "乌海市政务服务中心.html");
        assert_eq!(file_name("A/B:C*?"), "A_B_C__.html");
        assert_eq!(file_name("..大厅 "), "大厅.html");
    }
}
