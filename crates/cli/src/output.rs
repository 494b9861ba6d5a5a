//! Where output goes: a file given by --output, or standard output.

use anyhow::Context;
use std::io::Write;
use std::path::Path;

pub fn write(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(p) => {
            std::fs::write(p, bytes).with_context(|| format!("无法写入文件 {}", p.display()))?;
            eprintln!("已写入 {}", p.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).context("无法写到标准输出")?;
        }
    }
    Ok(())
}
