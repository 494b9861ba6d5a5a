//! Bursts: many ratings within seconds from one device, one address, or one window.

use super::{AuditInput, AuditRating, AuditRules, BurstRule, Flag, FlagKind, fmt_seconds};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Source {
    Device(u32),
    Address(u32),
    /// Ratings with neither device nor address, by window.
    Window(i64),
}

/// Index ranges `[start, end)` of `times` (sorted) in which some span of `seconds` holds at
/// least `min` ratings, overlapping ranges merged, each with its densest count.
pub(crate) fn episodes(times: &[i64], rule: BurstRule) -> Vec<(usize, usize, usize)> {
    let min = rule.min_ratings.max(2) as usize;
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    let mut j = 0;
    for i in 0..times.len() {
        j = j.max(i);
        while j < times.len() && times[j] - times[i] <= i64::from(rule.seconds) {
            j += 1;
        }
        let n = j - i;
        if n < min {
            continue;
        }
        match out.last_mut() {
            Some(last) if i < last.1 => {
                last.1 = last.1.max(j);
                last.2 = last.2.max(n);
            }
            _ => out.push((i, j, n)),
        }
    }
    out
}

fn source_of(r: &AuditRating) -> Option<Source> {
    if r.is_default() {
        return None;
    }
    if r.device != 0 {
        Some(Source::Device(r.device))
    } else if r.address != 0 {
        Some(Source::Address(r.address))
    } else if r.window != 0 {
        Some(Source::Window(r.window))
    } else {
        None
    }
}

pub(crate) fn flags(input: &AuditInput, rules: &AuditRules) -> Vec<Flag> {
    let mut by_source: BTreeMap<Source, Vec<&AuditRating>> = BTreeMap::new();
    for r in &input.ratings {
        if let Some(s) = source_of(r) {
            by_source.entry(s).or_default().push(r);
        }
    }
    let mut out = Vec::new();
    for (source, mut list) in by_source {
        list.sort_by_key(|r| (r.at, r.id));
        let rule = match source {
            Source::Device(_) => rules.device_burst,
            Source::Address(_) => rules.address_burst,
            Source::Window(_) => rules.window_burst,
        };
        let times: Vec<i64> = list.iter().map(|r| r.at).collect();
        for (a, b, densest) in episodes(&times, rule) {
            out.push(flag(input, rules, source, &list[a..b], densest, rule));
        }
    }
    out
}

fn flag(
    input: &AuditInput,
    rules: &AuditRules,
    source: Source,
    run: &[&AuditRating],
    densest: usize,
    rule: BurstRule,
) -> Flag {
    let windows: BTreeSet<i64> = run.iter().map(|r| r.window).filter(|w| *w != 0).collect();
    let subject = match source {
        Source::Device(d) => format!("设备 {}", input.strings.text(d)),
        Source::Address(a) => format!("IP地址 {}", input.strings.text(a)),
        Source::Window(w) => format!("窗口 {}", super::window_ref(input, w).name),
    };
    let staff = most_common_staff(input, run);
    let first = run.first().map_or(0, |r| r.at);
    let last = run.last().map_or(0, |r| r.at);
    let detail = format!(
        "{} 至 {} 共 {} 条评价（{} 秒内最多 {} 条，阈值为 {} 秒内 {} 条）",
        fmt_seconds(first),
        fmt_seconds(last),
        run.len(),
        rule.seconds,
        densest,
        rule.seconds,
        rule.min_ratings
    );
    Flag {
        kind: FlagKind::Burst,
        label: FlagKind::Burst.label(),
        subject,
        windows: windows
            .iter()
            .map(|w| super::window_ref(input, *w))
            .collect(),
        staff,
        count: run.len() as u64,
        detail,
        from: Some(fmt_seconds(first)),
        to: Some(fmt_seconds(last)),
        test: None,
        example_ids: run.iter().take(rules.examples).map(|r| r.id).collect(),
        examples: Vec::new(),
    }
}

fn most_common_staff(input: &AuditInput, run: &[&AuditRating]) -> Option<String> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for r in run.iter().filter(|r| r.staff != 0) {
        *counts.entry(r.staff).or_insert(0) += 1;
    }
    let (id, _) = counts
        .into_iter()
        .max_by_key(|(id, n)| (*n, std::cmp::Reverse(*id)))?;
    input
        .staff
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.name.clone())
}
