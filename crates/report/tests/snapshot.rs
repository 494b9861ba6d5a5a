//! The report builders only read: each runs inside one read snapshot (where the store
//! refuses writes) and gives the figures of the moment the snapshot began, whatever another
//! connection commits while it runs. Both backends.

#[path = "../../store/tests/common.rs"]
mod common;
mod dataset;
mod month;

use jianping_core::indicators::IndicatorConfig;
use jianping_core::records::RatingRecord;
use jianping_core::{Channel, Grade, RatePolicy, RegionCode};
use jianping_report::bulletin::render::bulletin_json;
use jianping_report::indicators::build_indicators;
use jianping_report::render::annual_json;
use jianping_report::{
    AnnualSettings, BulletinSettings, ReportError, build_annual, build_bulletin,
};
use jianping_store::Store;
use jianping_store::queries::RatingGroup;

/// A bad rating at the police bureau on 2023-10-20, committed by another connection.
fn late_rating(store: &mut Store, no: &str) {
    let r = RatingRecord {
        rating_no: no.into(),
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: month::POLICE.into(),
        window: None,
        staff: None,
        region: RegionCode::parse("150300").unwrap(),
        channel: Channel::HallPad,
        grade: Grade::VeryUnsatisfied,
        rated_at: jianping_core::time::parse_datetime("2023-10-20 10:00:00").unwrap(),
        attempt: 1,
        tags: None,
        comment: None,
        rater_name: None,
        rater_phone: None,
        device: None,
        address: None,
        account: None,
    };
    let mut s = store.begin_import("ratings", "late.csv", "x").unwrap();
    s.ratings(&[r]).unwrap();
    s.commit().unwrap();
}

fn bulletin(store: &mut Store) -> Result<String, ReportError> {
    let r = build_bulletin(store, &month::period(), &BulletinSettings::default())?;
    bulletin_json(&r)
}

fn annual(store: &mut Store) -> Result<String, ReportError> {
    let r = build_annual(store, &dataset::period(), &AnnualSettings::default())?;
    annual_json(&r)
}

both_backends! {
    the_bulletin_reads_one_snapshot(t) {
        month::load(&mut t.store);
        month::walk(&mut t.store, true);
        let before = bulletin(&mut t.store).unwrap();
        let mut other = t.reopen();
        let inside = t.store.snapshot(|s| {
            late_rating(&mut other, "LATE-1");
            let first = bulletin(s)?;
            late_rating(&mut other, "LATE-2");
            Ok::<_, ReportError>((first, bulletin(s)?))
        }).unwrap();
        assert_eq!(inside.0, before, "the snapshot's bulletin is the one of its start");
        assert_eq!(inside.1, before);
        assert_ne!(bulletin(&mut t.store).unwrap(), before, "the late ratings count afterwards");
    }

    the_annual_report_indicators_and_stats_read_one_snapshot(t) {
        dataset::load(&mut t.store);
        let period = dataset::period();
        let policy = RatePolicy::default();
        let config = IndicatorConfig::default();
        let read = |s: &mut Store| -> Result<(String, String, String), ReportError> {
            let indicators = build_indicators(s, &period, &config, None, &policy)?;
            let stats = jianping_report::stats::rating_stats(
                s, &period, RatingGroup::Department, &policy, &Default::default(),
            )?;
            Ok((annual(s)?, format!("{indicators:?}"), format!("{stats:?}")))
        };
        let before = read(&mut t.store).unwrap();
        let mut other = t.reopen();
        let inside = t.store.snapshot(|s| {
            late_rating(&mut other, "LATE-1");
            read(s)
        }).unwrap();
        assert_eq!(inside, before);
        assert_ne!(read(&mut t.store).unwrap().0, before.0);
    }
}
