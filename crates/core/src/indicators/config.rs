//! The indicator configuration: weights, full marks, formula parameters, deductions, sample
//! minimums and the tie rule, read from a versioned TOML file. The default is embedded;
//! a bureau file may leave parameters out (they take the default's values) but states its
//! own version, and every mistake is refused naming the file and the key.

use super::IndicatorKey;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Value;

/// The embedded default configuration.
pub const DEFAULT_TOML: &str = include_str!("../../data/indicators.toml");

/// What the default is called where a file name would be.
const DEFAULT_SOURCE: &str = "内置默认指标配置";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("指标配置 {file} 有误：{key}{message}")]
pub struct ConfigError {
    pub file: String,
    /// "indicators.satisfaction.floor: ", empty when the whole file is at fault.
    pub key: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorConfig {
    /// The bureau's label for this version of the rules; reports print it.
    pub version: String,
    pub title: String,
    pub full_mark: f64,
    /// Where the configuration was read from.
    pub source: String,
    /// Points per grade (非常满意 … 非常不满意) for average scores.
    pub grade_points: [f64; 5],
    pub sample: SampleRules,
    pub ranking: RankingRules,
    pub deductions: DeductionRules,
    /// The scored indicators, in the seed's order.
    pub indicators: Vec<IndicatorDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleRules {
    pub min_cases: u64,
    pub min_ratings: u64,
    /// Percent of the full mark that indicators with data must cover.
    pub min_coverage: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentGrouping {
    /// City departments and each district's departments are ranked separately.
    ByRegion,
    All,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankingRules {
    pub departments: DepartmentGrouping,
    /// Indicators compared, in order, when totals are equal at `precision`.
    pub tie_break: Vec<IndicatorKey>,
    /// Decimals of points, in print and in comparisons.
    pub precision: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeductionRules {
    /// Points per ledger item not rectified by its due date.
    pub overdue_rectification: f64,
    pub overdue_rectification_max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDef {
    pub key: IndicatorKey,
    pub name: String,
    /// Points of the full mark.
    pub weight: f64,
    pub description: String,
    pub params: BTreeMap<String, ParamValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    Number(f64),
    Texts(Vec<String>),
}

impl IndicatorDef {
    /// A numeric parameter; validation guarantees every parameter of the indicator exists.
    pub fn num(&self, name: &str) -> f64 {
        match self.params.get(name) {
            Some(ParamValue::Number(v)) => *v,
            _ => 0.0,
        }
    }

    pub fn texts(&self, name: &str) -> &[String] {
        match self.params.get(name) {
            Some(ParamValue::Texts(v)) => v,
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    /// A relative share within the indicator: ≥ 0.
    Share,
    /// A number in [min, max]; `open_min` excludes min.
    Number {
        min: f64,
        max: f64,
        open_min: bool,
    },
    Texts,
}

const SHARE: Kind = Kind::Share;
const FRACTION_POSITIVE: Kind = Kind::Number {
    min: 0.0,
    max: 1.0,
    open_min: true,
};
const FRACTION: Kind = Kind::Number {
    min: 0.0,
    max: 1.0,
    open_min: false,
};
const POSITIVE: Kind = Kind::Number {
    min: 0.0,
    max: f64::MAX,
    open_min: true,
};

/// The parameters each indicator's formula reads.
pub(super) fn params_of(key: IndicatorKey) -> &'static [(&'static str, Kind)] {
    match key {
        IndicatorKey::Irregularity => &[
            ("incidents_share", SHARE),
            ("third_party_share", SHARE),
            ("zero_at_per_1000", POSITIVE),
            ("keywords", Kind::Texts),
            ("feedback_categories", Kind::Texts),
            ("qr_domains", Kind::Texts),
        ],
        IndicatorKey::Completeness => &[
            ("scenario_share", SHARE),
            ("e_license_share", SHARE),
            ("cert_free_share", SHARE),
            ("third_party_share", SHARE),
        ],
        IndicatorKey::Maturity => &[
            ("online_full_share", SHARE),
            ("instant_share", SHARE),
            ("compression_share", SHARE),
            ("third_party_share", SHARE),
        ],
        IndicatorKey::Satisfaction => &[
            ("ratings_share", SHARE),
            ("third_party_share", SHARE),
            (
                "floor",
                Kind::Number {
                    min: 0.0,
                    max: 0.999,
                    open_min: false,
                },
            ),
        ],
        IndicatorKey::Comfort => &[
            ("third_party_share", SHARE),
            ("deduction_per_item", FRACTION),
            ("keywords", Kind::Texts),
            ("feedback_categories", Kind::Texts),
            ("qr_domains", Kind::Texts),
        ],
        IndicatorKey::ExtendedHours => &[
            ("matters_share", SHARE),
            ("cases_share", SHARE),
            ("target_case_rate", FRACTION_POSITIVE),
            ("third_party_share", SHARE),
        ],
        IndicatorKey::Assistance => &[
            ("cases_share", SHARE),
            ("satisfaction_share", SHARE),
            ("target_case_rate", FRACTION_POSITIVE),
            (
                "floor",
                Kind::Number {
                    min: 0.0,
                    max: 0.999,
                    open_min: false,
                },
            ),
            ("third_party_share", SHARE),
        ],
        IndicatorKey::OneThing => &[
            ("packages_share", SHARE),
            ("cases_share", SHARE),
            ("target_packages", POSITIVE),
            ("target_case_rate", FRACTION_POSITIVE),
            ("third_party_share", SHARE),
        ],
    }
}

const TOP_KEYS: &[&str] = &[
    "version",
    "title",
    "full_mark",
    "grade_points",
    "sample",
    "ranking",
    "deductions",
    "indicators",
];

impl Default for IndicatorConfig {
    /// The embedded default. It is checked by the tests, so parsing cannot fail.
    fn default() -> Self {
        IndicatorConfig::parse_with(DEFAULT_TOML, DEFAULT_SOURCE, None)
            .expect("the embedded indicator configuration is valid")
    }
}

impl IndicatorConfig {
    /// A bureau file: keys it leaves out take the default's values.
    pub fn parse(text: &str, source: &str) -> Result<IndicatorConfig, ConfigError> {
        let base = IndicatorConfig::default();
        IndicatorConfig::parse_with(text, source, Some(&base))
    }

    /// Reads and parses a bureau file.
    pub fn load(path: &std::path::Path) -> Result<IndicatorConfig, ConfigError> {
        let source = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: source.clone(),
            key: String::new(),
            message: format!("无法读取（{e}）；请检查 jianping.toml 中 [indicators] file 的路径"),
        })?;
        IndicatorConfig::parse(&text, &source)
    }

    pub fn indicator(&self, key: IndicatorKey) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|d| d.key == key)
    }

    fn parse_with(
        text: &str,
        source: &str,
        base: Option<&IndicatorConfig>,
    ) -> Result<IndicatorConfig, ConfigError> {
        let cx = Cx { file: source };
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| cx.err("", format!("不是有效的 TOML：{}", e.to_string().trim_end())))?;
        cx.known_keys("", &table, TOP_KEYS)?;
        let version =
            match table.get("version") {
                Some(v) => cx.text("version", v)?,
                None => return Err(cx.err(
                    "version",
                    "缺少版本号；请写明本配置的版本，如 version = \"2024.1\"，报告会注明所用版本",
                )),
            };
        if version.trim().is_empty() {
            return Err(cx.err("version", "版本号不能为空"));
        }
        let title = match (table.get("title"), base) {
            (Some(v), _) => cx.text("title", v)?,
            (None, Some(b)) => b.title.clone(),
            (None, None) => return Err(cx.missing("title")),
        };
        let full_mark = match (table.get("full_mark"), base) {
            (Some(v), _) => cx.number("full_mark", v, POSITIVE)?,
            (None, Some(b)) => b.full_mark,
            (None, None) => return Err(cx.missing("full_mark")),
        };
        let grade_points = match (table.get("grade_points"), base) {
            (Some(v), _) => cx.grade_points(v)?,
            (None, Some(b)) => b.grade_points,
            (None, None) => return Err(cx.missing("grade_points")),
        };
        let sample = cx.sample(table.get("sample"), base.map(|b| &b.sample))?;
        let deductions = cx.deductions(table.get("deductions"), base.map(|b| &b.deductions))?;
        let indicators = cx.indicators(table.get("indicators"), base)?;
        check_weights(&cx, &indicators, full_mark)?;
        let ranking = cx.ranking(table.get("ranking"), base.map(|b| &b.ranking), &indicators)?;
        Ok(IndicatorConfig {
            version: version.trim().to_string(),
            title,
            full_mark,
            source: source.to_string(),
            grade_points,
            sample,
            ranking,
            deductions,
            indicators,
        })
    }
}

fn check_weights(cx: &Cx, defs: &[IndicatorDef], full_mark: f64) -> Result<(), ConfigError> {
    if defs.is_empty() {
        return Err(cx.err(
            "indicators",
            "没有任何指标；至少配置一个指标及其分值 weight",
        ));
    }
    let sum: f64 = defs.iter().map(|d| d.weight).sum();
    if (sum - full_mark).abs() > 1e-6 {
        let parts: Vec<String> = defs
            .iter()
            .map(|d| format!("{} {}", d.key.key(), fmt_num(d.weight)))
            .collect();
        return Err(cx.err(
            "indicators.*.weight",
            format!(
                "各指标分值之和为 {}（{}），应等于满分 full_mark = {}；请调整分值或满分",
                fmt_num(sum),
                parts.join("、"),
                fmt_num(full_mark)
            ),
        ));
    }
    Ok(())
}

/// 15 → "15", 12.5 → "12.5".
pub(crate) fn fmt_num(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Parsing context: the file name every error names.
struct Cx<'a> {
    file: &'a str,
}

impl Cx<'_> {
    fn err(&self, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: self.file.to_string(),
            key: if key.is_empty() {
                String::new()
            } else {
                format!("{key}：")
            },
            message: message.into(),
        }
    }

    fn missing(&self, key: &str) -> ConfigError {
        self.err(key, "缺少此项")
    }

    fn known_keys(&self, at: &str, t: &toml::Table, known: &[&str]) -> Result<(), ConfigError> {
        for k in t.keys() {
            if !known.contains(&k.as_str()) {
                let key = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                return Err(self.err(
                    &key,
                    format!("未知的参数「{k}」；此处可用的参数：{}", known.join("、")),
                ));
            }
        }
        Ok(())
    }

    fn table<'v>(&self, key: &str, v: &'v Value) -> Result<&'v toml::Table, ConfigError> {
        v.as_table()
            .ok_or_else(|| self.err(key, "应为一个表（[…] 小节）"))
    }

    fn text(&self, key: &str, v: &Value) -> Result<String, ConfigError> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| self.err(key, "应为文本（用英文双引号括起）"))
    }

    fn number(&self, key: &str, v: &Value, kind: Kind) -> Result<f64, ConfigError> {
        let x = match v {
            Value::Integer(i) => *i as f64,
            Value::Float(f) if f.is_finite() => *f,
            _ => return Err(self.err(key, "应为数字")),
        };
        match kind {
            Kind::Share if x < 0.0 => {
                Err(self.err(key, format!("占比不能为负数（现为 {}）", fmt_num(x))))
            }
            Kind::Number { min, max, open_min } => {
                let low = if open_min { x <= min } else { x < min };
                if low || x > max {
                    let lower = if open_min { "大于" } else { "不小于" };
                    let upper = if max == f64::MAX {
                        String::new()
                    } else {
                        format!("且不大于 {}", fmt_num(max))
                    };
                    return Err(self.err(
                        key,
                        format!("应{lower} {}{upper}（现为 {}）", fmt_num(min), fmt_num(x)),
                    ));
                }
                Ok(x)
            }
            _ => Ok(x),
        }
    }

    fn count(&self, key: &str, v: &Value) -> Result<u64, ConfigError> {
        match v {
            Value::Integer(i) if *i >= 0 => Ok(*i as u64),
            _ => Err(self.err(key, "应为不小于 0 的整数")),
        }
    }

    fn texts(&self, key: &str, v: &Value) -> Result<Vec<String>, ConfigError> {
        let arr = v
            .as_array()
            .ok_or_else(|| self.err(key, "应为文本列表，如 [\"服务态度\", \"推诿\"]"))?;
        arr.iter()
            .map(|x| {
                x.as_str()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| self.err(key, "列表中的每一项都应为非空文本"))
            })
            .collect()
    }

    fn grade_points(&self, v: &Value) -> Result<[f64; 5], ConfigError> {
        let key = "grade_points";
        let arr = v.as_array().filter(|a| a.len() == 5).ok_or_else(|| {
            self.err(
                key,
                "应为 5 个数字：非常满意、满意、基本满意、不满意、非常不满意的分数，如 [10, 8, 6, 3, 0]",
            )
        })?;
        let mut out = [0.0; 5];
        for (slot, x) in out.iter_mut().zip(arr) {
            *slot = self.number(key, x, Kind::Share)?;
        }
        if out[0] <= 0.0 || out.windows(2).any(|w| w[0] < w[1]) {
            return Err(self.err(key, "非常满意的分数应大于 0，且等级越低分数不应越高"));
        }
        Ok(out)
    }
}

mod sections;
