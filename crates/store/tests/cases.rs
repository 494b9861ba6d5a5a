//! Cases (办件) import on both backends: inserted once, unchanged on re-import, updated
//! when a later export completes them.

mod common;

use jianping_core::RegionCode;
use jianping_core::records::CaseRecord;
use jianping_core::time::parse_datetime;

fn case(completed: Option<&str>) -> CaseRecord {
    CaseRecord {
        case_no: "BJ15030020231031000128".into(),
        matter_code: Some("11150300011530046K4000117001".into()),
        matter_name: Some("失业登记".into()),
        department: "乌海市人力资源和社会保障局".into(),
        region: RegionCode::parse("150300").unwrap(),
        window: Some("社保综合窗口".into()),
        accepted_at: parse_datetime("2023-10-31 09:12:40").unwrap(),
        completed_at: completed.map(|c| parse_datetime(c).unwrap()),
        assisted: false,
        extended: true,
        package: Some("失业一件事".into()),
    }
}

fn import(db: &mut jianping_store::Store, c: CaseRecord) -> jianping_store::ImportSummary {
    let mut s = db.begin_import("cases", "cases.csv", "x").unwrap();
    s.cases(&[c]).unwrap();
    s.commit().unwrap()
}

both_backends! {
    cases_insert_then_update(t) {
        let first = import(&mut t.store, case(None));
        assert_eq!(first.inserted, 1);
        assert_eq!(first.created.packages, vec!["失业一件事"]);
        let again = import(&mut t.store, case(None));
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 1));
        let done = import(&mut t.store, case(Some("2023-10-31 09:31:02")));
        assert_eq!((done.inserted, done.updated), (0, 1));
        let rows = t
            .store
            .backend()
            .query("SELECT completed_at, import_id FROM cases", &[])
            .unwrap();
        assert_eq!(rows[0][0], jianping_store::Value::Text("2023-10-31 09:31:02".into()));
        assert_eq!(rows[0][1], jianping_store::Value::Int(done.import_id));
    }
}

#[test]
fn foreign_keys_are_enforced_again_after_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fk.db");
    let mut store = jianping_store::Store::open_sqlite(&path).unwrap();
    import(&mut store, case(None));
    {
        let mut s = store.begin_import("cases", "c.csv", "x").unwrap();
        s.cases(&[case(None)]).unwrap();
        s.rollback().unwrap();
    }
    // A row pointing at a department that does not exist must still be refused.
    let err = store.backend().execute(
        "INSERT INTO staff (department_id, name) VALUES (?, ?)",
        &[9_999_i64.into(), "王芳".into()],
    );
    assert!(err.is_err(), "foreign keys must be on outside imports");
}
