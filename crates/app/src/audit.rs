//! `audit ratings`: the suspicious-rating audit of a period as a table, CSV or JSON. Only
//! reads: no flag changes a rating or a statistic.

use crate::config::Config;
use crate::error::{AppError, Result};
use crate::settings;
use crate::stats::{TableFormat, Tabulated};
use chrono::NaiveDate;
use jianping_core::Period;
use jianping_core::audit::{AuditFindings, AuditRules, Correction};
use jianping_report::credibility::audit_table;
use jianping_store::Store;
use serde::Serialize;

/// A request of `audit ratings`; thresholds not given keep their defaults.
#[derive(Debug, Clone, Default)]
pub struct AuditRequest {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub format: Option<TableFormat>,
    pub alpha: Option<f64>,
    pub correction: Option<Correction>,
    pub min_ratings: Option<u64>,
    /// Least difference of shares, in percentage points.
    pub min_effect_points: Option<f64>,
}

impl AuditRequest {
    /// The rules the request names over the configuration's `[audit]`, checked.
    pub fn rules(&self, config: &Config) -> Result<AuditRules> {
        let c = &config.audit;
        let correction = match (&self.correction, &c.correction) {
            (Some(x), _) => Some(*x),
            (None, Some(text)) => Some(
                text.parse::<Correction>()
                    .map_err(|e| AppError::Invalid(format!("配置文件 [audit] correction：{e}")))?,
            ),
            (None, None) => None,
        };
        let merged = AuditRequest {
            alpha: self.alpha.or(c.alpha),
            correction,
            min_ratings: self.min_ratings.or(c.min_ratings),
            min_effect_points: self.min_effect_points.or(c.min_effect),
            ..self.clone()
        };
        merged.checked()
    }

    fn checked(&self) -> Result<AuditRules> {
        let mut r = AuditRules::default();
        if let Some(a) = self.alpha {
            if !(a > 0.0 && a < 1.0) {
                return Err(AppError::usage(format!(
                    "alpha（--alpha 或配置 [audit] alpha）{a} 无效：应在 0 和 1 之间，如 0.05"
                )));
            }
            r.alpha = a;
        }
        if let Some(e) = self.min_effect_points {
            if !(0.0..=100.0).contains(&e) {
                return Err(AppError::usage(format!(
                    "min-effect（--min-effect 或配置 [audit] min_effect）{e} 无效：应为 0 到 100 之间的百分点数，如 5"
                )));
            }
            r.min_effect = e / 100.0;
        }
        if let Some(c) = self.correction {
            r.correction = c;
        }
        if let Some(n) = self.min_ratings {
            r.min_window_ratings = n.max(1);
        }
        Ok(r)
    }
}

#[derive(Serialize)]
struct AuditView<'a> {
    period: Period,
    #[serde(flatten)]
    findings: &'a AuditFindings,
}

/// The audit of the request's period, rendered.
pub fn ratings(
    store: &mut Store,
    config: &Config,
    req: &AuditRequest,
    today: NaiveDate,
) -> Result<Tabulated> {
    let rules = req.rules(config)?;
    let period = settings::period(req.from, req.to, today)?;
    let findings = store.rating_audit(&period, &rules)?;
    let bytes = match req.format.unwrap_or(TableFormat::Table) {
        TableFormat::Table => table_text(&findings),
        TableFormat::Csv => audit_table(&findings).to_csv(),
        TableFormat::Json => {
            let view = AuditView {
                period,
                findings: &findings,
            };
            let mut s = serde_json::to_string_pretty(&view).map_err(anyhow::Error::new)?;
            s.push('\n');
            s.into_bytes()
        }
    };
    Ok(Tabulated {
        bytes,
        warnings: Vec::new(),
    })
}

/// The flags' table followed by what was read and the rules, so a reader of the terminal
/// output knows what "no flags" covered.
fn table_text(a: &AuditFindings) -> Vec<u8> {
    let c = &a.coverage;
    let r = &a.rules;
    let mut s = if a.flags.is_empty() {
        "未发现异常评价。\n".to_string()
    } else {
        audit_table(a).to_text()
    };
    s.push_str(&format!(
        "共读取评价 {} 条（{} 个窗口；带设备编号 {} 条、带IP地址 {} 条；系统默认评价 {} 条）；\
         占比检验 {} 个窗口（Fisher 精确检验，{} 校正，校正后 p < {}，且占比相差不少于 {} 个百分点）；\
         异常线索 {} 条。\n",
        c.ratings,
        c.windows,
        c.ratings_with_device,
        c.ratings_with_address,
        c.default_ratings,
        c.grade_mix_tested,
        r.correction.name(),
        r.alpha,
        r.min_effect * 100.0,
        a.flags.len()
    ));
    s.into_bytes()
}
