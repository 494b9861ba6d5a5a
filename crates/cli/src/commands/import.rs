//! `jianping import KIND FILE...`: each file in one transaction (jianping_app::import);
//! this module shows progress and prints what happened.

use crate::args::{DbArgs, ImportArgs, ImportKind};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jianping_app::import::{FileImport, ImportRequest, Progress, ProgressUnit, import_file};
use jianping_core::privacy::mask_name;
use jianping_ingest::{Kind, Options};
use jianping_store::Store;
use std::io::IsTerminal;
use std::path::Path;

/// Names listed per created dimension before the rest are only counted.
const SHOW_CREATED: usize = 10;
/// Files smaller than this finish too fast for a progress bar to help.
const PROGRESS_MIN_BYTES: u64 = 4 << 20;
const PROGRESS_MIN_ROWS: u64 = 20_000;

pub fn run(db: &DbArgs, a: &ImportArgs) -> anyhow::Result<()> {
    if a.rejects.is_some() && a.files.len() > 1 {
        anyhow::bail!(
            "--rejects 只能用于单个文件；导入多个文件时，各文件的错误行分别写到“文件名.rejects.csv”"
        );
    }
    let kind = kind_of(a.kind);
    if a.as_of.is_some() && kind != Kind::Matters {
        eprintln!("提示：--as-of 只用于事项目录（matters），本次导入忽略该参数");
    }
    if a.rejects.is_some() && !a.skip_bad {
        eprintln!("提示：--rejects 仅在同时使用 --skip-bad 时生效");
    }
    let req = ImportRequest {
        options: Options {
            grade_codes: a.grade_codes,
            as_of: a.as_of,
            sheet: a.sheet.clone(),
            chunk_size: 0,
        },
        skip_bad: a.skip_bad,
        rejects: a.rejects.clone(),
        ..ImportRequest::new(kind)
    };
    let mut store = super::open_store(db)?;
    let mut failed: Vec<String> = Vec::new();
    for file in &a.files {
        if let Err(e) = one_file(&mut store, file, &req, a.quiet) {
            if a.files.len() == 1 {
                return Err(e);
            }
            eprintln!("错误：{e:#}");
            failed.push(file.display().to_string());
        }
    }
    if !failed.is_empty() {
        anyhow::bail!(
            "{} 个文件中有 {} 个未导入（{}），其余文件已导入；改正后可重新导入全部文件，已导入的数据不会重复",
            a.files.len(),
            failed.len(),
            failed.join("、")
        );
    }
    Ok(())
}

fn one_file(
    store: &mut Store,
    path: &Path,
    req: &ImportRequest,
    quiet: bool,
) -> anyhow::Result<()> {
    let bar = Bar::new(quiet);
    let result = import_file(store, path, req, &bar);
    bar.0.finish_and_clear();
    let f = result?;
    if f.summary.is_none() {
        print_bad(&f);
        anyhow::bail!("{}", f.refusal());
    }
    print_summary(&f);
    if let Some(p) = &f.rejects_written {
        print_bad(&f);
        println!(
            "  拒收的 {} 行已写入 {}（含原始列和“错误原因”；其中可能有个人信息，请妥善保管），改正后可直接重新导入该文件",
            f.bad.rows,
            p.display()
        );
    }
    Ok(())
}

fn kind_of(k: ImportKind) -> Kind {
    match k {
        ImportKind::Ratings => Kind::Ratings,
        ImportKind::Hotline => Kind::Hotline,
        ImportKind::Cases => Kind::Cases,
        ImportKind::Matters => Kind::Matters,
        ImportKind::Supervisors => Kind::Supervisors,
        ImportKind::Feedback => Kind::Feedback,
        ImportKind::QrReports => Kind::QrReports,
        ImportKind::Assessments => Kind::Assessments,
        ImportKind::Regions => Kind::Regions,
        ImportKind::Departments => Kind::Departments,
        ImportKind::Halls => Kind::Halls,
        ImportKind::Windows => Kind::Windows,
        ImportKind::Staff => Kind::Staff,
        ImportKind::ReportedStats => Kind::ReportedStats,
    }
}

/// A progress bar on a terminal, for files big enough to need one.
struct Bar(ProgressBar, bool);

impl Bar {
    fn new(quiet: bool) -> Bar {
        Bar(
            ProgressBar::hidden(),
            quiet || !std::io::stderr().is_terminal(),
        )
    }
}

impl Progress for Bar {
    fn start(&self, total: u64, unit: ProgressUnit) {
        let (big, template) = match unit {
            ProgressUnit::Bytes => (
                total >= PROGRESS_MIN_BYTES,
                "{msg} [{bar:40}] {bytes}/{total_bytes} 剩余约 {eta}",
            ),
            ProgressUnit::Rows => (
                total >= PROGRESS_MIN_ROWS,
                "{msg} [{bar:40}] {pos}/{len} 行 剩余约 {eta}",
            ),
        };
        if self.1 || !big {
            return;
        }
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        self.0.set_length(total);
        self.0.set_style(style);
        self.0.set_draw_target(ProgressDrawTarget::stderr());
        self.0.set_message("导入中");
    }

    fn advance_to(&self, done: u64) {
        self.0.set_position(done);
    }

    fn phase(&self, message: &str) {
        self.0.set_message(message.to_string());
    }
}

fn print_bad(f: &FileImport) {
    if f.bad.rows == 0 {
        return;
    }
    for l in &f.bad.lines {
        eprintln!("{l}");
    }
    let more = f.bad.more();
    if more > 0 {
        eprintln!("……另有 {more} 处错误未列出");
    }
}

fn print_summary(f: &FileImport) {
    let Some(s) = &f.summary else { return };
    println!(
        "已导入{}：{}（{}，SHA-256 {}…）",
        f.kind.label(),
        s.file,
        f.format,
        &f.sha256[..12]
    );
    println!(
        "  读取 {} 行：新增 {}，更新 {}，未变 {}，拒收 {}",
        s.rows_read, s.inserted, s.updated, s.unchanged, s.rejected
    );
    if s.rows_read == 0 {
        println!("  提示：文件只有表头（第 {} 行），没有数据行", f.header_row);
    }
    if let Some(t) = &f.earlier {
        println!("  提示：内容相同的文件已于 {t} 导入过；记录按编号去重，重复导入不会产生重复数据");
    }
    let c = &s.created;
    let masked_staff: Vec<String> = c.staff.iter().map(|n| mask_name(n)).collect();
    for (what, unit, names) in [
        ("行政区划", "个", &c.regions),
        ("部门", "个", &c.departments),
        ("大厅", "个", &c.halls),
        ("窗口", "个", &c.windows),
        ("工作人员", "人", &masked_staff),
        ("事项", "项", &c.matters),
        ("一件事", "个", &c.packages),
    ] {
        if !names.is_empty() {
            println!("  新建{what} {} {unit}：{}", names.len(), capped(names));
        }
    }
    if !c.regions.is_empty() {
        println!("  提示：新建的行政区划暂以代码为名称，可用 jianping import regions 补充名称");
    }
    for note in &f.notes {
        println!("  说明：{note}");
    }
}

fn capped(names: &[String]) -> String {
    let shown: Vec<&str> = names
        .iter()
        .take(SHOW_CREATED)
        .map(String::as_str)
        .collect();
    let mut s = shown.join("、");
    if names.len() > SHOW_CREATED {
        s.push_str(&format!(
            " 等（另有 {} 个未列出）",
            names.len() - SHOW_CREATED
        ));
    }
    s
}
