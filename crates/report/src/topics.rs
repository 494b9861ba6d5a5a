//! 热点问题: what the period's texts are about (jianping-topics), counted per category with
//! shares, the change against a comparison period and one masked example per category;
//! grouped by channel, department or month for `jianping stats topics`. The annual report
//! and the monthly bulletin print [`TopicSection`] through their templates.

use crate::ReportError;
use crate::tabular::Table;
use chrono::{Datelike, Months};
use jianping_core::ledger::SourceKind;
use jianping_core::{Period, Rate, RatePolicy};
use jianping_store::Store;
use jianping_store::queries::topics::{TopicSources, TopicText};
use jianping_topics::{Classifier, Dictionary, NewTerm, TermCounts, mask_example};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the period is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// The same dates a year earlier (上年同期): the annual report.
    #[default]
    YearBefore,
    /// The period of the same length just before (上月 for a calendar month): the bulletin.
    PreviousPeriod,
}

impl Comparison {
    pub fn period(self, p: &Period) -> Period {
        match self {
            Comparison::YearBefore => shift(p, Months::new(12)),
            Comparison::PreviousPeriod => match whole_months(p) {
                Some(n) => shift(p, Months::new(n)),
                None => {
                    let days = (p.to - p.from).num_days() + 1;
                    let to = p.from.pred_opt().unwrap_or(p.from);
                    let from = to - chrono::Duration::days(days - 1);
                    Period::new(from, to).unwrap_or(*p)
                }
            },
        }
    }

    /// "上年同期", "上月", "上期".
    pub fn label(self, p: &Period) -> &'static str {
        match (self, whole_months(p)) {
            (Comparison::YearBefore, _) => "上年同期",
            (Comparison::PreviousPeriod, Some(1)) => "上月",
            (Comparison::PreviousPeriod, _) => "上期",
        }
    }
}

/// Calendar months the period spans exactly (from a 1st to a month's last day).
fn whole_months(p: &Period) -> Option<u32> {
    let next = p.to.succ_opt()?;
    if p.from.day() != 1 || next.day() != 1 {
        return None;
    }
    let months = (next.year() - p.from.year()) * 12 + next.month() as i32 - p.from.month() as i32;
    u32::try_from(months).ok()
}

fn shift(p: &Period, back: Months) -> Period {
    let from = p.from.checked_sub_months(back).unwrap_or(p.from);
    let to = if whole_months(p).is_some() {
        // Keep month ends month ends (2024-02-29 → 2023-02-28, 2023-10-31 → 2023-09-30).
        let next = p.to.succ_opt().unwrap_or(p.to);
        next.checked_sub_months(back)
            .and_then(|d| d.pred_opt())
            .unwrap_or(p.to)
    } else {
        p.to.checked_sub_months(back).unwrap_or(p.to)
    };
    Period::new(from, to).unwrap_or(*p)
}

/// What the analysis reads and how much it lists.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicSettings {
    pub sources: TopicSources,
    /// The dictionary; the one saved in the store (else the shipped one) when `None`.
    pub dictionary: Option<Dictionary>,
    pub comparison: Comparison,
    /// Categories named in the 热点问题 paragraph.
    pub top: usize,
    pub new_terms: usize,
}

impl Default for TopicSettings {
    fn default() -> Self {
        TopicSettings {
            sources: TopicSources::default(),
            dictionary: None,
            comparison: Comparison::YearBefore,
            top: 3,
            new_terms: 10,
        }
    }
}

/// Grouping for `jianping stats topics --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicBy {
    Channel,
    Department,
    Month,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicSection {
    pub period: Option<Period>,
    pub previous_period: Option<Period>,
    /// "上年同期", "上月".
    pub previous_label: String,
    /// The channels read, as the text names them ("差评留言、12345工单…").
    pub sources: Vec<String>,
    pub total: u64,
    pub previous_total: u64,
    /// Every category in dictionary order, 其他 last.
    pub categories: Vec<TopicRow>,
    /// Complaint categories with texts, most first (ties in dictionary order), at most
    /// `top` of them.
    pub top: Vec<TopicRow>,
    /// Words of 其他 texts no category covers, most frequent first.
    pub new_terms: Vec<NewTerm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicRow {
    pub name: String,
    pub problem: bool,
    pub count: u64,
    /// Of all texts of the period.
    pub share: Rate,
    pub previous: u64,
    /// `up`, `down`, `same`, or `new` when the comparison period had none.
    pub direction: String,
    /// |count − previous|.
    pub change: u64,
    pub example: Option<TopicExample>,
}

/// One text of the category, personal data masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicExample {
    /// 好差评 / 12345热线 / "码"上监督 / 监督员意见.
    pub channel: String,
    pub number: String,
    pub text: String,
}

/// The name a text's channel has in the report.
pub fn channel_name(s: SourceKind) -> &'static str {
    match s {
        SourceKind::Rating => "好差评",
        SourceKind::Ticket => "12345热线",
        SourceKind::QrReport => "“码”上监督",
        SourceKind::Feedback => "监督员意见",
        SourceKind::Assessment => "第三方评估",
        SourceKind::Manual => "手工登记",
    }
}

fn source_names(s: &TopicSources) -> Vec<String> {
    let mut v = Vec::new();
    if !s.rating_grades.is_empty() {
        v.push("“好差评”评价留言".to_string());
    }
    if s.tickets {
        v.push("12345工单".into());
    }
    if s.qr {
        v.push("“码”上监督反映".into());
    }
    if s.feedback {
        v.push("监督员意见建议".into());
    }
    v
}

/// The texts of a period with their categories.
pub struct Classified {
    pub texts: Vec<TopicText>,
    pub categories: Vec<usize>,
}

/// Reads and classifies a period's texts.
pub fn classify_period(
    store: &mut Store,
    classifier: &Classifier,
    period: &Period,
    sources: &TopicSources,
) -> Result<Classified, ReportError> {
    let texts = store.topic_texts(period, sources)?;
    let strs: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    let categories = classifier.classify_all(&strs);
    Ok(Classified { texts, categories })
}

fn counts(n: usize, c: &Classified) -> Vec<u64> {
    let mut v = vec![0u64; n];
    for &k in &c.categories {
        v[k] += 1;
    }
    v
}

/// The classifier of the settings' dictionary (or the store's).
pub fn classifier_for(
    store: &mut Store,
    settings: &TopicSettings,
) -> Result<std::sync::Arc<Classifier>, ReportError> {
    let dictionary = match &settings.dictionary {
        Some(d) => d.clone(),
        None => store.topic_dictionary()?,
    };
    Ok(Classifier::shared(&dictionary))
}

/// The 热点问题 section of a period.
pub fn build_topics(
    store: &mut Store,
    period: &Period,
    settings: &TopicSettings,
    policy: &RatePolicy,
) -> Result<TopicSection, ReportError> {
    let classifier = classifier_for(store, settings)?;
    let now = classify_period(store, &classifier, period, &settings.sources)?;
    let previous_period = settings.comparison.period(period);
    let before = classify_period(store, &classifier, &previous_period, &settings.sources)?;
    let n = classifier.categories().len();
    let (c_now, c_before) = (counts(n, &now), counts(n, &before));
    let total = now.texts.len() as u64;
    let known = store.person_names()?;
    let categories: Vec<TopicRow> = classifier
        .categories()
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let (count, previous) = (c_now[i], c_before[i]);
            let direction = match (previous, count) {
                (0, c) if c > 0 => "new",
                (p, c) if c > p => "up",
                (p, c) if c < p => "down",
                _ => "same",
            };
            TopicRow {
                name: info.name.clone(),
                problem: info.problem,
                count,
                share: policy.rate(count, total),
                previous,
                direction: direction.into(),
                change: count.abs_diff(previous),
                example: example(&classifier, &now, i, &known),
            }
        })
        .collect();
    let mut top: Vec<TopicRow> = categories
        .iter()
        .filter(|c| c.problem && c.count > 0)
        .cloned()
        .collect();
    top.sort_by_key(|c| std::cmp::Reverse(c.count));
    top.truncate(settings.top);
    let mut terms = TermCounts::default();
    for (t, &k) in now.texts.iter().zip(&now.categories) {
        if k == classifier.other() {
            terms.add(&classifier, &t.text);
        }
    }
    Ok(TopicSection {
        period: Some(*period),
        previous_period: Some(previous_period),
        previous_label: settings.comparison.label(period).to_string(),
        sources: source_names(&settings.sources),
        total,
        previous_total: before.texts.len() as u64,
        categories,
        top,
        new_terms: terms.top(settings.new_terms, 2),
    })
}

/// The category's text with most matches (ties: the earliest), masked and cut to 60
/// characters after masking (a cut could split a phone number before the mask saw it).
fn example(
    classifier: &Classifier,
    c: &Classified,
    category: usize,
    known: &[String],
) -> Option<TopicExample> {
    let best = c
        .texts
        .iter()
        .zip(&c.categories)
        .filter(|(_, k)| **k == category)
        .map(|(t, _)| (classifier.explain(&t.text).matched.len(), t))
        .fold(None::<(usize, &TopicText)>, |acc, (n, t)| match acc {
            Some((m, _)) if m >= n => acc,
            _ => Some((n, t)),
        })?
        .1;
    let mut names: Vec<&str> = known.iter().map(String::as_str).collect();
    if let Some(p) = &best.person {
        names.push(p);
    }
    // The report quotes the example in “”, so its own quotes become ‘’.
    let masked = mask_example(best.text.trim(), &names)
        .replace('“', "‘")
        .replace('”', "’");
    let text = if masked.chars().count() > 60 {
        format!("{}…", masked.chars().take(60).collect::<String>())
    } else {
        masked
    };
    Some(TopicExample {
        channel: channel_name(best.source).into(),
        number: best.number.clone(),
        text: crate::annual::clause(&text),
    })
}

/// `jianping stats topics`: counts per category and group, the agreement of clerks with
/// the suggestions, and the new terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicStats {
    pub period: Period,
    pub by: String,
    pub categories: Vec<String>,
    pub groups: Vec<TopicGroup>,
    pub total: TopicGroup,
    pub new_terms: Vec<NewTerm>,
    pub agreement: Agreement,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicGroup {
    pub key: String,
    pub texts: u64,
    /// One per category, in `categories` order.
    pub counts: Vec<u64>,
}

/// How often clerks kept the suggested category of the period's ledger items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub suggested: u64,
    pub reviewed: u64,
    pub agreed: u64,
    pub rate: Rate,
    pub corrections: Vec<(String, String, u64)>,
}

pub fn topic_stats(
    store: &mut Store,
    period: &Period,
    by: TopicBy,
    settings: &TopicSettings,
    policy: &RatePolicy,
) -> Result<TopicStats, ReportError> {
    let classifier = classifier_for(store, settings)?;
    let c = classify_period(store, &classifier, period, &settings.sources)?;
    let n = classifier.categories().len();
    let mut groups: BTreeMap<(usize, String), TopicGroup> = BTreeMap::new();
    let mut terms = TermCounts::default();
    for (t, &k) in c.texts.iter().zip(&c.categories) {
        let key = match by {
            TopicBy::Channel => (source_rank(t.source), channel_name(t.source).to_string()),
            TopicBy::Department => (
                0,
                t.department
                    .clone()
                    .unwrap_or_else(|| "（未指定部门）".into()),
            ),
            TopicBy::Month => (0, t.month().to_string()),
        };
        let g = groups.entry(key.clone()).or_insert_with(|| TopicGroup {
            key: key.1,
            texts: 0,
            counts: vec![0; n],
        });
        g.texts += 1;
        g.counts[k] += 1;
        if k == classifier.other() {
            terms.add(&classifier, &t.text);
        }
    }
    let total = TopicGroup {
        key: "合计".into(),
        texts: c.texts.len() as u64,
        counts: counts(n, &c),
    };
    let a = store.topic_agreement(Some(period))?;
    Ok(TopicStats {
        period: *period,
        by: match by {
            TopicBy::Channel => "渠道",
            TopicBy::Department => "部门",
            TopicBy::Month => "月份",
        }
        .into(),
        categories: classifier
            .categories()
            .iter()
            .map(|c| c.name.clone())
            .collect(),
        groups: groups.into_values().collect(),
        total,
        new_terms: terms.top(settings.new_terms, 2),
        agreement: Agreement {
            rate: policy.rate(a.agreed, a.reviewed),
            suggested: a.suggested,
            reviewed: a.reviewed,
            agreed: a.agreed,
            corrections: a.corrections,
        },
    })
}

fn source_rank(s: SourceKind) -> usize {
    match s {
        SourceKind::Rating => 0,
        SourceKind::Ticket => 1,
        SourceKind::QrReport => 2,
        SourceKind::Feedback => 3,
        _ => 4,
    }
}

impl TopicStats {
    /// Groups × categories, with a 合计 row.
    pub fn table(&self) -> Table {
        let mut headers = vec![self.by.clone(), "文本数".to_string()];
        headers.extend(self.categories.iter().cloned());
        let row = |g: &TopicGroup| {
            let mut r = vec![g.key.clone(), g.texts.to_string()];
            r.extend(g.counts.iter().map(u64::to_string));
            r
        };
        let mut rows: Vec<Vec<String>> = self.groups.iter().map(row).collect();
        rows.push(row(&self.total));
        Table { headers, rows }
    }

    /// The lines printed under the table: agreement and new terms.
    pub fn notes(&self) -> Vec<String> {
        let a = &self.agreement;
        let mut v = vec![format!(
            "建议类别与人工标注一致率：{}（整改事项 {} 件有建议类别，经办人标注 {} 件，其中与建议一致 {} 件）",
            a.rate.printed, a.suggested, a.reviewed, a.agreed
        )];
        for (s, c, n) in &a.corrections {
            v.push(format!("  建议“{s}”改为“{c}”：{n} 件"));
        }
        if self.new_terms.is_empty() {
            v.push("“其他”类中没有出现两次以上的未覆盖词语".into());
        } else {
            v.push(format!(
                "“其他”类中未被词典覆盖的高频词（可补充到类别词典）：{}",
                self.new_terms
                    .iter()
                    .map(|t| format!("{}（{}）", t.term, t.texts))
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &str, b: &str) -> Period {
        Period::new(a.parse().unwrap(), b.parse().unwrap()).unwrap()
    }

    #[test]
    fn comparison_periods() {
        let oct = p("2023-10-01", "2023-10-31");
        assert_eq!(
            Comparison::PreviousPeriod.period(&oct),
            p("2023-09-01", "2023-09-30")
        );
        assert_eq!(Comparison::PreviousPeriod.label(&oct), "上月");
        assert_eq!(
            Comparison::YearBefore.period(&p("2023-01-01", "2023-10-31")),
            p("2022-01-01", "2022-10-31")
        );
        assert_eq!(
            Comparison::YearBefore.period(&p("2024-02-01", "2024-02-29")),
            p("2023-02-01", "2023-02-28")
        );
        assert_eq!(
            Comparison::PreviousPeriod.period(&p("2023-10-01", "2023-10-15")),
            p("2023-09-16", "2023-09-30")
        );
        assert_eq!(
            Comparison::PreviousPeriod.label(&p("2023-10-01", "2023-10-15")),
            "上期"
        );
    }
}
