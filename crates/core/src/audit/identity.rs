//! Ratings given from a staff member's own phone number or account, or from a jianping
//! login: one flag per (staff member or login, window).

use super::{AuditInput, AuditRating, AuditRules, Flag, FlagKind};
use crate::privacy::mask_phone;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    /// Index into `input.staff`.
    Phone(usize),
    Account(usize),
    Login(u32),
}

fn matches(
    r: &AuditRating,
    phones: &HashMap<u32, Vec<usize>>,
    accounts: &HashMap<u32, Vec<usize>>,
    logins: &HashSet<u32>,
) -> Vec<Via> {
    let mut out = Vec::new();
    if r.phone != 0
        && let Some(list) = phones.get(&r.phone)
    {
        out.extend(list.iter().map(|i| Via::Phone(*i)));
    }
    if r.account != 0 {
        if let Some(list) = accounts.get(&r.account) {
            out.extend(list.iter().map(|i| Via::Account(*i)));
        } else if logins.contains(&r.account) {
            out.push(Via::Login(r.account));
        }
    }
    out
}

pub(crate) fn flags(input: &AuditInput, rules: &AuditRules) -> Vec<Flag> {
    let mut phones: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut accounts: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, s) in input.staff.iter().enumerate() {
        if s.phone != 0 {
            phones.entry(s.phone).or_default().push(i);
        }
        if s.account != 0 {
            accounts.entry(s.account).or_default().push(i);
        }
    }
    let logins: HashSet<u32> = input.logins.iter().copied().collect();
    if phones.is_empty() && accounts.is_empty() && logins.is_empty() {
        return Vec::new();
    }
    let mut groups: BTreeMap<(Via, i64), Vec<&AuditRating>> = BTreeMap::new();
    for r in &input.ratings {
        for via in matches(r, &phones, &accounts, &logins) {
            groups.entry((via, r.window)).or_default().push(r);
        }
    }
    groups
        .into_iter()
        .map(|((via, window), mut list)| {
            list.sort_by_key(|r| (r.at, r.id));
            flag(input, rules, via, window, &list)
        })
        .collect()
}

fn flag(
    input: &AuditInput,
    rules: &AuditRules,
    via: Via,
    window: i64,
    list: &[&AuditRating],
) -> Flag {
    let rated_self = |i: usize| {
        let id = input.staff[i].id;
        list.iter().filter(|r| r.staff == id).count()
    };
    let (subject, staff, detail) = match via {
        Via::Phone(i) | Via::Account(i) => {
            let s = &input.staff[i];
            let how = match via {
                Via::Phone(_) => format!(
                    "评价人电话与工作人员登记的联系电话（{}）相同",
                    mask_phone(input.strings.text(s.phone))
                ),
                _ => "评价人账号与工作人员登记的评价系统账号相同".to_string(),
            };
            let own = rated_self(i);
            (
                format!("工作人员 {}（{}）", s.name, s.department),
                Some(s.name.clone()),
                format!("{how}，共 {} 条，其中 {own} 条评价的是本人", list.len()),
            )
        }
        Via::Login(a) => (
            format!("平台账号 {}", input.strings.text(a)),
            None,
            format!("由本平台的登录账号提交，共 {} 条", list.len()),
        ),
    };
    Flag {
        kind: FlagKind::StaffIdentity,
        label: FlagKind::StaffIdentity.label(),
        subject,
        windows: (window != 0)
            .then(|| super::window_ref(input, window))
            .into_iter()
            .collect(),
        staff,
        count: list.len() as u64,
        detail,
        from: list.first().map(|r| super::fmt_seconds(r.at)),
        to: list.last().map(|r| super::fmt_seconds(r.at)),
        test: None,
        example_ids: list.iter().take(rules.examples).map(|r| r.id).collect(),
        examples: Vec::new(),
    }
}
