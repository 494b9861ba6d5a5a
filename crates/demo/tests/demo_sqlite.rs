//! The demo city written into a real SQLite store: every figure of FIGURES.md checked with
//! SQL (and the store's rollup query), identical contents from two runs, and a second run
//! into the same database that changes nothing.

use jianping_core::rate::{format_approx, format_percent_floor, format_wan};
use jianping_core::{Grade, Period, RatePolicy, ReportTier};
use jianping_demo::{SEED, World, targets::TARGETS};
use jianping_store::queries::RatingGroup;
use jianping_store::{Row, RowExt, Store, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

const FROM: &str = "2023-01-01 00:00:00";
const TO: &str = "2023-10-31 23:59:59";

fn q(store: &mut Store, sql: &str, params: &[Value]) -> Vec<Row> {
    store
        .backend()
        .query(sql, params)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn one(store: &mut Store, sql: &str) -> i64 {
    q(store, sql, &[])[0].int(0)
}

fn p1() -> RatePolicy {
    RatePolicy::default().with_precision(1)
}

fn write(store: &mut Store, world: &World) -> jianping_demo::DemoSummary {
    let t = Instant::now();
    let s = jianping_demo::write(store, world, |_| {}).expect("demo writes");
    eprintln!(
        "demo write: {:.2} s (debug build)",
        t.elapsed().as_secs_f64()
    );
    s
}

/// Every table the demo writes (the import log holds wall-clock times, so it is left out).
const TABLES: &[(&str, &str)] = &[
    ("regions", "id"),
    ("departments", "id"),
    ("halls", "id"),
    ("windows", "id"),
    ("staff", "id"),
    ("packages", "id"),
    ("matters", "id"),
    ("matter_states", "matter_id, as_of"),
    ("cases", "id"),
    ("ratings", "id"),
    ("rating_daily", "1, 2, 3, 4, 5, 6"),
    ("rating_monthly", "1, 2, 3, 4, 5, 6"),
    ("tickets", "id"),
    ("ticket_daily", "1, 2, 3, 4, 5"),
    ("supervisors", "id"),
    ("supervisor_feedback", "id"),
    ("qr_reports", "id"),
    ("assessment_findings", "id"),
    ("reported_stats", "id"),
    ("ledger_items", "id"),
    ("ledger_events", "id"),
    ("callbacks", "id"),
];

/// Columns that hold when a row was written (the wall clock), not what happened.
const WALL_CLOCK: &[(&str, &str)] = &[("ledger_events", "recorded_at")];

/// Every column of `table` except the wall-clock ones.
fn columns(store: &mut Store, table: &str) -> String {
    let cols = q(
        store,
        &format!("SELECT name FROM pragma_table_info('{table}')"),
        &[],
    );
    cols.iter()
        .map(|r| r.text(0))
        .filter(|c| !WALL_CLOCK.contains(&(table, c.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

fn digest(store: &mut Store) -> BTreeMap<&'static str, (usize, String)> {
    let mut out = BTreeMap::new();
    for (table, order) in TABLES {
        let cols = columns(store, table);
        let rows = q(
            store,
            &format!("SELECT {cols} FROM {table} ORDER BY {order}"),
            &[],
        );
        let mut h = Sha256::new();
        for r in &rows {
            h.update(format!("{r:?}\n").as_bytes());
        }
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        out.insert(*table, (rows.len(), hex));
    }
    out
}

/// (code, base_code, region code, region level, department, sector, hall, legal, promised,
/// online, instant, scenario, e_license, cert_free, extended) of the catalog at `date`.
fn catalog_at(store: &mut Store, date: &str) -> Vec<Row> {
    q(
        store,
        "SELECT m.code, m.base_code, r.code, r.level, d.name, COALESCE(d.sector, d.name),
                COALESCE(h.name, ''), s.legal_limit_days, s.promised_limit_days, s.online_full,
                s.instant, s.scenario, s.e_license, s.cert_free, s.extended_hours
         FROM matters m
         JOIN regions r ON r.id = m.region_id
         JOIN departments d ON d.id = m.department_id
         LEFT JOIN halls h ON h.id = m.hall_id
         JOIN matter_states s ON s.matter_id = m.id
         WHERE s.as_of = (SELECT MAX(x.as_of) FROM matter_states x
                          WHERE x.matter_id = m.id AND x.as_of <= ?)
         ORDER BY m.code",
        &[date.into()],
    )
}

/// City matters and, per district base_code, the instance with the smallest code.
fn units(catalog: &[Row]) -> Vec<&Row> {
    let mut out: Vec<&Row> = catalog.iter().filter(|r| r.int(3) == 2).collect();
    let mut by_base: BTreeMap<String, &Row> = BTreeMap::new();
    for r in catalog.iter().filter(|r| r.int(3) == 3) {
        // Rows come ordered by code, so the first instance seen is the smallest.
        by_base.entry(r.text(1)).or_insert(r);
    }
    out.extend(by_base.into_values());
    out
}

fn compression(units: &[&Row]) -> f64 {
    let v: Vec<f64> = units
        .iter()
        .filter_map(|r| match (r.opt_int(7), r.opt_int(8)) {
            (Some(l), Some(p)) if l > 0 => Some((l - p.min(l)) as f64 / l as f64),
            _ => None,
        })
        .collect();
    v.iter().sum::<f64>() / v.len() as f64
}

fn check_catalog(store: &mut Store) {
    let t = &TARGETS;
    let before = catalog_at(store, "2023-01-01");
    let after = catalog_at(store, "2023-10-31");
    let (ub, ua) = (units(&before), units(&after));
    assert_eq!(ua.len() as u64, t.units, "梳理优化事项");
    let sectors: BTreeSet<String> = ua.iter().map(|r| r.text(5)).collect();
    assert_eq!(sectors.len() as u64, t.sectors, "系统部门");
    let count = |us: &[&Row], col: usize| us.iter().filter(|r| r.int(col) != 0).count() as u64;
    assert_eq!(
        (count(&ub, 9), count(&ua, 9)),
        (t.online_before, t.online_after),
        "全程网办"
    );
    assert_eq!(format!("{:.1}%", compression(&ub) * 100.0), "75.5%");
    assert_eq!(format!("{:.1}%", compression(&ua) * 100.0), "85.2%");
    let n = ua.len() as u64;
    let printed: Vec<String> = [10, 11, 12, 13]
        .iter()
        .map(|c| p1().format(count(&ua, *c), n))
        .collect();
    assert_eq!(
        printed,
        ["75.9%", "68.9%", "66.5%", "58.5%"],
        "即办/情形化/电子证照/免证办"
    );

    let centre: Vec<&Row> = after
        .iter()
        .filter(|r| r.text(6) == "乌海市政务服务中心")
        .collect();
    let depts: BTreeSet<String> = centre.iter().map(|r| r.text(4)).collect();
    assert_eq!(
        (depts.len() as u64, centre.len() as u64),
        (39, 1168),
        "可集中受理"
    );

    let all: Vec<&Row> = after.iter().collect();
    let ext = count(&all, 14);
    assert_eq!(ext, 5105);
    assert_eq!(format_percent_floor(ext, all.len() as u64), "98%以上");
    let tree = |code: &str| -> Vec<&Row> {
        after
            .iter()
            .filter(|r| r.text(2).starts_with(code))
            .collect()
    };
    assert_eq!(count(&tree("150302"), 14), 1557, "海勃湾区延时服务事项");
    let city: Vec<&Row> = after.iter().filter(|r| r.int(3) == 2).collect();
    let cf = [
        count(&city, 13),
        count(&tree("150302"), 13),
        count(&tree("150303"), 13),
        count(&tree("150304"), 13),
    ];
    assert_eq!(
        cf,
        [734, 1040, 1101, 1006],
        "免证办 市本级/海勃湾/海南/乌达"
    );
}

fn check_halls_and_cases(store: &mut Store) {
    let centre = q(
        store,
        "SELECT h.id FROM halls h JOIN regions r ON r.id = h.region_id
         WHERE h.kind = '政务服务中心' AND r.level = 2",
        &[],
    );
    assert_eq!(centre.len(), 1);
    let c = centre[0].int(0);
    let n = |store: &mut Store, sql: &str| q(store, sql, &[c.into()])[0].int(0);
    assert_eq!(
        n(
            store,
            "SELECT COUNT(*) FROM windows WHERE hall_id = ? AND kind = '综合受理'"
        ),
        69
    );
    assert_eq!(
        n(
            store,
            "SELECT COUNT(*) FROM staff WHERE hall_id = ? AND active = 1"
        ),
        283
    );
    assert_eq!(
        one(store, "SELECT COUNT(*) FROM halls WHERE extended_hours = 1"),
        107
    );
    assert_eq!(
        one(
            store,
            "SELECT COUNT(*) FROM windows WHERE extended_hours = 1"
        ),
        182
    );
    let hb_windows = one(
        store,
        "SELECT COUNT(*) FROM windows w JOIN regions r ON r.id = w.region_id
         WHERE w.extended_hours = 1 AND r.code LIKE '150302%'",
    );
    assert_eq!(hb_windows, 85);

    let period = [FROM.into(), TO.into()];
    let r = &q(
        store,
        "SELECT COUNT(*), SUM(CASE WHEN completed_at <= ? THEN 1 ELSE 0 END), SUM(extended)
         FROM cases WHERE accepted_at >= ? AND accepted_at <= ?",
        &[TO.into(), FROM.into(), TO.into()],
    )[0];
    let (total, done, ext) = (r.int(0) as u64, r.int(1) as u64, r.int(2) as u64);
    assert_eq!(format_wan(total, 1), "25.6万");
    assert_eq!(p1().format(done, total), "99.3%");
    assert_eq!(format_approx(ext), "7000余");
    let per_district = q(
        store,
        "SELECT substr(r.code, 1, 6) d, SUM(c.extended) n FROM cases c
         JOIN regions r ON r.id = c.region_id
         WHERE r.level >= 3 AND c.accepted_at >= ? AND c.accepted_at <= ?
         GROUP BY d ORDER BY n DESC",
        &period,
    );
    assert_eq!(
        (per_district[0].text(0).as_str(), per_district[0].int(1)),
        ("150302", 1799)
    );
    assert!(per_district[1].int(1) < 1799);
    assert!(one(store, "SELECT COUNT(*) FROM cases WHERE assisted = 1") > 1000);
    let packages: BTreeSet<String> = q(store, "SELECT name FROM packages", &[])
        .iter()
        .map(|r| r.text(0))
        .collect();
    assert!(packages.contains("开办餐饮店") && packages.contains("退休“一件事”"));
}

fn check_ratings(store: &mut Store) {
    let rows = q(
        store,
        "SELECT g.level, r.grade, COUNT(*) FROM ratings r JOIN regions g ON g.id = r.region_id
         WHERE r.rated_at >= ? AND r.rated_at <= ? GROUP BY g.level, r.grade",
        &[FROM.into(), TO.into()],
    );
    let mut tiers: BTreeMap<ReportTier, [u64; 5]> = BTreeMap::new();
    for r in &rows {
        let level = jianping_core::RegionLevel::from_code(r.int(0)).expect("level");
        tiers.entry(ReportTier::of(level)).or_default()[(r.int(1) - 1) as usize] += r.int(2) as u64;
    }
    let t = &TARGETS;
    let want = [
        (ReportTier::CityLevel, t.ratings_city),
        (ReportTier::DistrictLevel, t.ratings_district),
        (ReportTier::Grassroots, t.ratings_grassroots),
    ];
    for (tier, counts) in want {
        assert_eq!(tiers[&tier], counts, "{}", tier.name());
    }
    // The rollups the report reads agree with the facts.
    let period = Period::new("2023-01-01".parse().unwrap(), "2023-10-31".parse().unwrap()).unwrap();
    let groups = store
        .rating_counts(&period, RatingGroup::Tier)
        .expect("rollup query");
    for ((tier, counts), g) in want.iter().zip(&groups) {
        assert_eq!(g.label, tier.name());
        assert_eq!(g.counts.0, *counts);
    }
    let bad = q(
        store,
        "SELECT d.name, r.comment, r.case_no FROM ratings r JOIN departments d ON d.id = r.department_id
         WHERE r.grade = ?",
        &[Grade::Unsatisfied.code().into()],
    );
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].text(0), "海南区人力资源和社会保障局");
    assert!(bad[0].text(1).starts_with("未向办事群众提供申请材料样本"));
    let orphans = one(
        store,
        "SELECT COUNT(*) FROM ratings r LEFT JOIN cases c ON c.case_no = r.case_no
         WHERE c.id IS NULL OR c.completed_at > r.rated_at",
    );
    assert_eq!(orphans, 0, "every rating belongs to a completed case");
    assert!(store.verify_rollups().expect("verify").is_empty());
}

fn check_channels(store: &mut Store) {
    let kinds: BTreeMap<i64, i64> = q(
        store,
        "SELECT kind, COUNT(*) FROM tickets GROUP BY kind",
        &[],
    )
    .iter()
    .map(|r| (r.int(0), r.int(1)))
    .collect();
    for (name, n) in TARGETS.tickets {
        let k = jianping_core::TicketKind::parse(name).unwrap().code();
        assert_eq!(kinds.get(&k).copied(), Some(n as i64), "{name}");
    }
    let kpi = &q(
        store,
        "SELECT COUNT(*), SUM(CASE WHEN closed_at <= due_at THEN 1 ELSE 0 END), SUM(resolved),
                SUM(CASE WHEN revisited_at IS NOT NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN revisit_result IN (1, 2) THEN 1 ELSE 0 END)
         FROM tickets WHERE closed_at <= ?",
        &[TO.into()],
    )[0];
    assert!(
        (0..5).all(|i| kpi.int(i) == 31),
        "及时率/解决率/回访率/满意率 100%: {kpi:?}"
    );
    assert_eq!(
        one(
            store,
            "SELECT COUNT(*) FROM supervisors WHERE appointed_on LIKE '2022-%'"
        ),
        30
    );
    assert_eq!(
        one(store, "SELECT COUNT(DISTINCT category) FROM supervisors"),
        5
    );
    assert_eq!(one(store, "SELECT COUNT(*) FROM supervisor_feedback"), 12);
    assert_eq!(
        one(
            store,
            "SELECT COUNT(DISTINCT category) FROM supervisor_feedback"
        ),
        4
    );
    assert_eq!(
        one(
            store,
            "SELECT COUNT(*) FROM supervisor_feedback WHERE department_id IS NULL"
        ),
        0
    );
    assert_eq!(
        one(
            store,
            "SELECT COUNT(*) FROM qr_reports WHERE closed_at <= '2023-10-31 23:59:59'"
        ),
        15
    );
    assert_eq!(
        one(
            store,
            "SELECT COUNT(*) FROM qr_reports WHERE domain = '政务服务'"
        ),
        2
    );
    assert_eq!(
        one(
            store,
            "SELECT COUNT(*) FROM assessment_findings WHERE score IS NULL AND response IS NOT NULL"
        ),
        3
    );
    assert_eq!(
        one(
            store,
            "SELECT COUNT(DISTINCT method) FROM assessment_findings"
        ),
        2
    );
    assert_eq!(
        one(
            store,
            "SELECT COUNT(DISTINCT role) FROM assessment_findings"
        ),
        2
    );
    let stat = |store: &mut Store, k: &str| {
        q(
            store,
            "SELECT value FROM reported_stats WHERE key = ?",
            &[k.into()],
        )[0]
        .real(0)
        .unwrap() as u64
    };
    assert_eq!(stat(store, "msb.featured_apps"), 395);
    assert_eq!(stat(store, "msb.mini_programs"), 161);
    let users = stat(store, "msb.registered_users");
    assert_eq!(format_wan(users, 2), "29.19万");
    assert_eq!(p1().format(users, stat(store, "population")), "52.5%");
    assert_eq!(format_wan(stat(store, "msb.visits"), 0), "1085万");
}

#[test]
fn demo_city_in_sqlite() {
    let started = Instant::now();
    let world = World::generate(SEED);
    eprintln!(
        "demo generate: {:.2} s (debug build)",
        started.elapsed().as_secs_f64()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open_sqlite(&dir.path().join("a.db")).unwrap();
    let first = write(&mut a, &world);
    assert_eq!(
        first.invented(),
        0,
        "every dimension is defined before it is used"
    );
    assert_eq!(first.updated(), 0);
    check_catalog(&mut a);
    check_halls_and_cases(&mut a);
    check_ratings(&mut a);
    check_channels(&mut a);
    let da = digest(&mut a);

    // Determinism: an independent run into a fresh file writes the same rows.
    let mut b = Store::open_sqlite(&dir.path().join("b.db")).unwrap();
    write(&mut b, &World::generate(SEED));
    assert_eq!(digest(&mut b), da);

    // Idempotence: running again into the same file inserts and updates nothing.
    let again = write(&mut a, &world);
    assert_eq!(
        (again.inserted(), again.updated()),
        (0, 0),
        "{:?}",
        again.imports
    );
    assert_eq!(digest(&mut a), da);
    assert_eq!(jianping_demo::foreign_imports(&mut a).unwrap(), 0);

    // A real import makes the database someone's: `jianping demo` then asks for --force.
    let s = a.begin_import("ratings", "好差评导出.xlsx", "00").unwrap();
    s.commit().unwrap();
    assert_eq!(jianping_demo::foreign_imports(&mut a).unwrap(), 1);
}
