//! `jianping backup` and `jianping restore` through the real binary on imported example
//! data: the restored database gives the same report as the original.

use std::path::Path;
use std::process::{Command, Output};

fn jianping(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianping"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("JIANPING_DATABASE_URL")
        .env_remove("JIANPING_OUTPUT")
        .output()
        .expect("run jianping")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = jianping(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn backup_then_restore_gives_back_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/import");
    let examples = examples.to_str().unwrap();
    for kind in ["regions", "departments", "halls", "windows", "ratings"] {
        ok(&db, &["import", kind, &format!("{examples}/{kind}.csv")]);
    }
    let report = |db: &Path| {
        ok(
            db,
            &[
                "report",
                "annual",
                "--from",
                "2023-01-01",
                "--to",
                "2023-12-31",
                "--format",
                "json",
            ],
        )
    };
    let before = report(&db);

    let copy = dir.path().join("backup").join("city-copy.db");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    let said = ok(&db, &["backup", "--output", copy.to_str().unwrap()]);
    assert!(said.contains("已备份") && said.contains("评价"), "{said}");

    // A second backup to the same name is refused, naming the file.
    let out = jianping(&db, &["backup", "--output", copy.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("已存在"));

    // Restoring over an existing database needs --replace.
    let out = jianping(&db, &["restore", copy.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--replace"));

    let fresh = dir.path().join("restored.db");
    let said = ok(&fresh, &["restore", copy.to_str().unwrap()]);
    assert!(said.contains("已恢复"), "{said}");
    assert_eq!(
        report(&fresh),
        before,
        "the restored database reports the same"
    );
    ok(&fresh, &["verify"]);
    ok(&db, &["restore", "--replace", copy.to_str().unwrap()]);
    assert_eq!(report(&db), before);
}
