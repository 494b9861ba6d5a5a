use crate::args::{DbArgs, VerifyArgs};

pub fn run(db: &DbArgs, args: &VerifyArgs) -> anyhow::Result<()> {
    let mut store = super::open_store(db)?;
    let orphans = store.verify_references()?;
    for o in &orphans {
        eprintln!(
            "{} 表有 {} 行引用了 {} 表中不存在的记录",
            o.table, o.rows, o.parent
        );
    }
    anyhow::ensure!(
        orphans.is_empty(),
        "明细数据引用不完整（见上）：这是导入程序的缺陷，请保留数据库文件并报告维护人员"
    );
    let mismatches = store.verify_rollups()?;
    if mismatches.is_empty() {
        println!("汇总表与明细一致（{}）", store.describe());
        return Ok(());
    }
    for m in mismatches.iter().take(20) {
        eprintln!(
            "{}：{} 汇总值 {}，按明细重算 {}",
            m.table, m.key, m.stored, m.recomputed
        );
    }
    if args.repair {
        store.rebuild_rollups()?;
        let left = store.verify_rollups()?;
        anyhow::ensure!(left.is_empty(), "重建后仍有 {} 处不一致", left.len());
        println!("已按明细重建汇总表（原有 {} 处不一致）", mismatches.len());
        Ok(())
    } else {
        anyhow::bail!(
            "汇总表与明细有 {} 处不一致；可用 jianping verify --repair 按明细重建",
            mismatches.len()
        )
    }
}
