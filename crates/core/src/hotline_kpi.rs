//! 12345 hotline KPIs for a period P, as defined in `docs/hotline-kpis.md`. Pure: the caller
//! supplies the tickets (any superset of those received in P) and the period.

use crate::hotline::{HandlingMode, Response, TicketKind, TicketSource};
use crate::rate::{Rate, RatePolicy};
use crate::time::Period;
use chrono::{NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A 12345 ticket as the KPIs see it (no personal data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotlineTicket {
    pub kind: TicketKind,
    pub source: TicketSource,
    pub mode: HandlingMode,
    /// 承办单位.
    pub department: Option<String>,
    pub received_at: NaiveDateTime,
    /// 办理时限.
    pub due_at: Option<NaiveDateTime>,
    /// 办结时间.
    pub closed_at: Option<NaiveDateTime>,
    /// 是否解决.
    pub resolved: Option<bool>,
    pub revisited_at: Option<NaiveDateTime>,
    pub revisit_result: Option<Response>,
}

/// The counts behind every KPI. Each count is a subset of the one it is divided by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiCounts {
    /// 受理量: received in P.
    pub received: u64,
    /// 应结案: received in P with 办理时限 ≤ end of P.
    pub due: u64,
    /// 结案: of 应结案, closed by the end of P.
    pub due_closed: u64,
    /// 按期结案: of 应结案, closed no later than 办理时限.
    pub due_closed_on_time: u64,
    /// 办结: received in P and closed by the end of P.
    pub closed: u64,
    /// Of 办结, closed no later than 办理时限 (a ticket without 办理时限 is not on time).
    pub closed_on_time: u64,
    /// Of 办结, 是否解决 = 是.
    pub resolved: u64,
    /// Of 办结, revisited by the end of P with a result (未联系上 is not a revisit).
    pub revisited: u64,
    /// Of the revisited, 满意 or 基本满意.
    pub satisfied: u64,
    /// Received in P without 办理时限 (data quality: they can be neither 应结案 nor on time).
    pub without_due: u64,
}

/// First instant after the period, so that sub-second times on the last day still count.
fn end_exclusive(p: &Period) -> NaiveDateTime {
    p.to.succ_opt().unwrap_or(p.to).and_time(NaiveTime::MIN)
}

impl KpiCounts {
    /// Counts the tickets received in `period`; others are ignored.
    pub fn of<'a>(tickets: impl IntoIterator<Item = &'a HotlineTicket>, period: &Period) -> Self {
        let start = period.from.and_time(NaiveTime::MIN);
        let end = end_exclusive(period);
        let mut c = KpiCounts::default();
        for t in tickets {
            if t.received_at < start || t.received_at >= end {
                continue;
            }
            c.add(t, end);
        }
        c
    }

    fn add(&mut self, t: &HotlineTicket, end: NaiveDateTime) {
        self.received += 1;
        let closed = t.closed_at.filter(|c| *c < end);
        let on_time = match (closed, t.due_at) {
            (Some(c), Some(d)) => c <= d,
            _ => false,
        };
        match t.due_at {
            None => self.without_due += 1,
            Some(d) if d < end => {
                self.due += 1;
                if closed.is_some() {
                    self.due_closed += 1;
                }
                if on_time {
                    self.due_closed_on_time += 1;
                }
            }
            Some(_) => {}
        }
        if closed.is_none() {
            return;
        }
        self.closed += 1;
        if on_time {
            self.closed_on_time += 1;
        }
        if t.resolved == Some(true) {
            self.resolved += 1;
        }
        let revisit = t
            .revisit_result
            .filter(|r| *r != Response::Unreached)
            .filter(|_| t.revisited_at.is_none_or(|at| at < end));
        if let Some(r) = revisit {
            self.revisited += 1;
            if r.is_satisfied() {
                self.satisfied += 1;
            }
        }
    }

    pub fn kpis(&self, policy: &RatePolicy) -> HotlineKpis {
        HotlineKpis {
            counts: *self,
            closure_rate: policy.rate(self.due_closed, self.due),
            on_time_closure_rate: policy.rate(self.due_closed_on_time, self.due),
            timely_rate: policy.rate(self.closed_on_time, self.closed),
            resolution_rate: policy.rate(self.resolved, self.closed),
            revisit_rate: policy.rate(self.revisited, self.closed),
            satisfaction_rate: policy.rate(self.satisfied, self.revisited),
        }
    }
}

/// Every KPI of a set of tickets, with the counts it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotlineKpis {
    pub counts: KpiCounts,
    /// 结案率 = 结案 / 应结案.
    pub closure_rate: Rate,
    /// 按期结案率 = 按期结案 / 应结案.
    pub on_time_closure_rate: Rate,
    /// 办理及时率 = 按时办结 / 办结.
    pub timely_rate: Rate,
    /// 解决率 = 已解决 / 办结.
    pub resolution_rate: Rate,
    /// 回访率 = 已回访 / 办结.
    pub revisit_rate: Rate,
    /// 满意率 = (满意 + 基本满意) / 已回访.
    pub satisfaction_rate: Rate,
}

impl HotlineKpis {
    pub fn compute<'a>(
        tickets: impl IntoIterator<Item = &'a HotlineTicket>,
        period: &Period,
        policy: &RatePolicy,
    ) -> HotlineKpis {
        KpiCounts::of(tickets, period).kpis(policy)
    }

    /// The rates with their Chinese names, in the order reports list them.
    pub fn named(&self) -> [(&'static str, &Rate); 6] {
        [
            ("结案率", &self.closure_rate),
            ("按期结案率", &self.on_time_closure_rate),
            ("办理及时率", &self.timely_rate),
            ("解决率", &self.resolution_rate),
            ("回访率", &self.revisit_rate),
            ("满意率", &self.satisfaction_rate),
        ]
    }
}

/// How to split tickets into groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HotlineGroup {
    Kind,
    Source,
    Mode,
    Department,
}

/// One group: its count, its share of 受理量, and its own KPIs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupKpis {
    pub key: String,
    pub label: String,
    pub count: u64,
    pub share: Rate,
    pub kpis: HotlineKpis,
}

fn group_key(t: &HotlineTicket, group: HotlineGroup) -> (i64, String) {
    match group {
        HotlineGroup::Kind => (t.kind.code(), t.kind.name().to_string()),
        HotlineGroup::Source => (t.source.code(), t.source.name().to_string()),
        HotlineGroup::Mode => (t.mode.code(), t.mode.name().to_string()),
        HotlineGroup::Department => (
            0,
            t.department
                .clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| "(未指定承办单位)".to_string()),
        ),
    }
}

/// Groups of the tickets received in `period`, largest first (ties in code order), each with
/// its share of 受理量 and its KPIs. Groups with no ticket are not listed.
pub fn group_kpis(
    tickets: &[HotlineTicket],
    period: &Period,
    policy: &RatePolicy,
    group: HotlineGroup,
) -> Vec<GroupKpis> {
    let total = KpiCounts::of(tickets, period).received;
    let mut groups: BTreeMap<(i64, String), Vec<&HotlineTicket>> = BTreeMap::new();
    for t in tickets {
        groups.entry(group_key(t, group)).or_default().push(t);
    }
    let mut out: Vec<GroupKpis> = groups
        .into_iter()
        .map(|((code, label), ts)| {
            let counts = KpiCounts::of(ts, period);
            GroupKpis {
                key: if group == HotlineGroup::Department {
                    label.clone()
                } else {
                    code.to_string()
                },
                label,
                count: counts.received,
                share: policy.rate(counts.received, total),
                kpis: counts.kpis(policy),
            }
        })
        .filter(|g| g.count > 0)
        .collect();
    // Stable: equal counts keep code (or name) order.
    out.sort_by_key(|g| std::cmp::Reverse(g.count));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_datetime;

    fn at(s: &str) -> NaiveDateTime {
        parse_datetime(s).unwrap()
    }

    fn period() -> Period {
        Period::new("2023-01-01".parse().unwrap(), "2023-10-31".parse().unwrap()).unwrap()
    }

    /// Received 03-01, due 03-08, closed 03-05, resolved, revisited 满意.
    fn ideal(kind: TicketKind) -> HotlineTicket {
        HotlineTicket {
            kind,
            source: TicketSource::Phone,
            mode: HandlingMode::Transfer,
            department: Some("市政务服务中心".into()),
            received_at: at("2023-03-01 09:00:00"),
            due_at: Some(at("2023-03-08 18:00:00")),
            closed_at: Some(at("2023-03-05 10:00:00")),
            resolved: Some(true),
            revisited_at: Some(at("2023-03-06 10:00:00")),
            revisit_result: Some(Response::Satisfied),
        }
    }

    #[test]
    fn all_ideal_tickets_score_100_percent() {
        let ts: Vec<HotlineTicket> = (0..31).map(|_| ideal(TicketKind::Help)).collect();
        let k = HotlineKpis::compute(&ts, &period(), &RatePolicy::default());
        assert_eq!(k.counts.received, 31);
        for (name, r) in k.named() {
            assert_eq!(r.printed, "100%", "{name}");
        }
    }

    #[test]
    fn edge_cases_have_known_answers() {
        let p = period();
        let mut ts = Vec::new();
        // 1: ideal.
        ts.push(ideal(TicketKind::Help));
        // 2: due after the end of P and still open: received, not 应结案, not 办结.
        let mut t = ideal(TicketKind::Consult);
        t.received_at = at("2023-10-30 09:00:00");
        t.due_at = Some(at("2023-11-06 18:00:00"));
        t.closed_at = None;
        t.resolved = None;
        t.revisited_at = None;
        t.revisit_result = None;
        ts.push(t);
        // 3: due in P, closed after the end of P: 应结案 but not 结案, not 办结; its
        // revisit (also after P) does not count.
        let mut t = ideal(TicketKind::Complaint);
        t.received_at = at("2023-10-20 09:00:00");
        t.due_at = Some(at("2023-10-27 18:00:00"));
        t.closed_at = Some(at("2023-11-02 10:00:00"));
        t.revisited_at = Some(at("2023-11-03 10:00:00"));
        ts.push(t);
        // 4: closed late (after 办理时限, within P), no revisit, not resolved.
        let mut t = ideal(TicketKind::Suggestion);
        t.closed_at = Some(at("2023-03-09 10:00:00"));
        t.resolved = Some(false);
        t.revisited_at = None;
        t.revisit_result = None;
        ts.push(t);
        // 5: 未联系上 is not a revisit.
        let mut t = ideal(TicketKind::Help);
        t.revisit_result = Some(Response::Unreached);
        ts.push(t);
        // 6: revisited 不满意; no 办理时限 at all (closed, but not on time).
        let mut t = ideal(TicketKind::Help);
        t.due_at = None;
        t.revisit_result = Some(Response::Unsatisfied);
        ts.push(t);
        // 7: 基本满意 counts as satisfied; closed exactly at the deadline is on time.
        let mut t = ideal(TicketKind::Praise);
        t.closed_at = t.due_at;
        t.revisit_result = Some(Response::Basic);
        ts.push(t);
        // 8: received before P: ignored.
        let mut t = ideal(TicketKind::Help);
        t.received_at = at("2022-12-31 23:59:59");
        ts.push(t);

        let c = KpiCounts::of(&ts, &p);
        let want = KpiCounts {
            received: 7,
            due: 5,                // 1, 3, 4, 5, 7
            due_closed: 4,         // 1, 4, 5, 7
            due_closed_on_time: 3, // 1, 5, 7
            closed: 5,             // 1, 4, 5, 6, 7
            closed_on_time: 3,     // 1, 5, 7
            resolved: 4,           // 1, 5, 6, 7
            revisited: 3,          // 1, 6, 7
            satisfied: 2,          // 1, 7
            without_due: 1,        // 6
        };
        assert_eq!(c, want);
        let k = c.kpis(&RatePolicy::default());
        assert_eq!(k.closure_rate.printed, "80.00%");
        assert_eq!(k.on_time_closure_rate.printed, "60.00%");
        assert_eq!(k.timely_rate.printed, "60.00%");
        assert_eq!(k.resolution_rate.printed, "80.00%");
        assert_eq!(k.revisit_rate.printed, "60.00%");
        assert_eq!(k.satisfaction_rate.printed, "66.67%");
        assert_eq!(
            (
                k.satisfaction_rate.numerator,
                k.satisfaction_rate.denominator
            ),
            (2, 3)
        );
    }

    #[test]
    fn an_empty_period_prints_dashes() {
        let k = HotlineKpis::compute(&[], &period(), &RatePolicy::default());
        assert_eq!(k.counts, KpiCounts::default());
        assert!(k.named().iter().all(|(_, r)| r.printed == "—"));
        assert!(k.closure_rate.ratio.is_none());
    }

    #[test]
    fn groups_carry_shares_over_received() {
        let mut ts = Vec::new();
        for (kind, n) in [
            (TicketKind::Suggestion, 12),
            (TicketKind::Help, 15),
            (TicketKind::Consult, 2),
            (TicketKind::Complaint, 1),
            (TicketKind::Praise, 1),
        ] {
            ts.extend((0..n).map(|_| ideal(kind)));
        }
        let g = group_kpis(&ts, &period(), &RatePolicy::default(), HotlineGroup::Kind);
        let got: Vec<(&str, u64, &str)> = g
            .iter()
            .map(|g| (g.label.as_str(), g.count, g.share.printed.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("求助", 15, "48.39%"),
                ("建议", 12, "38.71%"),
                ("咨询", 2, "6.45%"),
                ("投诉", 1, "3.23%"),
                ("表扬", 1, "3.23%"),
            ]
        );
        let by_dept = group_kpis(
            &ts,
            &period(),
            &RatePolicy::default(),
            HotlineGroup::Department,
        );
        assert_eq!(by_dept.len(), 1);
        assert_eq!(by_dept[0].share.printed, "100%");
    }
}
