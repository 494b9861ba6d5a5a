//! Rating counts grouped in memory from the rollups equal a GROUP BY over the facts, for
//! every grouping, over a period with partial months at both ends, on both backends.

mod common;

use jianping_core::records::RatingRecord;
use jianping_core::*;
use jianping_store::queries::RatingGroup;
use jianping_store::{RowExt, Store};
use std::collections::BTreeMap;

fn rating(i: usize) -> RatingRecord {
    let day = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
        + chrono::Duration::days((i * 7 % 365) as i64);
    RatingRecord {
        rating_no: format!("R{i}"),
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: format!("部门{}", i % 5),
        window: (!i.is_multiple_of(4)).then(|| format!("{}号窗口", i % 6)),
        staff: None,
        region: RegionCode::parse(["150300", "150303", "150303001", "150304002003"][i % 4])
            .unwrap(),
        channel: Channel::ALL[i % 8],
        grade: Grade::ALL[i % 5],
        rated_at: day.and_hms_opt(10, 0, 0).unwrap(),
        attempt: 1,
        tags: None,
        comment: None,
        rater_name: None,
        rater_phone: None,
        device: None,
        address: None,
        account: None,
    }
}

/// label → counts per grade code, from the facts.
fn from_facts(store: &mut Store, label_sql: &str, join: &str) -> BTreeMap<String, [u64; 5]> {
    let sql = format!(
        "SELECT {label_sql}, r.grade, COUNT(*) FROM ratings r {join}
         WHERE r.rated_at >= '2023-02-10' AND r.rated_at <= '2023-11-20 23:59:59'
         GROUP BY {label_sql}, r.grade"
    );
    let mut out: BTreeMap<String, [u64; 5]> = BTreeMap::new();
    for row in store.backend().query(&sql, &[]).unwrap() {
        out.entry(row.text(0)).or_default()[row.int(1) as usize - 1] += row.int(2) as u64;
    }
    out
}

/// Group label (or, for windows, whose names repeat across regions, the key) → counts.
fn from_cube(store: &mut Store, group: RatingGroup) -> BTreeMap<String, [u64; 5]> {
    let p = Period::new("2023-02-10".parse().unwrap(), "2023-11-20".parse().unwrap()).unwrap();
    store
        .rating_counts(&p, group)
        .unwrap()
        .into_iter()
        .map(|g| {
            (
                if group == RatingGroup::Window {
                    g.key
                } else {
                    g.label
                },
                g.counts.0,
            )
        })
        .collect()
}

both_backends! {
    every_grouping_equals_a_group_by_over_the_facts(t) {
        let recs: Vec<RatingRecord> = (0..3000).map(rating).collect();
        let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
        s.ratings(&recs).unwrap();
        s.commit().unwrap();
        let st = &mut t.store;
        let cases = [
            (RatingGroup::Department, "d.name", "JOIN departments d ON d.id = r.department_id"),
            (RatingGroup::Window, "COALESCE(r.window_id, 0)", ""),
            (RatingGroup::Month, "substr(r.rated_at, 1, 7)", ""),
            (RatingGroup::Region, "g.name", "JOIN regions g ON g.id = r.region_id"),
        ];
        for (group, label, join) in cases {
            let expected = from_facts(st, label, join);
            assert!(expected.len() > 2, "{group:?}");
            assert_eq!(from_cube(st, group), expected, "{group:?}");
        }
        // Channels and tiers are labelled by name; compare by code and level instead.
        let channels: BTreeMap<String, [u64; 5]> = from_facts(st, "r.channel", "")
            .into_iter()
            .map(|(code, c)| (Channel::from_code(code.parse().unwrap()).unwrap().name().to_string(), c))
            .collect();
        assert_eq!(from_cube(st, RatingGroup::Channel), channels);
        let mut tiers: BTreeMap<String, [u64; 5]> = BTreeMap::new();
        for (level, c) in from_facts(st, "g.level", "JOIN regions g ON g.id = r.region_id") {
            let tier = ReportTier::of(RegionLevel::from_code(level.parse().unwrap()).unwrap());
            let e = tiers.entry(tier.name().to_string()).or_default();
            for i in 0..5 { e[i] += c[i]; }
        }
        assert_eq!(from_cube(st, RatingGroup::Tier), tiers);
        let total: u64 = tiers.values().flatten().sum();
        assert_eq!(from_cube(st, RatingGroup::Total)["全部"].iter().sum::<u64>(), total);
    }
}
