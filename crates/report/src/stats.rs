//! `jianping stats`: rating and hotline figures per group, as a model (for JSON) and as a
//! table (for the terminal and CSV). Every rate carries numerator, denominator and print.

use crate::ReportError;
use crate::channels::load_tickets;
use crate::tabular::Table;
use jianping_core::hotline_kpi::{GroupKpis, HotlineGroup, HotlineKpis, group_kpis};
use jianping_core::{
    Grade, GradeCounts, GradeSets, Period, QualityWarning, Rate, RatePolicy, RatingSummary,
};
use jianping_store::Store;
use jianping_store::queries::RatingGroup;
use serde::Serialize;

/// One row of the rating table: a group, its share of all ratings, and its summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingRow {
    pub key: String,
    pub label: String,
    pub share: Rate,
    pub summary: RatingSummary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingStats {
    pub period: Period,
    /// `level`, `channel`, `department`, `window`, `month` or `region`.
    pub by: String,
    pub policy: RatePolicy,
    pub grade_sets: GradeSets,
    pub total: RatingRow,
    pub groups: Vec<RatingRow>,
}

fn group_name(group: RatingGroup) -> (&'static str, &'static str) {
    match group {
        RatingGroup::Total => ("total", "合计"),
        RatingGroup::Tier => ("level", "层级"),
        RatingGroup::Channel => ("channel", "评价渠道"),
        RatingGroup::Department => ("department", "部门"),
        RatingGroup::Window => ("window", "窗口"),
        RatingGroup::Month => ("month", "月份"),
        RatingGroup::Region => ("region", "行政区划"),
    }
}

/// Rating figures per group over the period, from the rollups.
pub fn rating_stats(
    store: &mut Store,
    period: &Period,
    group: RatingGroup,
    policy: &RatePolicy,
    sets: &GradeSets,
) -> Result<RatingStats, ReportError> {
    sets.validate().map_err(ReportError::Settings)?;
    let groups = store.rating_counts(period, group)?;
    let mut all = GradeCounts::default();
    for g in &groups {
        all.merge(&g.counts);
    }
    let row = |key: String, label: String, counts: &GradeCounts| RatingRow {
        key,
        label,
        share: policy.rate(counts.total(), all.total()),
        summary: sets.summarize(counts, policy),
    };
    Ok(RatingStats {
        period: *period,
        by: group_name(group).0.to_string(),
        policy: *policy,
        grade_sets: sets.clone(),
        total: row("total".into(), "合计".into(), &all),
        groups: groups
            .iter()
            .map(|g| row(g.key.clone(), g.label.clone(), &g.counts))
            .collect(),
    })
}

impl RatingStats {
    pub fn table(&self) -> Table {
        let by = match self.by.as_str() {
            "level" => "层级",
            "channel" => "评价渠道",
            "department" => "部门",
            "window" => "窗口",
            "month" => "月份",
            "region" => "行政区划",
            _ => "分组",
        };
        let mut headers = vec![by.to_string(), "评价数".into(), "占比".into()];
        headers.extend(Grade::ALL.iter().map(|g| g.name().to_string()));
        headers.extend(
            ["非常满意率", "满意率", "好评率", "差评数", "平均分"]
                .iter()
                .map(|s| s.to_string()),
        );
        let line = |r: &RatingRow| {
            let s = &r.summary;
            let mut cells = vec![
                r.label.clone(),
                s.total.to_string(),
                r.share.printed.clone(),
            ];
            cells.extend(s.grades.0.iter().map(u64::to_string));
            cells.extend([
                s.very_satisfied_rate.printed.clone(),
                s.satisfied_rate.printed.clone(),
                s.good_rate.printed.clone(),
                s.bad.to_string(),
                s.average_score.clone(),
            ]);
            cells
        };
        let mut rows: Vec<Vec<String>> = self.groups.iter().map(line).collect();
        rows.push(line(&self.total));
        Table::new(headers, rows)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HotlineStats {
    pub period: Period,
    /// `kind`, `source`, `mode` or `department`.
    pub by: HotlineGroup,
    pub policy: RatePolicy,
    /// 受理量 and every KPI over all tickets received in the period.
    pub total: HotlineKpis,
    pub groups: Vec<GroupKpis>,
    /// Tickets that could not be read, tickets without 办理时限.
    pub warnings: Vec<QualityWarning>,
}

pub fn hotline_stats(
    store: &mut Store,
    period: &Period,
    by: HotlineGroup,
    policy: &RatePolicy,
) -> Result<HotlineStats, ReportError> {
    let mut warnings = crate::annual::Warnings::default();
    let tickets = load_tickets(store, period, &mut warnings)?;
    let total = HotlineKpis::compute(&tickets, period, policy);
    if total.counts.without_due > 0 {
        warnings.add(
            "12345热线",
            format!(
                "{} 张工单没有办理时限，不计入应结案，也不计为按时办结",
                total.counts.without_due
            ),
        );
    }
    Ok(HotlineStats {
        period: *period,
        by,
        policy: *policy,
        groups: group_kpis(&tickets, period, policy, by),
        total,
        warnings: warnings.0,
    })
}

impl HotlineStats {
    pub fn table(&self) -> Table {
        let by = match self.by {
            HotlineGroup::Kind => "诉求类型",
            HotlineGroup::Source => "来源渠道",
            HotlineGroup::Mode => "办理方式",
            HotlineGroup::Department => "承办单位",
        };
        let mut headers: Vec<String> = [by, "受理量", "占比", "应结案", "结案", "按期结案", "办结"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        headers.extend(self.total.named().iter().map(|(n, _)| n.to_string()));
        let line = |label: &str, share: &str, k: &HotlineKpis| {
            let c = &k.counts;
            let mut cells = vec![label.to_string(), c.received.to_string(), share.to_string()];
            cells.extend(
                [c.due, c.due_closed, c.due_closed_on_time, c.closed].map(|n| n.to_string()),
            );
            cells.extend(k.named().iter().map(|(_, r)| r.printed.clone()));
            cells
        };
        let mut rows: Vec<Vec<String>> = self
            .groups
            .iter()
            .map(|g| line(&g.label, &g.share.printed, &g.kpis))
            .collect();
        let all = self
            .policy
            .format(self.total.counts.received, self.total.counts.received);
        rows.push(line("合计", &all, &self.total));
        Table::new(headers, rows)
    }
}
