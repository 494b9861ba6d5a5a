//! Builds the annual report model from the store: every figure computed from data, for a
//! period and a set of settings. See `docs/report-figures.md` for each figure's definition.

use crate::model::*;
use crate::{ReportError, basics, channels, series};
use chrono::Datelike;
use jianping_core::privacy::mask_free_text;
use jianping_core::satisfaction::check_parts;
use jianping_core::{
    Grade, GradeCounts, GradeSets, Period, QualityWarning, RatePolicy, RegionCode, RegionLevel,
    ReportTier,
};
use jianping_store::Store;
use jianping_store::cube::RatingCube;
use jianping_store::queries::catalog::RegionRow;
use jianping_store::queries::channels::LedgerRef;
use jianping_store::queries::{GroupCounts, RatingGroup};
use std::collections::{BTreeMap, HashMap};

/// What the report builder needs besides the data.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualSettings {
    pub policy: RatePolicy,
    pub grade_sets: GradeSets,
    /// The city the report is about; by default the one city-level region in the store.
    pub city: Option<RegionCode>,
    /// The name of the city's service centre; by default the hall of kind 政务服务中心 in
    /// the city-level region.
    pub center_hall: Option<String>,
    /// 评估指标 listed in section 一.
    pub indicators: Vec<String>,
    /// The "码"上监督 domain listed one by one in section 六.
    pub qr_domain: String,
    /// The indicator system scored in section 一.
    pub indicator_config: jianping_core::indicators::IndicatorConfig,
    /// What section 八 (热点问题) reads and compares (上年同期 by default).
    pub topics: crate::topics::TopicSettings,
    /// Thresholds of the suspicious-rating audit (appendix 数据可信度).
    pub audit: jianping_core::audit::AuditRules,
}

pub const DEFAULT_INDICATORS: [&str; 8] = [
    "窗口不规范行为",
    "服务完备度",
    "服务成熟度",
    "服务满意度",
    "服务舒适度",
    "延时服务",
    "帮办代办",
    "一件事一次办",
];

impl Default for AnnualSettings {
    fn default() -> Self {
        AnnualSettings {
            policy: RatePolicy::default(),
            grade_sets: GradeSets::default(),
            city: None,
            center_hall: None,
            indicators: DEFAULT_INDICATORS.iter().map(|s| s.to_string()).collect(),
            qr_domain: "政务服务".into(),
            indicator_config: jianping_core::indicators::IndicatorConfig::default(),
            topics: crate::topics::TopicSettings::default(),
            audit: jianping_core::audit::AuditRules::default(),
        }
    }
}

/// Data-quality findings collected while building, for the appendix.
#[derive(Debug, Default)]
pub struct Warnings(pub Vec<QualityWarning>);

impl Warnings {
    pub fn add(&mut self, scope: &str, message: impl Into<String>) {
        self.0.push(QualityWarning {
            scope: scope.to_string(),
            message: message.into(),
        });
    }
}

/// Region names by code; a region created from an import has its code for a name.
pub struct RegionNames(HashMap<String, String>);

impl RegionNames {
    pub fn new(rows: &[RegionRow]) -> RegionNames {
        RegionNames(
            rows.iter()
                .map(|r| (r.code.as_str().to_string(), r.name.clone()))
                .collect(),
        )
    }

    /// The region with its name, warning when the store knows only its code.
    pub fn named(&self, code: &RegionCode, warnings: &mut Warnings) -> RegionRef {
        let name = self.0.get(code.as_str()).cloned().unwrap_or_default();
        if name.is_empty() || name == code.as_str() {
            warnings.add(
                "行政区划",
                format!(
                    "行政区划 {code} 没有名称，报告中以代码代替；请导入行政区划名称（jianping import regions）"
                ),
            );
            return RegionRef {
                code: code.clone(),
                name: code.to_string(),
            };
        }
        RegionRef {
            code: code.clone(),
            name,
        }
    }
}

/// Builds the whole report for `period`.
pub fn build_annual(
    store: &mut Store,
    period: &Period,
    settings: &AnnualSettings,
) -> Result<AnnualReport, ReportError> {
    settings
        .grade_sets
        .validate()
        .map_err(ReportError::Settings)?;
    let regions = store.regions()?;
    let names = RegionNames::new(&regions);
    let mut warnings = Warnings::default();
    let city_code = resolve_city(&regions, settings.city.as_ref())?;
    let city = names.named(&city_code, &mut warnings);
    let districts: Vec<RegionRef> = regions
        .iter()
        .filter(|r| r.code.level() == RegionLevel::District && r.code.within(&city.code))
        .map(|r| names.named(&r.code, &mut warnings))
        .collect();

    let basics = basics::build(store, period, settings, &city, &districts, &mut warnings)?;
    let recipient = basics.center.as_ref().map(|c| c.name.clone());
    let hotline = channels::hotline(store, period, &settings.policy, recipient, &mut warnings)?;
    // One read of the period's rollup rows serves every grouping of sections 一 and 四.
    let cube = store.rating_cube(period)?;
    let ratings = ratings(store, &cube, period, settings, &city.code, &mut warnings)?;
    let supervisors = channels::supervisors(store, period)?;
    let qr = channels::qr(store, period, &settings.qr_domain)?;
    let assessment = channels::assessment(store, period)?;
    let scored = crate::indicators::build_indicators_with(
        store,
        period,
        &settings.indicator_config,
        Some(&city.code),
        &settings.policy,
        Some(&cube),
    )?;
    warnings.0.extend(scored.warnings.iter().cloned());
    let rectification = series::rectification(&ratings, &supervisors, &qr, &assessment);
    let topics = crate::topics::build_topics(store, period, &settings.topics, &settings.policy)?;
    let system = SystemSection {
        indicators: settings.indicators.clone(),
        channels: present_channels(&hotline, &ratings, &supervisors, &qr, &assessment),
    };
    let mut report = AnnualReport {
        title: format!("{}{}年政务服务监督评价报告", city.name, period.to.year()),
        year: period.to.year(),
        period: *period,
        period_label: period.label_cn(),
        as_of_label: format!("{}月{}日", period.to.month(), period.to.day()),
        from_year_start: period.from.month() == 1 && period.from.day() == 1,
        policy: settings.policy,
        grade_sets: settings.grade_sets.clone(),
        city,
        system,
        indicators: crate::indicator_views::IndicatorSection::of(&scored),
        basics,
        hotline,
        ratings,
        supervisors,
        qr,
        assessment,
        rectification,
        topics,
        credibility: crate::credibility::build(store, period, &settings.audit)?,
        warnings: Vec::new(),
    };
    // The appendix lists what does not add up in the report's own tables too.
    warnings.0.extend(crate::figure_checks::annual(&report));
    report.warnings = dedup_warnings(warnings.0);
    Ok(report)
}

fn dedup_warnings(ws: Vec<QualityWarning>) -> Vec<QualityWarning> {
    let mut out: Vec<QualityWarning> = Vec::with_capacity(ws.len());
    for w in ws {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// The configured city, else the one city-level region in the store.
pub(crate) fn resolve_city(
    regions: &[RegionRow],
    configured: Option<&RegionCode>,
) -> Result<RegionCode, ReportError> {
    if let Some(c) = configured {
        if c.level() != RegionLevel::City {
            return Err(ReportError::Settings(format!(
                "--city {c} 不是市级行政区划代码（应为 6 位且以 00 结尾，如 150300）"
            )));
        }
        return Ok(c.clone());
    }
    let cities: Vec<&RegionRow> = regions
        .iter()
        .filter(|r| r.code.level() == RegionLevel::City)
        .collect();
    match cities.as_slice() {
        [one] => Ok(one.code.clone()),
        [] => Err(ReportError::Settings(
            "数据库中没有市级行政区划（6 位代码、以 00 结尾）：请先导入行政区划（jianping import regions），或用 --city 指定城市代码".into(),
        )),
        many => Err(ReportError::Settings(format!(
            "数据库中有多个市级行政区划（{}）：请用 --city 指定报告的城市",
            many.iter()
                .map(|r| format!("{} {}", r.code, r.name))
                .collect::<Vec<_>>()
                .join("、")
        ))),
    }
}

fn present_channels(
    hotline: &HotlineSection,
    ratings: &RatingsSection,
    supervisors: &SupervisorSection,
    qr: &QrSection,
    assessment: &AssessmentSection,
) -> Vec<ChannelRef> {
    [
        ("hotline", "12345政务服务热线", hotline.received > 0),
        ("ratings", "政务服务“好差评”", ratings.overall.total > 0),
        (
            "supervisors",
            "政务服务监督员",
            supervisors.count > 0 || supervisors.feedback > 0,
        ),
        ("qr", "“码”上监督", qr.received > 0),
        ("assessment", "第三方评估", !assessment.findings.is_empty()),
    ]
    .into_iter()
    .filter(|(_, _, present)| *present)
    .map(|(key, name, _)| ChannelRef {
        key: key.into(),
        name: name.into(),
    })
    .collect()
}

/// 四、好差评: counts from the rollups, bad ratings one by one from the facts.
fn ratings(
    store: &mut Store,
    cube: &RatingCube,
    period: &Period,
    settings: &AnnualSettings,
    city: &RegionCode,
    warnings: &mut Warnings,
) -> Result<RatingsSection, ReportError> {
    let policy = &settings.policy;
    let sets = &settings.grade_sets;
    let (tiers, outside) = fold_tiers(cube.counts(RatingGroup::Region), city);
    let mut overall = GradeCounts::default();
    for c in tiers.values() {
        overall.merge(c);
    }
    check_rating_totals(cube, &tiers, &outside, warnings)?;
    let tier_figures = ReportTier::ALL
        .iter()
        .map(|t| {
            let counts = tiers.get(t).copied().unwrap_or_default();
            TierFigures {
                tier: *t,
                name: t.name().to_string(),
                share: policy.rate(counts.total(), overall.total()),
                summary: sets.summarize(&counts, policy),
            }
        })
        .collect();
    let bad_counts = Grade::ALL
        .iter()
        .filter(|g| sets.bad.contains(g))
        .map(|g| GradeCount {
            grade: *g,
            count: overall.get(*g),
        })
        .collect::<Vec<_>>();
    let bad = bad_items(store, period, sets, city)?;
    check_bad(&bad_counts, &bad, warnings);
    let rectification = Rectification::of(
        bad.iter()
            .map(|b| (Some(b.department.as_str()), b.ledger.as_ref())),
    );
    let followup = crate::followup::followups(store, period, sets, city, None, policy)?.total;
    let excluded = crate::followup::excluded(store, period)?;
    let monthly = series::monthly(cube, period, sets, policy, overall.total(), warnings)?;
    let departments = series::department_ranking(cube, sets, policy)?;
    Ok(RatingsSection {
        followup,
        excluded_departments: crate::followup::excluded_by_department(&excluded),
        excluded,
        overall: sets.summarize(&overall, policy),
        tiers: tier_figures,
        bad_counts,
        bad_departments: count_by(bad.iter().map(|b| b.department.as_str())),
        bad,
        rectification,
        monthly,
        departments,
    })
}

type TierCounts = BTreeMap<ReportTier, GradeCounts>;

/// Per-region counts folded into the city's tiers, and (code, count) of regions outside it.
fn fold_tiers(groups: Vec<GroupCounts>, city: &RegionCode) -> (TierCounts, Vec<(String, u64)>) {
    let mut tiers = TierCounts::new();
    let mut outside = Vec::new();
    for g in groups {
        match RegionCode::parse(&g.key) {
            Ok(code) if code.within(city) => tiers
                .entry(ReportTier::of(code.level()))
                .or_default()
                .merge(&g.counts),
            _ => outside.push((g.key.clone(), g.counts.total())),
        }
    }
    (tiers, outside)
}

/// The city's bad ratings one by one, comments masked.
fn bad_items(
    store: &mut Store,
    period: &Period,
    sets: &GradeSets,
    city: &RegionCode,
) -> Result<Vec<BadRatingItem>, ReportError> {
    Ok(store
        .bad_ratings(period, &sets.bad)?
        .into_iter()
        .filter(|b| b.region.as_ref().is_some_and(|r| r.within(city)))
        .map(|b| BadRatingItem {
            comment: b.comment.as_deref().map(clause).filter(|c| !c.is_empty()),
            ledger: b.ledger.as_ref().map(ledger_state),
            rating_no: b.rating_no,
            rated_at: b.rated_at,
            grade: b.grade,
            department: b.department,
            region: b.region_name,
            matter: b.matter,
        })
        .collect())
}

fn check_bad(bad_counts: &[GradeCount], bad: &[BadRatingItem], warnings: &mut Warnings) {
    let counted_bad: u64 = bad_counts.iter().map(|g| g.count).sum();
    if counted_bad != bad.len() as u64 {
        warnings.add(
            "好差评",
            format!(
                "汇总表中的差评 {counted_bad} 条与明细中的差评 {} 条不一致：请运行 jianping verify --repair 重建汇总表",
                bad.len()
            ),
        );
    }
    let missing_comment = bad.iter().filter(|b| b.comment.is_none()).count();
    if missing_comment > 0 {
        warnings.add(
            "好差评",
            format!("{missing_comment} 条差评没有文字评价，报告无法说明差评原因"),
        );
    }
}

/// Ratings whose region lies outside the city, and rollup rows whose region is unknown,
/// make the city's tiers differ from the store's total.
fn check_rating_totals(
    cube: &RatingCube,
    tiers: &TierCounts,
    outside: &[(String, u64)],
    warnings: &mut Warnings,
) -> Result<(), ReportError> {
    let all: u64 = cube
        .counts(RatingGroup::Total)
        .iter()
        .map(|g| g.counts.total())
        .sum();
    let outside_n: u64 = outside.iter().map(|(_, n)| n).sum();
    if outside_n > 0 {
        let codes: Vec<String> = outside
            .iter()
            .map(|(c, n)| format!("{c}（{n} 条）"))
            .collect();
        warnings.add(
            "好差评",
            format!(
                "{outside_n} 条评价的行政区划不在本市范围内，未计入报告：{}",
                codes.join("、")
            ),
        );
    }
    let parts: Vec<(&str, u64)> = ReportTier::ALL
        .iter()
        .map(|t| (t.name(), tiers.get(t).map_or(0, GradeCounts::total)))
        .chain(std::iter::once(("市外", outside_n)))
        .collect();
    if let Some(w) = check_parts("好差评评价总数", all, &parts) {
        warnings.0.push(w);
    }
    Ok(())
}

/// Masks personal data and drops the final stop, so free text reads as a clause.
pub fn clause(text: &str) -> String {
    mask_free_text(text.trim())
        .trim_end_matches(['。', '.', '！', '!', '；', ';', '，', ',', ' '])
        .to_string()
}

pub fn ledger_state(l: &LedgerRef) -> LedgerState {
    let state_name = match l.state.as_str() {
        "unclaimed" => "待认领",
        "claimed" => "整改中",
        "rectified" => "已整改(待核验)",
        "closed" => "已办结(销号)",
        "returned" => "退回(待重新分派)",
        other => other,
    };
    LedgerState {
        item_no: l.item_no.clone(),
        state: l.state.clone(),
        state_name: state_name.to_string(),
        department: l.department.clone(),
        closed_at: l.closed_at.clone(),
        fed_back: l.fed_back,
    }
}

impl Rectification {
    /// From the ledger's count of one source's items (every problem is on the ledger).
    pub fn from_summary(s: &jianping_store::ledger::SourceSummary) -> Self {
        Rectification {
            total: s.total,
            in_ledger: s.total,
            closed: s.closed,
            rectified: s.rectified,
            in_progress: s.open,
            not_in_ledger: 0,
            all_closed: s.all_closed(),
            all_fed_back: false,
            open_departments: s.holders.iter().map(|(d, _)| d.clone()).collect(),
        }
    }

    /// Summarizes problems given as (department, ledger item).
    pub fn of<'a>(
        items: impl IntoIterator<Item = (Option<&'a str>, Option<&'a LedgerState>)>,
    ) -> Self {
        let mut r = Rectification::default();
        let mut fed_back = 0;
        for (department, ledger) in items {
            r.total += 1;
            let open = match ledger {
                None => {
                    r.not_in_ledger += 1;
                    true
                }
                Some(l) => {
                    r.in_ledger += 1;
                    if l.fed_back {
                        fed_back += 1;
                    }
                    match l.state.as_str() {
                        "closed" => r.closed += 1,
                        "rectified" => r.rectified += 1,
                        _ => r.in_progress += 1,
                    }
                    l.state != "closed"
                }
            };
            let dept = ledger
                .and_then(|l| l.department.as_deref())
                .or(department)
                .filter(|d| !d.is_empty());
            if open
                && let Some(d) = dept
                && !r.open_departments.iter().any(|x| x == d)
            {
                r.open_departments.push(d.to_string());
            }
        }
        r.all_closed = r.total > 0 && r.closed == r.total;
        r.all_fed_back = r.total > 0 && fed_back == r.total;
        r
    }
}

/// Counts per name, most first, ties by name.
pub fn count_by<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<NamedCount> {
    let mut map: BTreeMap<&str, u64> = BTreeMap::new();
    for n in names {
        *map.entry(n).or_default() += 1;
    }
    let mut out: Vec<NamedCount> = map
        .into_iter()
        .map(|(name, count)| NamedCount {
            name: name.to_string(),
            count,
        })
        .collect();
    out.sort_by_key(|n| std::cmp::Reverse(n.count));
    out
}
