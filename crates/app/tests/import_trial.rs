//! A trial import reports what the import would do and leaves the store as it was; the
//! real import then does exactly that.

use jianping_app::import::{ImportRequest, NoProgress, import_file};
use jianping_ingest::Kind;
use jianping_store::{RowExt, Store};
use std::path::{Path, PathBuf};

fn example(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/import/{kind}.csv"))
}

fn count(store: &mut Store, table: &str) -> i64 {
    store
        .backend()
        .query(&format!("SELECT COUNT(*) FROM {table}"), &[])
        .unwrap()[0]
        .int(0)
}

#[test]
fn a_trial_changes_nothing_and_predicts_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_sqlite(&dir.path().join("city.db")).unwrap();
    for kind in [Kind::Regions, Kind::Departments, Kind::Halls, Kind::Windows] {
        let f = import_file(
            &mut store,
            &example(kind.slug()),
            &ImportRequest::new(kind),
            &NoProgress,
        )
        .unwrap();
        assert!(f.summary.is_some(), "{:?}", f.bad.lines);
    }
    let ratings = example("ratings");
    let trial = ImportRequest {
        trial: true,
        ..ImportRequest::new(Kind::Ratings)
    };
    let t = import_file(&mut store, &ratings, &trial, &NoProgress).unwrap();
    let predicted = t.summary.expect("the example file is valid");
    assert!(predicted.inserted > 0);
    assert_eq!(count(&mut store, "ratings"), 0);
    assert_eq!(count(&mut store, "ledger_items"), 0);
    assert_eq!(count(&mut store, "rating_daily"), 0);

    let real = import_file(
        &mut store,
        &ratings,
        &ImportRequest::new(Kind::Ratings),
        &NoProgress,
    )
    .unwrap()
    .summary
    .unwrap();
    assert_eq!(real.inserted, predicted.inserted);
    assert_eq!(real.ledger_items, predicted.ledger_items);
    assert_eq!(count(&mut store, "ratings") as u64, real.inserted);
}

#[test]
fn bad_rows_stop_the_file_and_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_sqlite(&dir.path().join("city.db")).unwrap();
    let text = std::fs::read_to_string(example("ratings")).unwrap();
    let broken = text.replacen("非常满意", "很满意", 1);
    assert_ne!(text, broken, "the example has a 非常满意 rating");
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, broken).unwrap();
    let f = import_file(
        &mut store,
        &path,
        &ImportRequest::new(Kind::Ratings),
        &NoProgress,
    )
    .unwrap();
    assert!(f.summary.is_none());
    assert_eq!(f.bad.rows, 1);
    assert!(f.bad.lines[0].contains("很满意"), "{:?}", f.bad.lines);
    assert!(f.refusal().contains("未导入任何记录"));
    assert_eq!(count(&mut store, "ratings"), 0);
}
