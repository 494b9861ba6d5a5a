//! Sections 三, 五, 六 and 七: the 12345 hotline, supervisors, "码"上监督 and third-party
//! assessment.

use crate::ReportError;
use crate::annual::{Warnings, clause, ledger_state};
use crate::model::*;
use chrono::Datelike;
use jianping_core::hotline_kpi::{HotlineGroup, HotlineKpis, HotlineTicket, group_kpis};
use jianping_core::privacy::mask_free_text;
use jianping_core::time::{parse_date, parse_datetime};
use jianping_core::{HandlingMode, Period, RatePolicy, Response, TicketKind, TicketSource};
use jianping_store::Store;
use jianping_store::queries::TicketFact;

/// A stored ticket as the KPIs see it; `None` when a stored code or time does not parse.
pub fn hotline_ticket(f: &TicketFact) -> Option<HotlineTicket> {
    let time = |t: &Option<String>| -> Option<Option<chrono::NaiveDateTime>> {
        match t {
            None => Some(None),
            Some(s) => parse_datetime(s).ok().map(Some),
        }
    };
    Some(HotlineTicket {
        kind: TicketKind::from_code(f.kind)?,
        source: TicketSource::from_code(f.source)?,
        mode: HandlingMode::from_code(f.mode)?,
        department: Some(f.department.clone()).filter(|d| !d.is_empty()),
        received_at: parse_datetime(&f.received_at).ok()?,
        due_at: time(&f.due_at)?,
        closed_at: time(&f.closed_at)?,
        resolved: f.resolved,
        revisited_at: time(&f.revisited_at)?,
        revisit_result: match f.revisit_result {
            None => None,
            Some(c) => Some(Response::from_code(c)?),
        },
    })
}

/// The tickets received in the period, converted; unreadable ones are reported.
pub fn load_tickets(
    store: &mut Store,
    period: &Period,
    warnings: &mut Warnings,
) -> Result<Vec<HotlineTicket>, ReportError> {
    let facts = store.tickets_received(period)?;
    let mut out = Vec::with_capacity(facts.len());
    let mut bad = Vec::new();
    for f in &facts {
        match hotline_ticket(f) {
            Some(t) => out.push(t),
            None => bad.push(f.ticket_no.as_str()),
        }
    }
    if !bad.is_empty() {
        warnings.add(
            "12345热线",
            format!(
                "{} 张工单的编码或时间无法识别，未计入：{}",
                bad.len(),
                bad.iter().take(10).copied().collect::<Vec<_>>().join("、")
            ),
        );
    }
    Ok(out)
}

pub fn hotline(
    store: &mut Store,
    period: &Period,
    policy: &RatePolicy,
    recipient: Option<String>,
    warnings: &mut Warnings,
) -> Result<HotlineSection, ReportError> {
    let tickets = load_tickets(store, period, warnings)?;
    let kpis = HotlineKpis::compute(&tickets, period, policy);
    let ledger = store.ledger_source_summary(jianping_core::ledger::SourceKind::Ticket, period)?;
    if kpis.counts.without_due > 0 {
        warnings.add(
            "12345热线",
            format!(
                "{} 张工单没有办理时限，不计入应结案，也不计为按时办结",
                kpis.counts.without_due
            ),
        );
    }
    Ok(HotlineSection {
        recipient,
        received: kpis.counts.received,
        transferred: tickets
            .iter()
            .filter(|t| t.mode == HandlingMode::Transfer)
            .count() as u64,
        by_kind: group_kpis(&tickets, period, policy, HotlineGroup::Kind),
        by_source: group_kpis(&tickets, period, policy, HotlineGroup::Source),
        by_mode: group_kpis(&tickets, period, policy, HotlineGroup::Mode),
        kpis,
        rectification: Rectification::from_summary(&ledger),
    })
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    let v = value.trim();
    if !v.is_empty() && !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}

pub fn supervisors(store: &mut Store, period: &Period) -> Result<SupervisorSection, ReportError> {
    let sups = store.supervisors_in_office(period)?;
    let mut categories = Vec::new();
    for s in &sups {
        push_unique(&mut categories, &s.category);
    }
    let years: Vec<i32> = sups
        .iter()
        .filter_map(|s| parse_date(&s.appointed_on).ok())
        .map(|d| d.year())
        .collect();
    let feedback = store.feedback_in(period)?;
    let mut methods = Vec::new();
    let mut by_category: Vec<FeedbackCategory> = Vec::new();
    for f in &feedback {
        if let Some(m) = &f.method {
            push_unique(&mut methods, m);
        }
        let item = FeedbackItem {
            feedback_no: f.feedback_no.clone(),
            content: clause(&f.content),
            department: f.department.clone(),
            ledger: f.ledger.as_ref().map(ledger_state),
        };
        match by_category.iter_mut().find(|c| c.category == f.category) {
            Some(c) => c.items.push(item),
            None => by_category.push(FeedbackCategory {
                category: f.category.clone(),
                items: vec![item],
            }),
        }
    }
    let rectification = Rectification::of(
        by_category
            .iter()
            .flat_map(|c| &c.items)
            .map(|i| (i.department.as_deref(), i.ledger.as_ref())),
    );
    Ok(SupervisorSection {
        count: sups.len() as u64,
        categories,
        first_year: years.iter().min().copied(),
        last_year: years.iter().max().copied(),
        feedback: feedback.len() as u64,
        methods,
        by_category,
        rectification,
    })
}

pub fn qr(store: &mut Store, period: &Period, domain: &str) -> Result<QrSection, ReportError> {
    let reports = store.qr_reports_in(period)?;
    let end = period.end_ts();
    let is_closed = |c: &Option<String>| c.as_deref().is_some_and(|c| c <= end.as_str());
    let in_domain: Vec<QrItem> = reports
        .iter()
        .filter(|q| q.domain == domain)
        .map(|q| QrItem {
            report_no: q.report_no.clone(),
            received_at: q.received_at.clone(),
            department: q.department.clone(),
            content: clause(&q.content),
            handling: q.handling.as_deref().map(clause).filter(|h| !h.is_empty()),
            closed: is_closed(&q.closed_at),
            ledger: q.ledger.as_ref().map(ledger_state),
        })
        .collect();
    let common_handling = match in_domain.first().and_then(|q| q.handling.clone()) {
        Some(h) if in_domain.iter().all(|q| q.handling.as_ref() == Some(&h)) => Some(h),
        _ => None,
    };
    let rectification = Rectification::of(
        in_domain
            .iter()
            .map(|q| (q.department.as_deref(), q.ledger.as_ref())),
    );
    Ok(QrSection {
        received: reports.len() as u64,
        closed: reports.iter().filter(|q| is_closed(&q.closed_at)).count() as u64,
        domain: domain.to_string(),
        in_domain,
        common_handling,
        rectification,
    })
}

pub fn assessment(store: &mut Store, period: &Period) -> Result<AssessmentSection, ReportError> {
    let rows = store.findings_in(period)?;
    let (mut projects, mut assessors, mut methods, mut roles) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in &rows {
        push_unique(&mut projects, &r.project);
        if let Some(a) = &r.assessor {
            push_unique(&mut assessors, a);
        }
        push_unique(&mut methods, &r.method);
        if let Some(role) = &r.role {
            push_unique(&mut roles, role);
        }
    }
    // A row that only scores an indicator is not a finding (docs/indicators.md).
    let findings: Vec<FindingItem> = rows
        .iter()
        .filter(|r| !r.finding.trim().is_empty())
        .map(|r| FindingItem {
            finding_no: r.finding_no.clone(),
            finding: clause(&r.finding),
            response: r.response.as_deref().map(clause).filter(|s| !s.is_empty()),
            department: r.department.clone(),
            indicator: r.indicator.clone(),
            score: r.score,
            full_score: r.full_score,
            ledger: r.ledger.as_ref().map(ledger_state),
        })
        .collect();
    Ok(AssessmentSection {
        projects,
        assessors: assessors.iter().map(|a| mask_free_text(a)).collect(),
        methods,
        roles,
        all_responded: !findings.is_empty() && findings.iter().all(|f| f.response.is_some()),
        findings,
        scores: assessment_scores(&rows),
    })
}

/// Score rows per indicator, in order of first appearance; a row without 满分 is out of 100.
fn assessment_scores(
    rows: &[jianping_store::queries::channels::FindingRow],
) -> Vec<AssessmentScore> {
    let mut out: Vec<(String, u64, Vec<String>, f64)> = Vec::new();
    for r in rows {
        let (Some(score), Some(indicator)) = (r.score, r.indicator.as_deref()) else {
            continue;
        };
        let full = r
            .full_score
            .unwrap_or(jianping_store::queries::indicators::DEFAULT_FULL_SCORE);
        if full <= 0.0 {
            continue;
        }
        let i = match out.iter().position(|(n, ..)| n == indicator) {
            Some(i) => i,
            None => {
                out.push((indicator.to_string(), 0, Vec::new(), 0.0));
                out.len() - 1
            }
        };
        let e = &mut out[i];
        e.1 += 1;
        e.3 += (score / full).clamp(0.0, 1.0);
        if let Some(d) = &r.department
            && !e.2.contains(d)
        {
            e.2.push(d.clone());
        }
    }
    out.into_iter()
        .map(|(indicator, rows, depts, sum)| AssessmentScore {
            indicator,
            rows,
            departments: depts.len() as u64,
            mean: format!("{:.1}%", 100.0 * sum / rows as f64),
        })
        .collect()
}
