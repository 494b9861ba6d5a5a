//! A window's share of 非常满意 and of 系统默认评价 against its peers', by Fisher's exact
//! test, corrected for the number of windows tested.

use super::{AuditInput, AuditRules, Flag, FlagKind, ShareTest, TwoByTwo, WindowInfo};
use crate::Grade;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Per-window counts, with a few example rating ids of each kind.
#[derive(Debug, Default, Clone)]
struct Tally {
    n: u64,
    very: u64,
    default: u64,
    very_ids: Vec<i64>,
    other_ids: Vec<i64>,
    default_ids: Vec<i64>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Pool {
    n: u64,
    very: u64,
    default: u64,
    windows: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Group {
    Department(i64),
    Hall(i64),
}

pub(crate) struct Tested {
    pub grade_mix: usize,
    pub default_share: usize,
}

fn tallies(input: &AuditInput, keep: usize) -> BTreeMap<i64, Tally> {
    let mut out: BTreeMap<i64, Tally> = BTreeMap::new();
    for r in input.ratings.iter().filter(|r| r.window != 0) {
        let t = out.entry(r.window).or_default();
        t.n += 1;
        let push = |v: &mut Vec<i64>| {
            if v.len() < keep {
                v.push(r.id);
            }
        };
        if r.grade == Grade::VerySatisfied {
            t.very += 1;
            push(&mut t.very_ids);
        } else {
            push(&mut t.other_ids);
        }
        if r.is_default() {
            t.default += 1;
            push(&mut t.default_ids);
        }
    }
    out
}

fn groups_of(w: Option<&WindowInfo>) -> Vec<Group> {
    let Some(w) = w else { return Vec::new() };
    let mut g = Vec::new();
    if let Some((d, _)) = &w.department {
        g.push(Group::Department(*d));
    }
    if let Some((h, _)) = &w.hall {
        g.push(Group::Hall(*h));
    }
    g
}

fn pools(
    input: &AuditInput,
    tallies: &BTreeMap<i64, Tally>,
    excluded: &HashSet<i64>,
) -> HashMap<Group, Pool> {
    let mut out: HashMap<Group, Pool> = HashMap::new();
    for (w, t) in tallies.iter().filter(|(w, _)| !excluded.contains(w)) {
        for g in groups_of(input.windows.get(w)) {
            let p = out.entry(g).or_default();
            p.n += t.n;
            p.very += t.very;
            p.default += t.default;
            p.windows += 1;
        }
    }
    out
}

/// A window's comparison: its peers (the pool without it) and how the pool is named.
struct Candidate<'a> {
    window: i64,
    tally: &'a Tally,
    peers: Pool,
    peers_label: String,
}

fn peers_label(g: Group, info: Option<&WindowInfo>) -> String {
    match (g, info) {
        (Group::Department(_), Some(i)) => {
            format!("同部门（{}）", i.department.as_ref().map_or("", |d| &d.1))
        }
        (Group::Hall(_), Some(i)) => format!("同大厅（{}）", i.hall.as_ref().map_or("", |h| &h.1)),
        _ => String::new(),
    }
}

/// Every window with enough ratings and a peer group: its department's other windows, else
/// its hall's, leaving out the windows in `excluded`.
fn candidates<'a>(
    input: &AuditInput,
    rules: &AuditRules,
    tallies: &'a BTreeMap<i64, Tally>,
    excluded: &HashSet<i64>,
) -> Vec<Candidate<'a>> {
    let pools = pools(input, tallies, excluded);
    let mut out = Vec::new();
    for (&w, t) in tallies
        .iter()
        .filter(|(_, t)| t.n >= rules.min_window_ratings)
    {
        let info = input.windows.get(&w);
        let mine = !excluded.contains(&w);
        let chosen = groups_of(info).into_iter().find_map(|g| {
            let p = pools.get(&g)?;
            // The pool holds the window itself unless it was left out.
            let own = u64::from(mine);
            let peers = Pool {
                n: p.n - own * t.n,
                very: p.very - own * t.very,
                default: p.default - own * t.default,
                windows: p.windows - usize::from(mine),
            };
            (peers.windows >= 2 && peers.n >= rules.min_window_ratings).then_some((g, peers))
        });
        if let Some((g, peers)) = chosen {
            out.push(Candidate {
                window: w,
                tally: t,
                peers,
                peers_label: peers_label(g, info),
            });
        }
    }
    out
}

/// One family of tests (grade mix or default share).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    GradeMix,
    DefaultShare,
}

impl Family {
    fn table(self, c: &Candidate<'_>) -> TwoByTwo {
        let (k, peer_k) = match self {
            Family::GradeMix => (c.tally.very, c.peers.very),
            Family::DefaultShare => (c.tally.default, c.peers.default),
        };
        TwoByTwo {
            k,
            n: c.tally.n,
            peer_k,
            peer_n: c.peers.n,
        }
    }

    fn p(self, t: &TwoByTwo) -> f64 {
        match self {
            Family::GradeMix => t.p_two_sided(),
            Family::DefaultShare => t.p_greater(),
        }
    }

    fn raised(self, effect: f64, rules: &AuditRules) -> bool {
        match self {
            Family::GradeMix => effect.abs() >= rules.min_effect,
            Family::DefaultShare => effect >= rules.min_effect,
        }
    }
}

/// A test's outcome for one window.
struct Outcome<'a> {
    cand: Candidate<'a>,
    table: TwoByTwo,
    p: f64,
    q: f64,
    flagged: bool,
}

/// Tests every window of a family. An outlier drags its peers' pooled share towards
/// itself, so that every other window of its department would look like an outlier the
/// other way; the windows flagged in one round are therefore left out of every peer pool
/// in the next, until the flagged set no longer changes (at most five rounds).
fn family<'a>(
    input: &AuditInput,
    rules: &AuditRules,
    tallies: &'a BTreeMap<i64, Tally>,
    fam: Family,
) -> Vec<Outcome<'a>> {
    let mut excluded: HashSet<i64> = HashSet::new();
    let mut round = 0;
    loop {
        let cands = candidates(input, rules, tallies, &excluded);
        let tables: Vec<TwoByTwo> = cands.iter().map(|c| fam.table(c)).collect();
        let p: Vec<f64> = tables.iter().map(|t| fam.p(t)).collect();
        let q = rules.correction.adjust(&p);
        let outcomes: Vec<Outcome<'a>> = cands
            .into_iter()
            .zip(tables)
            .zip(p.into_iter().zip(q))
            .map(|((cand, table), (p, q))| {
                let effect = share(table.k, table.n) - share(table.peer_k, table.peer_n);
                let flagged = q < rules.alpha && fam.raised(effect, rules);
                Outcome {
                    cand,
                    table,
                    p,
                    q,
                    flagged,
                }
            })
            .collect();
        let flagged: HashSet<i64> = outcomes
            .iter()
            .filter(|o| o.flagged)
            .map(|o| o.cand.window)
            .collect();
        round += 1;
        if flagged == excluded || round == 5 {
            return outcomes;
        }
        excluded = flagged;
    }
}

pub(crate) fn flags(input: &AuditInput, rules: &AuditRules) -> (Vec<Flag>, Tested) {
    let tallies = tallies(input, rules.examples);
    let mut out = Vec::new();
    let mix = family(input, rules, &tallies, Family::GradeMix);
    for o in mix.iter().filter(|o| o.flagged) {
        let t = test(
            "非常满意",
            &o.table,
            &o.cand,
            "Fisher 精确检验（双侧）",
            o.p,
            o.q,
        );
        let ids = if t.share > t.peer_share {
            &o.cand.tally.very_ids
        } else {
            &o.cand.tally.other_ids
        };
        out.push(flag(input, FlagKind::GradeMix, &o.cand, t, ids));
    }
    let default = family(input, rules, &tallies, Family::DefaultShare);
    for o in default.iter().filter(|o| o.flagged) {
        let name = "Fisher 精确检验（单侧，偏多）";
        let t = test("系统默认评价", &o.table, &o.cand, name, o.p, o.q);
        out.push(flag(
            input,
            FlagKind::DefaultShare,
            &o.cand,
            t,
            &o.cand.tally.default_ids,
        ));
    }
    let tested = Tested {
        grade_mix: mix.len(),
        default_share: default.len(),
    };
    (out, tested)
}

fn share(k: u64, n: u64) -> f64 {
    if n == 0 { 0.0 } else { k as f64 / n as f64 }
}

fn test(category: &str, t: &TwoByTwo, c: &Candidate<'_>, name: &str, p: f64, q: f64) -> ShareTest {
    ShareTest {
        category: category.to_string(),
        count: t.k,
        total: t.n,
        share: share(t.k, t.n),
        peer_count: t.peer_k,
        peer_total: t.peer_n,
        peer_share: share(t.peer_k, t.peer_n),
        peers: c.peers_label.clone(),
        peer_windows: c.peers.windows,
        expected: t.expected(),
        test: name.to_string(),
        p_value: p,
        adjusted_p: q,
    }
}

fn flag(input: &AuditInput, kind: FlagKind, c: &Candidate<'_>, t: ShareTest, ids: &[i64]) -> Flag {
    let w = super::window_ref(input, c.window);
    let detail = format!(
        "{}占比 {:.1}%（{}/{}），{} {} 个窗口合计 {:.1}%（{}/{}），按对照组占比应约 {:.0} 条；p = {}，校正后 p = {}",
        t.category,
        t.share * 100.0,
        t.count,
        t.total,
        t.peers,
        t.peer_windows,
        t.peer_share * 100.0,
        t.peer_count,
        t.peer_total,
        t.expected,
        fmt_p(t.p_value),
        fmt_p(t.adjusted_p)
    );
    Flag {
        kind,
        label: kind.label(),
        subject: format!("窗口 {}", w.name),
        windows: vec![w],
        staff: None,
        count: t.total,
        detail,
        from: None,
        to: None,
        test: Some(t),
        example_ids: ids.to_vec(),
        examples: Vec::new(),
    }
}

/// A p-value as people read it: 0.0123, 3.2e-8, or <1e-300 when it underflows.
pub fn fmt_p(p: f64) -> String {
    if p <= 0.0 {
        "<1e-300".to_string()
    } else if p >= 0.001 {
        format!("{p:.4}")
    } else {
        format!("{p:.1e}")
    }
}
