//! Suspicious-rating audit (异常评价筛查): windows, staff, devices and addresses whose
//! ratings are implausible. Four patterns, each with its evidence:
//!
//! - **bursts** (短时集中评价): at least `min_ratings` ratings within `seconds` from one
//!   device, one address, or — for ratings carrying neither — one window. A rule, not a
//!   test: one pad cannot be handed to five applicants in a minute, and a window serves one
//!   applicant at a time. System default ratings are issued in batches and are left out.
//! - **staff identity** (工作人员自评): a rating whose 评价人电话 is a staff member's
//!   登记电话, or whose 评价人账号 is a staff member's account or a jianping login.
//! - **grade mix** (评价等级分布异常): the window's share of 非常满意 against its peers'
//!   pooled share (same department, else same hall), Fisher's exact test, two-sided.
//! - **default share** (默认评价占比异常): the window's share of 系统默认评价 above its
//!   peers', Fisher's exact test, one-sided.
//!
//! The two tests are corrected for the number of windows tested (Benjamini–Hochberg by
//! default, Holm on request), each family on its own. A flag is raised when the adjusted
//! p-value is below `alpha` *and* the share differs by at least `min_effect`: with tens of
//! thousands of ratings a difference of a tenth of a point is "significant" and means
//! nothing. The audit only reads: flags never change a rating or a statistic.
//! See `docs/reliability.md`.

mod bursts;
pub mod exact;
mod identity;
mod shares;
#[cfg(test)]
mod tests;

use crate::{Channel, Grade};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use exact::{Correction, TwoByTwo};
pub use shares::fmt_p;

/// The tags that mark a rating as given by the system when an export has no channel for
/// it (some platforms keep the channel of the device and tag the default instead).
pub const DEFAULT_TAGS: &[&str] = &["系统默认评价", "默认好评", "默认评价", "系统默认好评"];

/// A burst threshold: `min_ratings` or more within `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BurstRule {
    pub min_ratings: u32,
    pub seconds: u32,
}

/// The audit's thresholds, all stated in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRules {
    pub device_burst: BurstRule,
    /// Addresses are shared (a hall's Wi-Fi, an office's NAT), so their threshold is higher.
    pub address_burst: BurstRule,
    /// For ratings with neither device nor address.
    pub window_burst: BurstRule,
    /// Windows with fewer ratings are not tested (too few for any test to mean much).
    pub min_window_ratings: u64,
    /// The false-flag level of the adjusted p-values.
    pub alpha: f64,
    pub correction: Correction,
    /// Least difference of shares (window − peers) worth a flag, as a fraction.
    pub min_effect: f64,
    /// Example rating numbers kept per flag.
    pub examples: usize,
}

impl Default for AuditRules {
    fn default() -> Self {
        AuditRules {
            device_burst: BurstRule {
                min_ratings: 5,
                seconds: 60,
            },
            address_burst: BurstRule {
                min_ratings: 10,
                seconds: 60,
            },
            window_burst: BurstRule {
                min_ratings: 5,
                seconds: 60,
            },
            min_window_ratings: 30,
            alpha: 0.05,
            correction: Correction::BenjaminiHochberg,
            min_effect: 0.05,
            examples: 5,
        }
    }
}

/// Interned text: index 0 is "no value".
#[derive(Debug, Clone, Default)]
pub struct Strings {
    list: Vec<String>,
    index: HashMap<String, u32>,
}

impl Strings {
    pub fn new() -> Strings {
        Strings {
            list: vec![String::new()],
            index: HashMap::new(),
        }
    }

    /// The id of `s` (0 for an empty one), adding it when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if self.list.is_empty() {
            self.list.push(String::new());
        }
        if s.is_empty() {
            return 0;
        }
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    /// The id of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }

    pub fn text(&self, i: u32) -> &str {
        self.list.get(i as usize).map_or("", String::as_str)
    }
}

/// One rating as the audit sees it. Ids are the store's; 0 means none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AuditRating {
    pub id: i64,
    pub window: i64,
    pub staff: i64,
    pub grade: Grade,
    pub channel: Channel,
    /// Seconds since 1970-01-01 00:00:00 of the local wall-clock time.
    pub at: i64,
    pub device: u32,
    pub address: u32,
    /// Normalised (see [`normalize_account`]).
    pub account: u32,
    /// Normalised (see [`normalize_phone`]).
    pub phone: u32,
    /// Carries one of [`DEFAULT_TAGS`].
    pub default_tag: bool,
}

impl AuditRating {
    /// Given by the system rather than by a person.
    pub fn is_default(&self) -> bool {
        self.channel == Channel::SystemDefault || self.default_tag
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowInfo {
    pub name: String,
    pub department: Option<(i64, String)>,
    pub hall: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffInfo {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub phone: u32,
    pub account: u32,
}

/// Everything the audit reads, as the store hands it over.
#[derive(Debug, Clone, Default)]
pub struct AuditInput {
    pub ratings: Vec<AuditRating>,
    pub strings: Strings,
    pub windows: HashMap<i64, WindowInfo>,
    pub staff: Vec<StaffInfo>,
    /// jianping logins (interned, normalised): a rating from one came from inside.
    pub logins: Vec<u32>,
}

/// Digits of a phone number without the country code, or None when it cannot identify a
/// person (masked, too short).
pub fn normalize_phone(raw: &str) -> Option<String> {
    if raw.contains('*') {
        return None;
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.strip_prefix("86") {
        Some(rest) if digits.len() == 13 => rest.to_string(),
        _ => digits,
    };
    (national.len() >= 7).then_some(national)
}

/// Accounts compare without case and surrounding spaces.
pub fn normalize_account(raw: &str) -> Option<String> {
    let t = raw.trim().to_lowercase();
    (!t.is_empty()).then_some(t)
}

/// Whether a rating's tags mark it as a system default.
pub fn has_default_tag(tags: &str) -> bool {
    DEFAULT_TAGS.iter().any(|t| tags.contains(t))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    Burst,
    StaffIdentity,
    GradeMix,
    DefaultShare,
}

impl FlagKind {
    pub const ALL: [FlagKind; 4] = [
        FlagKind::Burst,
        FlagKind::StaffIdentity,
        FlagKind::GradeMix,
        FlagKind::DefaultShare,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FlagKind::Burst => "短时集中评价",
            FlagKind::StaffIdentity => "工作人员自评",
            FlagKind::GradeMix => "评价等级分布异常",
            FlagKind::DefaultShare => "默认评价占比异常",
        }
    }
}

/// A window a flag concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowRef {
    pub id: i64,
    pub name: String,
    pub department: Option<String>,
    pub hall: Option<String>,
}

/// The result of a share test, for the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareTest {
    /// What is counted: 非常满意 or 系统默认评价.
    pub category: String,
    pub count: u64,
    pub total: u64,
    pub share: f64,
    pub peer_count: u64,
    pub peer_total: u64,
    pub peer_share: f64,
    /// 同部门 / 同大厅, with its name, and how many windows it pools.
    pub peers: String,
    pub peer_windows: usize,
    /// The window's count expected at the peers' share.
    pub expected: f64,
    pub test: String,
    pub p_value: f64,
    pub adjusted_p: f64,
}

/// One flag and its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub label: &'static str,
    /// What is flagged, for people: 设备 PAD-01, 窗口 …, 工作人员 ….
    pub subject: String,
    pub windows: Vec<WindowRef>,
    /// The staff member concerned, when one is.
    pub staff: Option<String>,
    /// Ratings involved.
    pub count: u64,
    /// One sentence of evidence.
    pub detail: String,
    /// Bursts: the first and last rating's time.
    pub from: Option<String>,
    pub to: Option<String>,
    pub test: Option<ShareTest>,
    /// Rating ids of examples; the store turns them into 评价编号.
    #[serde(skip)]
    pub example_ids: Vec<i64>,
    pub examples: Vec<String>,
}

/// How many windows each test covered.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Coverage {
    pub ratings: u64,
    pub windows: usize,
    pub grade_mix_tested: usize,
    pub default_share_tested: usize,
    /// Windows with too few ratings or no peer group to compare with.
    pub untested: usize,
    pub ratings_with_device: u64,
    pub ratings_with_address: u64,
    pub default_ratings: u64,
}

/// The audit's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditFindings {
    pub rules: AuditRules,
    pub coverage: Coverage,
    pub flags: Vec<Flag>,
}

impl AuditFindings {
    pub fn count(&self, kind: FlagKind) -> usize {
        self.flags.iter().filter(|f| f.kind == kind).count()
    }
}

/// Runs every check. `input.ratings` may be in any order.
pub fn audit(input: &AuditInput, rules: &AuditRules) -> AuditFindings {
    let mut flags = bursts::flags(input, rules);
    flags.extend(identity::flags(input, rules));
    let (share_flags, tested) = shares::flags(input, rules);
    flags.extend(share_flags);
    let windows: std::collections::HashSet<i64> = input
        .ratings
        .iter()
        .filter(|r| r.window != 0)
        .map(|r| r.window)
        .collect();
    let coverage = Coverage {
        ratings: input.ratings.len() as u64,
        windows: windows.len(),
        grade_mix_tested: tested.grade_mix,
        default_share_tested: tested.default_share,
        untested: windows.len().saturating_sub(tested.grade_mix),
        ratings_with_device: input.ratings.iter().filter(|r| r.device != 0).count() as u64,
        ratings_with_address: input.ratings.iter().filter(|r| r.address != 0).count() as u64,
        default_ratings: input.ratings.iter().filter(|r| r.is_default()).count() as u64,
    };
    AuditFindings {
        rules: rules.clone(),
        coverage,
        flags,
    }
}

/// The window as a flag names it.
pub(crate) fn window_ref(input: &AuditInput, id: i64) -> WindowRef {
    let info = input.windows.get(&id);
    WindowRef {
        id,
        name: info.map_or_else(|| format!("窗口{id}"), |w| w.name.clone()),
        department: info.and_then(|w| w.department.as_ref().map(|d| d.1.clone())),
        hall: info.and_then(|w| w.hall.as_ref().map(|h| h.1.clone())),
    }
}

/// `YYYY-MM-DD HH:MM:SS` of seconds since 1970 (local wall clock).
pub fn fmt_seconds(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| crate::time::fmt_ts(&t.naive_utc()))
        .unwrap_or_default()
}

/// Seconds since 1970 of a stored `YYYY-MM-DD HH:MM:SS`, read without chrono's format
/// machinery (a million of them per audit); other forms go through the general parser.
pub fn seconds_of(ts: &str) -> Option<i64> {
    let b = ts.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = b.get(r)?;
        s.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let fast = (b.len() == 19 && b[4] == b'-' && b[10] == b' ').then(|| {
        let date = chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
        let t = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
        Some(t.and_utc().timestamp())
    });
    match fast.flatten() {
        Some(s) => Some(s),
        None => crate::time::parse_datetime(ts)
            .ok()
            .map(|t| t.and_utc().timestamp()),
    }
}
