//! 指标体系: the eight indicators of the seed report, scored per department and per region.
//!
//! Everything here is pure: the configuration (a versioned TOML file the bureau edits, with
//! the default embedded in the binary), the inputs (counts per department or region, which
//! the store fills), the formulas, the ranking and the service statistics. The reasoning
//! behind each default formula is in `docs/indicators.md`.

mod config;
mod formulas;
mod inputs;
mod rank;
mod service;
mod tagging;

#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod formulas_tests;
#[cfg(test)]
mod rank_tests;

pub use config::{
    ConfigError, DEFAULT_TOML, DeductionRules, DepartmentGrouping, IndicatorConfig, IndicatorDef,
    ParamValue, RankingRules, SampleRules,
};
pub use formulas::{Component, IndicatorScore, method_text, score_indicator};
pub use inputs::{
    CaseInputs, Evidence, InputSet, MatterCounts, ThirdPartyScores, Unit, UnitInputs, UnitKind,
};
pub use rank::{
    Deduction, IndicatorWeight, RankGroup, Ranked, Ranking, Score, Status, rank_units, score_unit,
};
pub use service::ServiceStats;
pub use tagging::TagRules;

use serde::{Deserialize, Serialize};

/// One of the eight indicators. The order of [`IndicatorKey::ALL`] is the seed's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKey {
    Irregularity,
    Completeness,
    Maturity,
    Satisfaction,
    Comfort,
    ExtendedHours,
    Assistance,
    OneThing,
}

impl IndicatorKey {
    pub const ALL: [IndicatorKey; 8] = [
        IndicatorKey::Irregularity,
        IndicatorKey::Completeness,
        IndicatorKey::Maturity,
        IndicatorKey::Satisfaction,
        IndicatorKey::Comfort,
        IndicatorKey::ExtendedHours,
        IndicatorKey::Assistance,
        IndicatorKey::OneThing,
    ];

    /// The key used in the configuration file.
    pub fn key(self) -> &'static str {
        match self {
            IndicatorKey::Irregularity => "irregularity",
            IndicatorKey::Completeness => "completeness",
            IndicatorKey::Maturity => "maturity",
            IndicatorKey::Satisfaction => "satisfaction",
            IndicatorKey::Comfort => "comfort",
            IndicatorKey::ExtendedHours => "extended_hours",
            IndicatorKey::Assistance => "assistance",
            IndicatorKey::OneThing => "one_thing",
        }
    }

    /// The seed's name, also what the 评估指标 column of a third-party import says.
    pub fn name(self) -> &'static str {
        match self {
            IndicatorKey::Irregularity => "窗口不规范行为",
            IndicatorKey::Completeness => "服务完备度",
            IndicatorKey::Maturity => "服务成熟度",
            IndicatorKey::Satisfaction => "服务满意度",
            IndicatorKey::Comfort => "服务舒适度",
            IndicatorKey::ExtendedHours => "延时服务",
            IndicatorKey::Assistance => "帮办代办",
            IndicatorKey::OneThing => "一件事一次办",
        }
    }

    /// By configuration key or by Chinese name.
    pub fn parse(text: &str) -> Option<IndicatorKey> {
        let t = text.trim();
        IndicatorKey::ALL
            .into_iter()
            .find(|k| k.key() == t || k.name() == t)
    }

    /// "irregularity（窗口不规范行为）、completeness（服务完备度）…", for error messages.
    pub fn listing() -> String {
        IndicatorKey::ALL
            .iter()
            .map(|k| format!("{}（{}）", k.key(), k.name()))
            .collect::<Vec<_>>()
            .join("、")
    }
}

impl std::fmt::Display for IndicatorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
