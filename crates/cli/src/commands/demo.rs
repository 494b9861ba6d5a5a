//! `jianping demo`: writes the demo city (乌海市, 2023) into the database.

use crate::args::{DbArgs, DemoArgs};
use jianping_demo::{SEED, World};
use std::time::Instant;

fn kind_cn(kind: &str) -> &str {
    match kind {
        "regions" => "行政区划",
        "departments" => "部门",
        "halls" => "服务大厅",
        "windows" => "窗口",
        "staff" => "工作人员",
        "matters" => "事项（年初、年中两期状态）",
        "cases" => "办件",
        "ratings" => "好差评",
        "hotline" => "12345工单",
        "supervisors" => "监督员",
        "feedback" => "监督员意见建议",
        "qr-reports" => "“码”上监督",
        "assessments" => "第三方评估",
        "reported-stats" => "外部平台统计",
        other => other,
    }
}

pub fn run(db: &DbArgs, args: &DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut store = super::open_store(db)?;
    let foreign = jianping_demo::foreign_imports(&mut store)?;
    if foreign > 0 && !args.force {
        anyhow::bail!(
            "数据库（{}）已有 {foreign} 次非示范数据的导入，示范数据会与之混在一起。请用 --db 指定一个新文件；确需写入时加 --force",
            store.describe()
        );
    }
    eprintln!("正在生成示范城市（乌海市2023年）数据……");
    let world = World::generate(SEED);
    let generated = started.elapsed();
    let summary = jianping_demo::write(&mut store, &world, |s| {
        eprintln!(
            "  {}：{} 条，新增 {}，更新 {}，未变 {}",
            kind_cn(&s.kind),
            s.rows_read,
            s.inserted,
            s.updated,
            s.unchanged
        );
    })?;
    if summary.invented() > 0 {
        eprintln!(
            "警告：导入时新建了 {} 个此前未定义的维度（部门、窗口等），示范数据不一致，请报告此问题",
            summary.invented()
        );
    }
    let secs = started.elapsed().as_secs_f64();
    if summary.ledger.closed > 0 {
        eprintln!(
            "  整改台账：{} 项问题完成认领、整改、核验销号和反馈（{} 个步骤）",
            summary.ledger.closed, summary.ledger.steps
        );
    }
    if summary.inserted() == 0 && summary.updated() == 0 && summary.ledger.steps == 0 {
        println!(
            "示范数据已在 {} 中，未作改动（用时 {secs:.1} 秒）",
            store.describe()
        );
    } else {
        println!(
            "示范数据已写入 {}：新增 {} 条、更新 {} 条（生成 {:.1} 秒，共用时 {secs:.1} 秒）",
            store.describe(),
            summary.inserted(),
            summary.updated(),
            generated.as_secs_f64()
        );
    }
    let db_arg = match &db.database_url {
        Some(_) => "--database-url …".to_string(),
        None => format!("--db {}", db.db.display()),
    };
    println!(
        "查看报告：jianping report annual {db_arg} --from 2023-01-01 --to 2023-10-31 --format md"
    );
    Ok(())
}
