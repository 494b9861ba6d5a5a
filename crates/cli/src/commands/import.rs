//! `jianping import KIND FILE...`: each file is read in chunks and written in one store
//! transaction, committed only when the whole file is in. By default one bad row stops the
//! file (every bad row is listed); with `--skip-bad` the good rows go in and the bad ones go
//! to a rejects file.

use crate::args::{DbArgs, ImportArgs, ImportKind};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jianping_core::privacy::mask_name;
use jianping_ingest::{Batch, Chunk, Importer, Kind, Options, Reject, RejectsWriter};
use jianping_store::{ImportSession, ImportSummary, RowExt, Store, StoreError};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

/// Bad-row lines printed before the rest are only counted.
const SHOW_ERRORS: usize = 50;
/// Names listed per created dimension before the rest are only counted.
const SHOW_CREATED: usize = 10;
/// Files smaller than this finish too fast for a progress bar to help.
const PROGRESS_MIN_BYTES: u64 = 4 << 20;

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
    let opts = Options {
        grade_codes: a.grade_codes,
        as_of: a.as_of,
        sheet: a.sheet.clone(),
        chunk_size: 0,
    };
    let mut store = super::open_store(db)?;
    let mut failed: Vec<String> = Vec::new();
    for file in &a.files {
        if let Err(e) = import_file(&mut store, kind, file, a, &opts) {
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

/// The bad rows of one file: the first lines in full, the rest counted.
#[derive(Default)]
struct BadRows {
    rows: u64,
    cells: u64,
    lines: Vec<String>,
}

impl BadRows {
    fn add(&mut self, r: &Reject, file: &str) {
        self.rows += 1;
        self.cells += r.errors.len() as u64;
        for line in r.lines(file) {
            if self.lines.len() < SHOW_ERRORS {
                self.lines.push(line);
            }
        }
    }

    fn print(&self) {
        for l in &self.lines {
            eprintln!("{l}");
        }
        let more = self.cells.saturating_sub(self.lines.len() as u64);
        if more > 0 {
            eprintln!("……另有 {more} 处错误未列出");
        }
    }
}

fn import_file(
    store: &mut Store,
    kind: Kind,
    path: &Path,
    a: &ImportArgs,
    opts: &Options,
) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let sha = jianping_ingest::sha256_file(path)?;
    let earlier = earlier_import(store, &sha)?;
    let mut imp = Importer::open(path, kind, opts)?;
    let bar = progress_bar(&imp, a.quiet);
    let header = imp.header().to_vec();
    let mut load = Load {
        name: &name,
        skip_bad: a.skip_bad,
        header: &header,
        rejects_path: a
            .rejects
            .clone()
            .unwrap_or_else(|| default_rejects_path(path)),
        bad: BadRows::default(),
        rejects: None,
    };
    // Parsing runs on its own thread, one chunk ahead of the database writes.
    let result = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        let reader = &mut imp;
        scope.spawn(move || {
            loop {
                let next = reader
                    .next_chunk()
                    .map(|c| c.map(|c| (c, reader.progress().0)));
                let stop = !matches!(next, Ok(Some(_)));
                if tx.send(next).is_err() || stop {
                    break;
                }
            }
        });
        load.run(store, kind, &sha, &rx, &bar)
    });
    bar.finish_and_clear();
    let summary = match result {
        Ok(Some(s)) => s,
        Ok(None) => {
            load.bad.print();
            anyhow::bail!(
                "{name} 有 {} 行数据有误（共 {} 处），本文件未导入任何记录。请改正后重新导入，或加 --skip-bad 导入其余行并把错误行写入拒收文件",
                load.bad.rows,
                load.bad.cells
            );
        }
        Err(e) => {
            if let Some(w) = load.rejects.take() {
                let p = w.path().to_path_buf();
                drop(w);
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
    };
    let rejects_written = match load.rejects.take() {
        Some(w) => Some(w.finish().context("无法写完拒收文件")?),
        None => None,
    };
    print_summary(&imp, &summary, &sha, earlier.as_deref());
    if let Some(p) = rejects_written {
        load.bad.print();
        println!(
            "  拒收的 {} 行已写入 {}（含原始列和“错误原因”；其中可能有个人信息，请妥善保管），改正后可直接重新导入该文件",
            load.bad.rows,
            p.display()
        );
    }
    Ok(())
}

type ChunkMsg = Result<Option<(Chunk, u64)>, jianping_ingest::IngestError>;

/// The writing side of one file's import.
struct Load<'a> {
    name: &'a str,
    skip_bad: bool,
    header: &'a [String],
    rejects_path: PathBuf,
    bad: BadRows,
    rejects: Option<RejectsWriter>,
}

impl Load<'_> {
    /// Feeds every chunk to one import session; `None` when bad rows cancelled it.
    fn run(
        &mut self,
        store: &mut Store,
        kind: Kind,
        sha: &str,
        rx: &Receiver<ChunkMsg>,
        bar: &ProgressBar,
    ) -> anyhow::Result<Option<ImportSummary>> {
        let mut session = store.begin_import(kind.slug(), self.name, sha)?;
        while let Some((chunk, done)) = rx
            .recv()
            .map_err(|_| anyhow::anyhow!("读取线程意外退出"))??
        {
            for r in &chunk.rejects {
                self.bad.add(r, self.name);
                if self.skip_bad {
                    write_reject(&mut self.rejects, &self.rejects_path, self.header, r)?;
                }
            }
            // Without --skip-bad the file is already lost after one bad row: keep reading
            // only to report every bad row, and leave the store alone.
            if self.skip_bad || self.bad.rows == 0 {
                feed(&mut session, chunk.batch).with_context(|| {
                    format!("{}：写入数据库失败，本文件未导入任何记录", self.name)
                })?;
            }
            bar.set_position(done);
        }
        if self.bad.rows > 0 && !self.skip_bad {
            session.rollback()?;
            return Ok(None);
        }
        bar.set_message("更新汇总表并提交");
        session.note_rejected(self.bad.rows);
        Ok(Some(session.commit()?))
    }
}

fn default_rejects_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".rejects.csv");
    PathBuf::from(s)
}

fn write_reject(
    w: &mut Option<RejectsWriter>,
    path: &Path,
    header: &[String],
    r: &Reject,
) -> anyhow::Result<()> {
    if w.is_none() {
        *w = Some(
            RejectsWriter::create(path, header)
                .with_context(|| format!("无法创建拒收文件 {}", path.display()))?,
        );
    }
    if let Some(w) = w {
        w.write(r)
            .with_context(|| format!("无法写入拒收文件 {}", path.display()))?;
    }
    Ok(())
}

fn feed(s: &mut ImportSession<'_>, batch: Batch) -> Result<(), StoreError> {
    match batch {
        Batch::Ratings(v) => s.ratings(&v),
        Batch::Tickets(v) => s.tickets(&v),
        Batch::Cases(v) => s.cases(&v),
        Batch::Matters(v) => s.matters(&v),
        Batch::Supervisors(v) => s.supervisors(&v),
        Batch::Feedback(v) => s.feedback(&v),
        Batch::QrReports(v) => s.qr_reports(&v),
        Batch::Assessments(v) => s.assessments(&v),
        Batch::Regions(v) => s.regions(&v),
        Batch::Departments(v) => s.departments(&v),
        Batch::Halls(v) => s.halls(&v),
        Batch::Windows(v) => s.windows(&v),
        Batch::Staff(v) => s.staff(&v),
        Batch::ReportedStats(v) => s.reported_stats(&v),
    }
}

/// When a file with the same content was last imported, if ever.
fn earlier_import(store: &mut Store, sha: &str) -> anyhow::Result<Option<String>> {
    let rows = store.backend().query(
        "SELECT finished_at FROM imports WHERE sha256 = ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1",
        &[sha.into()],
    )?;
    Ok(rows.first().and_then(|r| r.opt_text(0)))
}

fn progress_bar(imp: &Importer, quiet: bool) -> ProgressBar {
    let (_, total) = imp.progress();
    let csv = imp.describe_format().starts_with("CSV");
    let big = if csv {
        total >= PROGRESS_MIN_BYTES
    } else {
        total >= 20_000
    };
    if quiet || !big || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let template = if csv {
        "{msg} [{bar:40}] {bytes}/{total_bytes} 剩余约 {eta}"
    } else {
        "{msg} [{bar:40}] {pos}/{len} 行 剩余约 {eta}"
    };
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar =
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style);
    bar.set_message("导入中");
    bar
}

fn print_summary(imp: &Importer, s: &ImportSummary, sha: &str, earlier: Option<&str>) {
    println!(
        "已导入{}：{}（{}，SHA-256 {}…）",
        imp.kind().label(),
        s.file,
        imp.describe_format(),
        &sha[..12]
    );
    println!(
        "  读取 {} 行：新增 {}，更新 {}，未变 {}，拒收 {}",
        s.rows_read, s.inserted, s.updated, s.unchanged, s.rejected
    );
    if s.rows_read == 0 {
        println!(
            "  提示：文件只有表头（第 {} 行），没有数据行",
            imp.header_row()
        );
    }
    if let Some(t) = earlier {
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
    for note in imp.notes() {
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
