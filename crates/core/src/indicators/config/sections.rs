//! The sections of the indicator configuration: sample minimums, ranking, deductions and
//! the indicators with their parameters.

use super::{
    Cx, DeductionRules, DepartmentGrouping, IndicatorConfig, IndicatorDef, Kind, ParamValue,
    RankingRules, SampleRules, params_of,
};
use crate::indicators::IndicatorKey;
use std::collections::BTreeMap;
use toml::Value;

impl Cx<'_> {
    /// A value of a section: the file's, else the base's, else an error.
    fn pick<T>(
        &self,
        key: &str,
        given: Option<&Value>,
        base: Option<T>,
        read: impl FnOnce(&Value) -> Result<T, super::ConfigError>,
    ) -> Result<T, super::ConfigError> {
        match (given, base) {
            (Some(v), _) => read(v),
            (None, Some(b)) => Ok(b),
            (None, None) => Err(self.missing(key)),
        }
    }

    pub(super) fn sample(
        &self,
        v: Option<&Value>,
        base: Option<&SampleRules>,
    ) -> Result<SampleRules, super::ConfigError> {
        let empty = toml::Table::new();
        let t = match v {
            Some(v) => self.table("sample", v)?,
            None => &empty,
        };
        self.known_keys("sample", t, &["min_cases", "min_ratings", "min_coverage"])?;
        Ok(SampleRules {
            min_cases: self.pick(
                "sample.min_cases",
                t.get("min_cases"),
                base.map(|b| b.min_cases),
                |v| self.count("sample.min_cases", v),
            )?,
            min_ratings: self.pick(
                "sample.min_ratings",
                t.get("min_ratings"),
                base.map(|b| b.min_ratings),
                |v| self.count("sample.min_ratings", v),
            )?,
            min_coverage: self.pick(
                "sample.min_coverage",
                t.get("min_coverage"),
                base.map(|b| b.min_coverage),
                |v| {
                    self.number(
                        "sample.min_coverage",
                        v,
                        Kind::Number {
                            min: 0.0,
                            max: 100.0,
                            open_min: false,
                        },
                    )
                },
            )?,
        })
    }

    pub(super) fn deductions(
        &self,
        v: Option<&Value>,
        base: Option<&DeductionRules>,
    ) -> Result<DeductionRules, super::ConfigError> {
        let empty = toml::Table::new();
        let t = match v {
            Some(v) => self.table("deductions", v)?,
            None => &empty,
        };
        let keys = ["overdue_rectification", "overdue_rectification_max"];
        self.known_keys("deductions", t, &keys)?;
        let read = |k: &str, b: Option<f64>| {
            let key = format!("deductions.{k}");
            self.pick(&key, t.get(k), b, |v| {
                self.number(&key, v, Kind::Share).map_err(|mut e| {
                    e.message = e.message.replace("占比", "扣分");
                    e
                })
            })
        };
        Ok(DeductionRules {
            overdue_rectification: read(keys[0], base.map(|b| b.overdue_rectification))?,
            overdue_rectification_max: read(keys[1], base.map(|b| b.overdue_rectification_max))?,
        })
    }

    pub(super) fn ranking(
        &self,
        v: Option<&Value>,
        base: Option<&RankingRules>,
        defs: &[IndicatorDef],
    ) -> Result<RankingRules, super::ConfigError> {
        let empty = toml::Table::new();
        let t = match v {
            Some(v) => self.table("ranking", v)?,
            None => &empty,
        };
        self.known_keys("ranking", t, &["departments", "tie_break", "precision"])?;
        let departments = self.pick(
            "ranking.departments",
            t.get("departments"),
            base.map(|b| b.departments),
            |v| match v.as_str() {
                Some("by_region") => Ok(DepartmentGrouping::ByRegion),
                Some("all") => Ok(DepartmentGrouping::All),
                _ => Err(self.err(
                    "ranking.departments",
                    "应为 \"by_region\"（市直部门、各区部门分别排名）或 \"all\"（全部部门一起排名）",
                )),
            },
        )?;
        let tie_break = match t.get("tie_break") {
            Some(v) => self.tie_break(v, defs)?,
            // The default's tie indicators, less those this file does not score.
            None => base
                .map(|b| {
                    b.tie_break
                        .iter()
                        .copied()
                        .filter(|k| defs.iter().any(|d| d.key == *k))
                        .collect()
                })
                .ok_or_else(|| self.missing("ranking.tie_break"))?,
        };
        let precision = self.pick(
            "ranking.precision",
            t.get("precision"),
            base.map(|b| b.precision),
            |v| match v {
                Value::Integer(i) if (0..=4).contains(i) => Ok(*i as u8),
                _ => Err(self.err("ranking.precision", "应为 0 到 4 之间的整数")),
            },
        )?;
        Ok(RankingRules {
            departments,
            tie_break,
            precision,
        })
    }

    fn tie_break(
        &self,
        v: &Value,
        defs: &[IndicatorDef],
    ) -> Result<Vec<IndicatorKey>, super::ConfigError> {
        let key = "ranking.tie_break";
        let mut out = Vec::new();
        for name in self.texts(key, v)? {
            let k = IndicatorKey::parse(&name).ok_or_else(|| {
                self.err(
                    key,
                    format!("未知的指标「{name}」；可用：{}", IndicatorKey::listing()),
                )
            })?;
            if !defs.iter().any(|d| d.key == k) {
                return Err(self.err(
                    key,
                    format!("指标「{name}」未在 [indicators] 中配置，不能用于并列比较"),
                ));
            }
            if !out.contains(&k) {
                out.push(k);
            }
        }
        Ok(out)
    }

    pub(super) fn indicators(
        &self,
        v: Option<&Value>,
        base: Option<&IndicatorConfig>,
    ) -> Result<Vec<IndicatorDef>, super::ConfigError> {
        let t = match v {
            Some(v) => self.table("indicators", v)?,
            None => return Err(self.err("indicators", "缺少 [indicators.…] 指标配置")),
        };
        let mut found: BTreeMap<IndicatorKey, IndicatorDef> = BTreeMap::new();
        for (name, body) in t {
            let key = IndicatorKey::parse(name).ok_or_else(|| {
                self.err(
                    &format!("indicators.{name}"),
                    format!("未知的指标「{name}」；可用：{}", IndicatorKey::listing()),
                )
            })?;
            if found.contains_key(&key) {
                return Err(self.err(
                    &format!("indicators.{name}"),
                    format!("指标「{}」重复配置", key.name()),
                ));
            }
            let def = self.indicator(key, name, body, base.and_then(|b| b.indicator(key)))?;
            found.insert(key, def);
        }
        // The seed's order, whatever the file's.
        Ok(IndicatorKey::ALL
            .iter()
            .filter_map(|k| found.remove(k))
            .collect())
    }

    /// An indicator whose parts all have share 0 would divide by nothing.
    fn check_shares(
        &self,
        at: &str,
        params: &BTreeMap<String, ParamValue>,
    ) -> Result<(), super::ConfigError> {
        let shares: f64 = params
            .iter()
            .filter(|(n, _)| n.ends_with("_share"))
            .filter_map(|(_, v)| match v {
                ParamValue::Number(v) => Some(*v),
                ParamValue::Texts(_) => None,
            })
            .sum();
        if shares <= 0.0 {
            return Err(self.err(
                at,
                "各分项占比（…_share）不能全为 0；不计此指标时请删除整个小节并调整其余指标的分值",
            ));
        }
        Ok(())
    }

    fn indicator(
        &self,
        key: IndicatorKey,
        written: &str,
        body: &Value,
        base: Option<&IndicatorDef>,
    ) -> Result<IndicatorDef, super::ConfigError> {
        let at = format!("indicators.{written}");
        let t = self.table(&at, body)?;
        let specs = params_of(key);
        let mut known: Vec<&str> = vec!["weight", "description"];
        known.extend(specs.iter().map(|(n, _)| *n));
        self.known_keys(&at, t, &known)?;
        let weight = match t.get("weight") {
            Some(v) => self
                .number(&format!("{at}.weight"), v, Kind::Share)
                .map_err(|mut e| {
                    e.message = e.message.replace("占比", "分值");
                    e
                })?,
            None => return Err(self.err(&format!("{at}.weight"), "缺少分值 weight")),
        };
        // A note of the bureau's own; the method itself is described from the parameters.
        let description = match t.get("description") {
            Some(v) => self.text(&format!("{at}.description"), v)?,
            None => String::new(),
        };
        let mut params = BTreeMap::new();
        for (name, kind) in specs {
            let k = format!("{at}.{name}");
            let value = match (t.get(*name), base.and_then(|b| b.params.get(*name))) {
                (Some(v), _) => match kind {
                    Kind::Texts => ParamValue::Texts(self.texts(&k, v)?),
                    _ => ParamValue::Number(self.number(&k, v, *kind)?),
                },
                (None, Some(b)) => b.clone(),
                (None, None) => return Err(self.missing(&k)),
            };
            params.insert(name.to_string(), value);
        }
        self.check_shares(&at, &params)?;
        Ok(IndicatorDef {
            key,
            name: key.name().to_string(),
            weight,
            description,
            params,
        })
    }
}
