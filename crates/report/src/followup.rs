//! Ledger figures the annual report and the monthly bulletin share: 实名差评回访率,
//! 差评整改率, and the ratings an upheld appeal took out of the statistics.

use crate::annual::clause;
use crate::model::NamedCount;
use chrono::NaiveDate;
use jianping_core::{Grade, GradeSets, Period, Rate, RatePolicy, RegionCode};
use jianping_store::Store;
use jianping_store::ledger::RatingFollowup;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What became of bad ratings: callbacks and rectification, with the counts behind the rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadFollowup {
    /// Bad ratings (not excluded by an appeal).
    pub bad: u64,
    /// Of those, with the rater's name or phone (实名差评).
    pub named: u64,
    /// Of the named, called back and reached.
    pub called_back: u64,
    /// Bad ratings whose ledger item is closed.
    pub closed: u64,
    /// 实名差评回访率 = called_back / named ("—" without named bad ratings).
    pub callback_rate: Rate,
    /// 差评整改率 = closed / bad ("—" without bad ratings).
    pub rectification_rate: Rate,
}

impl Default for BadFollowup {
    fn default() -> Self {
        BadFollowup::new(0, 0, 0, 0, &RatePolicy::default())
    }
}

impl BadFollowup {
    pub fn new(bad: u64, named: u64, called_back: u64, closed: u64, policy: &RatePolicy) -> Self {
        BadFollowup {
            bad,
            named,
            called_back,
            closed,
            callback_rate: policy.rate(called_back, named),
            rectification_rate: policy.rate(closed, bad),
        }
    }
}

/// Per department and for the whole city.
#[derive(Debug, Clone, Default)]
pub struct Followups {
    pub total: BadFollowup,
    pub by_department: BTreeMap<String, BadFollowup>,
}

/// Bad ratings rated in the period in the city's regions and what became of them, judged at
/// the end of `as_of` (the bulletin) or as the ledger stands now (`None`, the annual report).
pub fn followups(
    store: &mut Store,
    period: &Period,
    sets: &GradeSets,
    city: &RegionCode,
    as_of: Option<NaiveDate>,
    policy: &RatePolicy,
) -> Result<Followups, jianping_store::StoreError> {
    let rows = store.bad_rating_followup(period, &sets.bad, as_of)?;
    let within = |r: &RatingFollowup| RegionCode::parse(&r.region).is_ok_and(|c| c.within(city));
    let mut sums: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    let mut total = [0u64; 4];
    for r in rows.iter().filter(|r| within(r)) {
        let s = sums.entry(r.department.clone()).or_default();
        for (i, v) in [r.bad, r.named, r.called_back, r.closed]
            .into_iter()
            .enumerate()
        {
            s[i] += v;
            total[i] += v;
        }
    }
    let make = |s: [u64; 4]| BadFollowup::new(s[0], s[1], s[2], s[3], policy);
    Ok(Followups {
        total: make(total),
        by_department: sums.into_iter().map(|(d, s)| (d, make(s))).collect(),
    })
}

/// A rating an upheld appeal (申诉成立) took out of the statistics, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedItem {
    pub rating_no: String,
    pub department: String,
    pub grade: Option<Grade>,
    pub rated_at: String,
    /// The appeal's reason, masked, as a clause.
    pub reason: String,
    pub decided_at: Option<String>,
}

/// The ratings rated in the period that an upheld appeal excluded, oldest first.
pub fn excluded(
    store: &mut Store,
    period: &Period,
) -> Result<Vec<ExcludedItem>, jianping_store::StoreError> {
    Ok(store
        .excluded_ratings(period)?
        .into_iter()
        .map(|e| ExcludedItem {
            reason: clause(&e.reason),
            rating_no: e.rating_no,
            department: e.department,
            grade: e.grade,
            rated_at: e.rated_at,
            decided_at: e.decided_at,
        })
        .collect())
}

/// The excluded ratings per department, most first, for long lists.
pub fn excluded_by_department(items: &[ExcludedItem]) -> Vec<NamedCount> {
    crate::annual::count_by(items.iter().map(|e| e.department.as_str()))
}
