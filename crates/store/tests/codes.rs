//! Window QR tokens and pad keys on both backends: created once per window, resolved to
//! existing rows only, revoked with who and why; pad keys stored only as hashes.

mod common;

use chrono::NaiveDateTime;
use jianping_core::records::{HallRecord, RegionRecord, WindowRecord};
use jianping_core::time::parse_datetime;
use jianping_core::{RegionCode, RegionLevel};
use jianping_store::codes::{SEEN_GRANULARITY_SECS, by_hall, secret};
use jianping_store::{RowExt, Store};

fn at(s: &str) -> NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn window(
    code: &str,
    name: &str,
    hall: Option<&str>,
    region: &str,
    dept: Option<&str>,
) -> WindowRecord {
    WindowRecord {
        code: Some(code.into()),
        name: name.into(),
        hall: hall.map(Into::into),
        region: RegionCode::parse(region).unwrap(),
        department: dept.map(Into::into),
        kind: None,
        extended_hours: false,
    }
}

const CITY_HALL: &str = "乌海市政务服务中心";
const DISTRICT_HALL: &str = "海勃湾区政务服务中心";

/// Three regions, two halls, five windows: one without a department, one without a hall,
/// and one name used in two regions.
fn city(store: &mut Store) {
    let mut s = store.begin_import("windows", "w.csv", "x").unwrap();
    s.regions(&[
        RegionRecord {
            code: RegionCode::parse("150300").unwrap(),
            name: "乌海市".into(),
        },
        RegionRecord {
            code: RegionCode::parse("150302").unwrap(),
            name: "海勃湾区".into(),
        },
    ])
    .unwrap();
    s.halls(&[
        HallRecord {
            code: Some("H-CITY".into()),
            name: CITY_HALL.into(),
            region: RegionCode::parse("150300").unwrap(),
            kind: Some("政务服务中心".into()),
            extended_hours: false,
        },
        HallRecord {
            code: Some("H-HBW".into()),
            name: DISTRICT_HALL.into(),
            region: RegionCode::parse("150302").unwrap(),
            kind: Some("政务服务中心".into()),
            extended_hours: false,
        },
    ])
    .unwrap();
    s.windows(&[
        window(
            "W001",
            "综合受理01号窗口",
            Some(CITY_HALL),
            "150300",
            Some("乌海市公安局"),
        ),
        window("W002", "综合受理02号窗口", Some(CITY_HALL), "150300", None),
        window(
            "D001",
            "综合受理01号窗口",
            Some(DISTRICT_HALL),
            "150302",
            Some("海勃湾区人力资源和社会保障局"),
        ),
        window(
            "D002",
            "社保专窗",
            Some(DISTRICT_HALL),
            "150302",
            Some("海勃湾区人力资源和社会保障局"),
        ),
        window("X001", "流动服务窗口", None, "150302", None),
    ])
    .unwrap();
    s.commit().unwrap();
}

fn count(store: &mut Store, sql: &str) -> i64 {
    store.backend().query(sql, &[]).unwrap()[0].int(0)
}

fn active_tokens(store: &mut Store) -> i64 {
    count(
        store,
        "SELECT COUNT(*) FROM window_tokens WHERE revoked_at IS NULL",
    )
}

both_backends! {
    every_window_gets_one_token_once(t) {
        city(&mut t.store);
        let before = t.store.window_codes().unwrap();
        assert_eq!(before.len(), 5);
        assert!(before.iter().all(|c| c.token.is_none()), "no token before the first ensure");
        assert_eq!(t.store.ensure_window_tokens(at("2024-03-01 09:00")).unwrap(), 5);
        let codes = t.store.window_codes().unwrap();
        let tokens: Vec<String> = codes.iter().map(|c| c.token.clone().unwrap()).collect();
        let mut distinct = tokens.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 5);
        assert!(tokens.iter().all(|t| t.len() == 22 && secret::plausible_token(t)));
        assert_eq!(codes[0].token_created_at.as_deref(), Some("2024-03-01 09:00:00"));
        // Idempotent: nothing new, the same tokens.
        assert_eq!(t.store.ensure_window_tokens(at("2024-03-02 09:00")).unwrap(), 0);
        let again: Vec<String> =
            t.store.window_codes().unwrap().iter().map(|c| c.token.clone().unwrap()).collect();
        assert_eq!(again, tokens);
        // A window imported later gets its token on the next run, the others keep theirs.
        let mut s = t.store.begin_import("windows", "w2.csv", "y").unwrap();
        s.windows(&[window("W003", "综合受理03号窗口", Some(CITY_HALL), "150300", None)]).unwrap();
        s.commit().unwrap();
        assert_eq!(t.store.ensure_window_tokens(at("2024-03-03 09:00")).unwrap(), 1);
        assert_eq!(active_tokens(&mut t.store), 6);
        let grouped = by_hall(t.store.window_codes().unwrap());
        let shape: Vec<(Option<&str>, Vec<&str>)> = grouped
            .iter()
            .map(|h| {
                (
                    h.hall_name.as_deref(),
                    h.windows.iter().map(|w| w.window.window_code.as_deref().unwrap()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (Some(CITY_HALL), vec!["W001", "W002", "W003"]),
                (Some(DISTRICT_HALL), vec!["D001", "D002"]),
                (None, vec!["X001"]),
            ],
            "halls in order, windows without a hall last"
        );
    }

    a_token_resolves_to_the_existing_rows(t) {
        city(&mut t.store);
        t.store.ensure_window_tokens(at("2024-03-01 09:00")).unwrap();
        let hall = t.store.hall_window_codes("H-HBW").unwrap();
        assert_eq!(hall.hall_name.as_deref(), Some(DISTRICT_HALL));
        let d2 = hall.windows.iter().find(|w| w.window.window_code.as_deref() == Some("D002")).unwrap();
        let w = t.store.resolve_window_token(d2.token.as_deref().unwrap()).unwrap().unwrap();
        assert_eq!(w.window_name, "社保专窗");
        assert_eq!(w.hall_name.as_deref(), Some(DISTRICT_HALL));
        assert_eq!(w.department_name.as_deref(), Some("海勃湾区人力资源和社会保障局"));
        assert_eq!((w.region_code.as_str(), w.region_name.as_str()), ("150302", "海勃湾区"));
        assert_eq!(w.region_level, RegionLevel::District);
        // The ids are those of the rows, not new ones.
        let ids = t.store.backend().query(
            "SELECT w.id, w.hall_id, w.department_id, w.region_id FROM windows w WHERE w.code = 'D002'",
            &[],
        ).unwrap();
        assert_eq!(
            (Some(w.window_id), w.hall_id, w.department_id, Some(w.region_id)),
            (ids[0].opt_int(0), ids[0].opt_int(1), ids[0].opt_int(2), ids[0].opt_int(3))
        );
        // A window without department or hall resolves with those left empty.
        let x = t.store.find_window("X001").unwrap();
        assert_eq!((x.hall_id, x.department_id), (None, None));
        assert!(t.store.hall_window_codes("不存在的大厅").unwrap_err().to_string().contains("没有名称或编码"));
    }

    unknown_and_malformed_tokens_resolve_to_nothing_and_create_nothing(t) {
        city(&mut t.store);
        t.store.ensure_window_tokens(at("2024-03-01 09:00")).unwrap();
        let dims = |s: &mut Store| {
            ["windows", "departments", "halls", "regions", "window_tokens"]
                .map(|table| count(s, &format!("SELECT COUNT(*) FROM {table}")))
        };
        let before = dims(&mut t.store);
        for token in [
            "AAAAAAAAAAAAAAAAAAAAAA",
            "综合受理01号窗口",
            "W001",
            "",
            "x'; DROP TABLE windows; --",
            &"A".repeat(200),
        ] {
            assert_eq!(t.store.resolve_window_token(token).unwrap(), None, "{token}");
        }
        assert_eq!(dims(&mut t.store), before);
    }

    a_revoked_token_stops_working_and_the_new_one_works(t) {
        city(&mut t.store);
        t.store.ensure_window_tokens(at("2024-03-01 09:00")).unwrap();
        let w = t.store.find_window("W001").unwrap();
        let old = t.store.window_codes().unwrap()[0].token.clone().unwrap();
        assert_eq!(t.store.find_window(&old).unwrap(), w, "a window is found by its token");
        let refused = t.store.revoke_window_token(w.window_id, "王芳", "  ", at("2024-03-05 10:00"), true);
        assert!(refused.unwrap_err().to_string().contains("作废原因"));
        assert_eq!(t.store.resolve_window_token(&old).unwrap().as_ref(), Some(&w), "nothing changed");
        let r = t
            .store
            .revoke_window_token(w.window_id, "王芳", "卡片被涂改", at("2024-03-05 10:00"), true)
            .unwrap();
        assert_eq!(r.old_token, old);
        let new = r.new_token.unwrap();
        assert_ne!(new, old);
        assert_eq!(t.store.resolve_window_token(&old).unwrap(), None);
        assert_eq!(t.store.resolve_window_token(&new).unwrap().unwrap().window_id, w.window_id);
        let msg = t.store.find_window(&old).unwrap_err().to_string();
        assert!(msg.contains("已于 2024-03-05 10:00:00 由王芳作废") && msg.contains("卡片被涂改"), "{msg}");
        let history = t.store.window_token_history(w.window_id).unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].revoked_by.as_deref(), Some("王芳"));
        assert_eq!(history[0].revoke_reason.as_deref(), Some("卡片被涂改"));
        assert_eq!(history[1].token, new);
        assert_eq!(history[1].revoked_at, None);
        // Without reissue the window has no token until the next ensure.
        let r = t
            .store
            .revoke_window_token(w.window_id, "王芳", "窗口撤并", at("2024-03-06 10:00"), false)
            .unwrap();
        assert_eq!(r.new_token, None);
        assert_eq!(active_tokens(&mut t.store), 4);
        let again = t.store.revoke_window_token(w.window_id, "王芳", "再次", at("2024-03-06 11:00"), false);
        assert!(again.unwrap_err().to_string().contains("没有在用的二维码"));
        assert_eq!(t.store.ensure_window_tokens(at("2024-03-07 09:00")).unwrap(), 1);
    }

    windows_are_found_by_code_or_unique_name(t) {
        city(&mut t.store);
        assert_eq!(t.store.find_window("社保专窗").unwrap().window_code.as_deref(), Some("D002"));
        assert_eq!(t.store.find_window(" D001 ").unwrap().region_name, "海勃湾区");
        let msg = t.store.find_window("综合受理01号窗口").unwrap_err().to_string();
        assert!(msg.contains("有 2 个窗口") && msg.contains("W001") && msg.contains("D001"), "{msg}");
        let msg = t.store.find_window("不存在").unwrap_err().to_string();
        assert!(msg.contains("没有名称、编码或二维码为「不存在」的窗口"), "{msg}");
    }

    concurrent_ensures_give_each_window_one_token(t) {
        city(&mut t.store);
        let mut others: Vec<Store> = (0..3).map(|_| t.reopen()).collect();
        let created: usize = std::thread::scope(|s| {
            let handles: Vec<_> = others
                .iter_mut()
                .map(|store| s.spawn(move || store.ensure_window_tokens(at("2024-03-01 09:00")).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(created, 5, "five tokens between the three runs");
        assert_eq!(active_tokens(&mut t.store), 5);
        assert_eq!(
            count(&mut t.store, "SELECT COUNT(DISTINCT window_id) FROM window_tokens"),
            5
        );
    }

    a_pad_key_is_shown_once_stored_as_its_hash_and_revocable(t) {
        city(&mut t.store);
        let w = t.store.find_window("D002").unwrap();
        let new = t.store.register_pad_device(w.window_id, "社保专窗评价器", at("2024-03-01 08:00")).unwrap();
        assert!(new.key.starts_with(secret::KEY_PREFIX) && new.key.len() >= 40, "{}", new.key);
        assert_eq!(new.device.window, w);
        assert_eq!(new.device.last_seen_at, None);
        // Only the hash is in the table: no column holds the key.
        let rows = t.store.backend().query("SELECT * FROM pad_devices", &[]).unwrap();
        let dump = format!("{rows:?}");
        assert!(!dump.contains(&new.key) && !dump.contains(&new.key[4..]), "{dump}");
        assert!(dump.contains(&secret::key_hash(&new.key)));

        let seen = t.store.resolve_pad_device(&new.key, at("2024-03-01 09:00")).unwrap().unwrap();
        assert_eq!((seen.id, seen.window.window_code.as_deref()), (new.device.id, Some("D002")));
        assert_eq!(seen.last_seen_at.as_deref(), Some("2024-03-01 09:00:00"));
        // Within the granularity the record is not rewritten; after it, it is.
        let soon = at("2024-03-01 09:00") + chrono::TimeDelta::seconds(SEEN_GRANULARITY_SECS - 1);
        let d = t.store.resolve_pad_device(&new.key, soon).unwrap().unwrap();
        assert_eq!(d.last_seen_at.as_deref(), Some("2024-03-01 09:00:00"));
        let later = t.store.resolve_pad_device(&new.key, at("2024-03-01 09:05")).unwrap().unwrap();
        assert_eq!(later.last_seen_at.as_deref(), Some("2024-03-01 09:05:00"));
        assert_eq!(t.store.pad_devices(false).unwrap()[0].last_seen_at.as_deref(), Some("2024-03-01 09:05:00"));

        for wrong in ["", "jpk_", &new.key[..new.key.len() - 1], &format!("{}x", new.key)] {
            assert_eq!(t.store.resolve_pad_device(wrong, at("2024-03-01 10:00")).unwrap(), None, "{wrong}");
        }
        let dup = t.store.register_pad_device(w.window_id, "社保专窗评价器", at("2024-03-01 08:00"));
        assert!(dup.unwrap_err().to_string().contains("已有在用的评价器"));
        assert!(t.store.register_pad_device(999, "x", at("2024-03-01 08:00")).is_err());

        let found = t.store.find_pad_device("社保专窗评价器").unwrap();
        assert!(t.store.revoke_pad_device(found.id, "王芳", "", at("2024-03-02 08:00")).is_err());
        let revoked = t.store.revoke_pad_device(found.id, "王芳", "设备遗失", at("2024-03-02 08:00")).unwrap();
        assert_eq!(revoked.revoked_at.as_deref(), Some("2024-03-02 08:00:00"));
        assert_eq!(revoked.revoke_reason.as_deref(), Some("设备遗失"));
        assert_eq!(t.store.resolve_pad_device(&new.key, at("2024-03-02 09:00")).unwrap(), None);
        assert!(t.store.revoke_pad_device(found.id, "王芳", "again", at("2024-03-02 08:00")).unwrap_err().to_string().contains("已于"));
        assert!(t.store.pad_devices(false).unwrap().is_empty());
        assert_eq!(t.store.pad_devices(true).unwrap().len(), 1);
        // The name is free again once the old pad is revoked; the new key differs.
        let replacement = t.store.register_pad_device(w.window_id, "社保专窗评价器", at("2024-03-02 10:00")).unwrap();
        assert_ne!(replacement.key, new.key);
        assert_eq!(t.store.find_pad_device(&format!("#{}", replacement.device.id)).unwrap().name, "社保专窗评价器");
    }
}
