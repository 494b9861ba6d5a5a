use crate::args::{DbArgs, VerifyArgs};

pub fn run(db: &DbArgs, args: &VerifyArgs) -> anyhow::Result<()> {
    let mut store = super::open_store(db)?;
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
