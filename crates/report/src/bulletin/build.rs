//! Builds the bulletin model from the store. Ratings come from the rollups, bad ratings one
//! by one from the facts, the ledger from its events as of the bulletin's day.

use super::*;
use crate::ReportError;
use crate::annual::{RegionNames, Warnings, clause, count_by, resolve_city};
use crate::followup::{self, Followups};
use crate::model::LedgerState;
use chrono::Datelike;
use jianping_core::GradeCounts;
use jianping_core::ledger::{DeadlineStatus, SourceKind, State};
use jianping_core::satisfaction::check_parts;
use jianping_core::time::{fmt_date_cn, parse_date};
use jianping_store::Store;
use jianping_store::ledger::{ItemView, LedgerFilter, SourceMovement};
use std::collections::{BTreeMap, HashMap};

/// Builds the bulletin for `period` (usually one calendar month).
pub fn build_bulletin(
    store: &mut Store,
    period: &Period,
    settings: &BulletinSettings,
) -> Result<BulletinReport, ReportError> {
    settings
        .grade_sets
        .validate()
        .map_err(ReportError::Settings)?;
    let as_of = settings.as_of.unwrap_or(period.to);
    if as_of < period.from {
        return Err(ReportError::Settings(format!(
            "--as-of {as_of} 早于通报期间的起始日 {}：台账情况须在期间开始之后判定",
            period.from
        )));
    }
    let regions = store.regions()?;
    let mut warnings = Warnings::default();
    let city_code = resolve_city(&regions, settings.city.as_ref())?;
    let city = RegionNames::new(&regions).named(&city_code, &mut warnings);
    let ratings = ratings(store, period, settings, &city.code, as_of, &mut warnings)?;
    let bad = bad_section(store, period, settings, &city.code, as_of, &mut warnings)?;
    let ledger = ledger_section(store, period, as_of, &mut warnings)?;
    let ranking = ranking::rank(
        &ratings.departments,
        &ratings.overall,
        settings.min_ratings,
        &settings.ranking,
    );
    check_bad(&ratings, &bad, &mut warnings);
    let topic_settings = crate::topics::TopicSettings {
        sources: jianping_store::queries::topics::TopicSources {
            rating_grades: settings.grade_sets.bad.clone(),
            ..Default::default()
        },
        comparison: crate::topics::Comparison::PreviousPeriod,
        ..Default::default()
    };
    let topics = crate::topics::build_topics(store, period, &topic_settings, &settings.policy)?;
    let whole_month = Period::month(period.from.year(), period.from.month()).ok() == Some(*period);
    Ok(BulletinReport {
        title: format!(
            "{}{}政务服务“好差评”及问题整改情况通报",
            city.name,
            period_label(period, whole_month)
        ),
        period_label: period_label(period, whole_month),
        whole_month,
        as_of,
        as_of_label: day_label(as_of, period.to.year()),
        city,
        period: *period,
        policy: settings.policy,
        grade_sets: settings.grade_sets.clone(),
        ratings,
        bad,
        ledger,
        ranking,
        topics,
        credibility: crate::credibility::build(store, period, &settings.audit)?,
        warnings: warnings.0,
    })
}

/// "2023年10月", "2023年10月1日—10月15日", or with both years.
fn period_label(p: &Period, whole_month: bool) -> String {
    if whole_month {
        format!("{}年{}月", p.from.year(), p.from.month())
    } else if p.from.year() == p.to.year() {
        format!("{}年{}", p.from.year(), p.label_cn())
    } else {
        p.label_cn()
    }
}

/// "10月31日", with the year when it is not `year`.
fn day_label(d: NaiveDate, year: i32) -> String {
    if d.year() == year {
        format!("{}月{}日", d.month(), d.day())
    } else {
        fmt_date_cn(&d)
    }
}

fn text_day_label(text: &str, year: i32) -> String {
    let day = text.get(..10).unwrap_or(text);
    parse_date(day).map_or_else(|_| text.to_string(), |d| day_label(d, year))
}

fn ratings(
    store: &mut Store,
    period: &Period,
    settings: &BulletinSettings,
    city: &RegionCode,
    as_of: NaiveDate,
    warnings: &mut Warnings,
) -> Result<BulletinRatings, ReportError> {
    let (policy, sets) = (&settings.policy, &settings.grade_sets);
    let per_department = department_counts(store, period, city, warnings)?;
    let Followups {
        total,
        by_department,
    } = followup::followups(store, period, sets, city, Some(as_of), policy)?;
    let mut overall = GradeCounts::default();
    let mut departments: Vec<DepartmentFigures> = per_department
        .into_iter()
        .map(|(department, counts)| {
            overall.merge(&counts);
            DepartmentFigures {
                followup: by_department
                    .get(&department)
                    .cloned()
                    .unwrap_or_else(|| followup::BadFollowup::new(0, 0, 0, 0, policy)),
                summary: sets.summarize(&counts, policy),
                department,
            }
        })
        .collect();
    departments.sort_by(|a, b| {
        b.summary
            .total
            .cmp(&a.summary.total)
            .then(a.department.cmp(&b.department))
    });
    let excluded = followup::excluded(store, period)?;
    Ok(BulletinRatings {
        bad_counts: Grade::ALL
            .iter()
            .filter(|g| sets.bad.contains(g))
            .map(|g| GradeCount {
                grade: *g,
                count: overall.get(*g),
            })
            .collect(),
        overall: sets.summarize(&overall, policy),
        departments,
        followup: total,
        excluded_departments: followup::excluded_by_department(&excluded),
        excluded,
    })
}

/// Grade counts per department for ratings in the city; the rest are named in a warning.
fn department_counts(
    store: &mut Store,
    period: &Period,
    city: &RegionCode,
    warnings: &mut Warnings,
) -> Result<BTreeMap<String, GradeCounts>, ReportError> {
    let mut per_department: BTreeMap<String, GradeCounts> = BTreeMap::new();
    let mut outside: BTreeMap<String, u64> = BTreeMap::new();
    for row in store.rating_counts_by_department_region(period)? {
        match RegionCode::parse(&row.region) {
            Ok(code) if code.within(city) => per_department
                .entry(row.department)
                .or_default()
                .merge(&row.counts),
            _ => *outside.entry(row.region).or_default() += row.counts.total(),
        }
    }
    if !outside.is_empty() {
        let n: u64 = outside.values().sum();
        let list: Vec<String> = outside
            .iter()
            .map(|(c, n)| format!("{c}（{n} 条）"))
            .collect();
        warnings.add(
            "好差评",
            format!(
                "{n} 条评价的行政区划不在本市范围内，未计入通报：{}",
                list.join("、")
            ),
        );
    }
    Ok(per_department)
}

fn bad_section(
    store: &mut Store,
    period: &Period,
    settings: &BulletinSettings,
    city: &RegionCode,
    as_of: NaiveDate,
    warnings: &mut Warnings,
) -> Result<BadSection, ReportError> {
    let filter = LedgerFilter {
        source: Some(SourceKind::Rating),
        raised: Some(*period),
        ..LedgerFilter::default()
    };
    let mut items: HashMap<String, ItemView> = store
        .ledger_items_as_of(&filter, as_of)?
        .into_iter()
        .filter_map(|i| Some((i.source_no.clone()?, i)))
        .collect();
    let year = period.to.year();
    let named = store.named_ratings(period, &settings.grade_sets.bad)?;
    let bad: Vec<BulletinBadRating> = store
        .bad_ratings(period, &settings.grade_sets.bad)?
        .into_iter()
        .filter(|b| b.region.as_ref().is_some_and(|r| r.within(city)))
        .map(|b| BulletinBadRating {
            rated_on_label: text_day_label(&b.rated_at, year),
            comment: b.comment.as_deref().map(clause).filter(|c| !c.is_empty()),
            named: named.contains(&b.rating_no),
            ledger: items.remove(&b.rating_no).map(|i| status(&i, year)),
            rating_no: b.rating_no,
            rated_at: b.rated_at,
            grade: b.grade,
            department: b.department,
            matter: b.matter,
        })
        .collect();
    let missing = bad.iter().filter(|b| b.comment.is_none()).count();
    if missing > 0 {
        warnings.add(
            "好差评",
            format!("{missing} 条差评没有文字评价，通报无法说明差评原因"),
        );
    }
    let states: Vec<Option<LedgerState>> = bad
        .iter()
        .map(|b| b.ledger.as_ref().map(ledger_state))
        .collect();
    let rectification = Rectification::of(
        bad.iter()
            .zip(&states)
            .map(|(b, l)| (Some(b.department.as_str()), l.as_ref())),
    );
    Ok(BadSection {
        by_department: count_by(bad.iter().map(|b| b.department.as_str())),
        items: bad,
        rectification,
    })
}

fn ledger_state(s: &ItemStatus) -> LedgerState {
    LedgerState {
        item_no: s.item_no.clone(),
        state: s.state.clone(),
        state_name: s.state_name.clone(),
        department: s.department.clone(),
        closed_at: None,
        fed_back: s.fed_back,
    }
}

fn status(i: &ItemView, year: i32) -> ItemStatus {
    ItemStatus {
        item_no: i.item_no.clone(),
        source: i.source.code().to_string(),
        source_name: i.source.name().to_string(),
        source_no: i.source_no.clone(),
        department: i.department.clone(),
        title: i.title.clone(),
        raised_at: i.raised_at.clone(),
        state: i.state.code().to_string(),
        state_name: i.state_text(),
        due_label: i.due_on.as_deref().map(|d| text_day_label(d, year)),
        due_on: i.due_on.clone(),
        deadline: i.deadline.name().to_string(),
        overdue: i.deadline == DeadlineStatus::Overdue,
        warning: i.deadline == DeadlineStatus::Warning,
        fed_back: i.feedback.as_deref().is_some_and(|f| !f.trim().is_empty()),
    }
}

fn ledger_section(
    store: &mut Store,
    period: &Period,
    as_of: NaiveDate,
    warnings: &mut Warnings,
) -> Result<LedgerSection, ReportError> {
    let movement: Vec<MovementRow> = store
        .ledger_movement(period)?
        .iter()
        .filter(|m| m.open_at_start + m.new + m.open_at_end > 0)
        .map(|m| movement_row(m, warnings))
        .collect();
    let total = movement_total(&movement);
    let year = period.to.year();
    let items = store.ledger_items_as_of(&LedgerFilter::default(), as_of)?;
    let pick = |flag: DeadlineStatus| -> Vec<ItemStatus> {
        items
            .iter()
            .filter(|i| i.deadline == flag)
            .map(|i| status(i, year))
            .collect()
    };
    let (overdue, warning) = (pick(DeadlineStatus::Overdue), pick(DeadlineStatus::Warning));
    let holder = |i: &ItemStatus| i.department.clone().unwrap_or_else(|| NO_DEPARTMENT.into());
    let named = |list: &[ItemStatus]| -> Vec<NamedCount> {
        let names: Vec<String> = list.iter().map(holder).collect();
        count_by(names.iter().map(String::as_str))
    };
    let open: Vec<String> = items
        .iter()
        .filter(|i| matches!(i.state, State::Unclaimed | State::Claimed | State::Returned))
        .map(|i| i.department.clone().unwrap_or_else(|| NO_DEPARTMENT.into()))
        .collect();
    Ok(LedgerSection {
        overdue_departments: named(&overdue),
        warning_departments: named(&warning),
        open_departments: count_by(open.iter().map(String::as_str)),
        overdue,
        warning,
        movement,
        total,
    })
}

const NO_DEPARTMENT: &str = "（未指定责任单位）";

/// A source as the text names its problems.
fn source_label(s: SourceKind) -> &'static str {
    match s {
        SourceKind::Rating => "“好差评”差评",
        SourceKind::Ticket => "12345工单",
        SourceKind::Feedback => "监督员意见",
        SourceKind::QrReport => "“码”上监督问题",
        SourceKind::Assessment => "第三方评估问题",
        SourceKind::Manual => "其他问题",
    }
}

fn movement_row(m: &SourceMovement, warnings: &mut Warnings) -> MovementRow {
    if !m.balances() {
        warnings.add(
            "整改台账",
            format!(
                "{}事项的期初、新增、办结、重新打开与期末数不平衡：请检查整改台账的处理记录",
                m.source.name()
            ),
        );
    }
    MovementRow {
        source: m.source.code().into(),
        name: source_label(m.source).into(),
        open_at_start: m.open_at_start,
        new: m.new,
        closed: m.closed,
        reopened: m.reopened,
        open_at_end: m.open_at_end,
        awaiting_check_at_end: m.awaiting_check_at_end,
    }
}

fn movement_total(rows: &[MovementRow]) -> MovementRow {
    let mut total = MovementRow {
        source: "total".into(),
        name: "合计".into(),
        open_at_start: 0,
        new: 0,
        closed: 0,
        reopened: 0,
        open_at_end: 0,
        awaiting_check_at_end: 0,
    };
    for m in rows {
        total.open_at_start += m.open_at_start;
        total.new += m.new;
        total.closed += m.closed;
        total.reopened += m.reopened;
        total.open_at_end += m.open_at_end;
        total.awaiting_check_at_end += m.awaiting_check_at_end;
    }
    total
}

/// The rollups' bad counts must match the facts listed one by one.
fn check_bad(ratings: &BulletinRatings, bad: &BadSection, warnings: &mut Warnings) {
    let counted: u64 = ratings.bad_counts.iter().map(|g| g.count).sum();
    let listed = bad.items.len() as u64;
    if let Some(w) = check_parts("差评", counted, &[("差评明细", listed)]) {
        warnings.add(
            "好差评",
            format!("{}：请运行 jianping verify --repair 重建汇总表", w.message),
        );
    }
}
