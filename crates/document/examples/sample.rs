//! Builds a document resembling the seed report (乌海市2023年政务服务监督评价报告) and writes
//! it as DOCX, HTML and XLSX.
//!
//! ```text
//! cargo run -p jianping-document --example sample -- [OUTPUT_DIR]
//! ```

use std::path::PathBuf;

use jianping_document::{DocxOptions, HtmlOptions, write_docx, write_html, write_xlsx};

#[path = "../tests/common/sample.rs"]
mod sample;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("target/sample-document"), PathBuf::from);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("无法创建输出目录 {}:{e}", dir.display());
        std::process::exit(1);
    }
    let doc = sample::sample();
    let outputs = [
        (
            "sample.docx",
            write_docx(&doc, &dir.join("sample.docx"), &DocxOptions::default()),
        ),
        (
            "sample.html",
            write_html(&doc, &dir.join("sample.html"), &HtmlOptions::default()),
        ),
        ("sample.xlsx", write_xlsx(&doc, &dir.join("sample.xlsx"))),
    ];
    let mut failed = false;
    for (name, result) in outputs {
        match result {
            Ok(()) => println!("已写入 {}", dir.join(name).display()),
            Err(e) => {
                eprintln!("{name}:{e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
