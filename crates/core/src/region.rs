//! 行政区划 codes (GB/T 2260 for 6 digits, extended to 9 and 12 digits for towns and villages)
//! and the administrative level each code implies.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RegionLevel {
    Province = 1,
    City = 2,
    District = 3,
    Town = 4,
    Village = 5,
}

impl RegionLevel {
    pub fn name(self) -> &'static str {
        match self {
            RegionLevel::Province => "省",
            RegionLevel::City => "市",
            RegionLevel::District => "区/县",
            RegionLevel::Town => "镇/街道",
            RegionLevel::Village => "村/社区",
        }
    }
    pub fn code(self) -> i64 {
        self as i64
    }
    pub fn from_code(code: i64) -> Option<RegionLevel> {
        [
            RegionLevel::Province,
            RegionLevel::City,
            RegionLevel::District,
            RegionLevel::Town,
            RegionLevel::Village,
        ]
        .into_iter()
        .find(|l| l.code() == code)
    }
}

/// The three tiers the reports group ratings by (市本级 / 区级 / 镇(街道)和村(社区)级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReportTier {
    CityLevel,
    DistrictLevel,
    Grassroots,
}

impl ReportTier {
    pub const ALL: [ReportTier; 3] = [
        ReportTier::CityLevel,
        ReportTier::DistrictLevel,
        ReportTier::Grassroots,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ReportTier::CityLevel => "市本级",
            ReportTier::DistrictLevel => "区级",
            ReportTier::Grassroots => "镇(街道)和村(社区)级",
        }
    }
    pub fn of(level: RegionLevel) -> ReportTier {
        match level {
            RegionLevel::Province | RegionLevel::City => ReportTier::CityLevel,
            RegionLevel::District => ReportTier::DistrictLevel,
            RegionLevel::Town | RegionLevel::Village => ReportTier::Grassroots,
        }
    }
}

/// A validated administrative-division code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(text: &str) -> Result<RegionCode, String> {
        let t = text.trim();
        // Spreadsheets turn codes into numbers such as "150303.0".
        let t = t.strip_suffix(".0").unwrap_or(t);
        if !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("行政区划代码「{t}」只能包含数字"));
        }
        match t.len() {
            6 | 9 | 12 => {}
            n => {
                return Err(format!(
                    "行政区划代码「{t}」长度为 {n} 位，应为 6 位(市/区县)、9 位(镇街)或 12 位(村社区)"
                ));
            }
        }
        if t.len() == 6 && t.ends_with("0000") && t != "000000" {
            return Ok(RegionCode(t.to_string()));
        }
        if t.starts_with("00") {
            return Err(format!("行政区划代码「{t}」的省级部分无效"));
        }
        Ok(RegionCode(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        match self.0.len() {
            12 => RegionLevel::Village,
            9 => RegionLevel::Town,
            _ if self.0.ends_with("0000") => RegionLevel::Province,
            _ if self.0.ends_with("00") => RegionLevel::City,
            _ => RegionLevel::District,
        }
    }

    /// The code of the enclosing region, if any.
    pub fn parent(&self) -> Option<RegionCode> {
        let s = &self.0;
        let p = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::City => format!("{}0000", &s[..2]),
            RegionLevel::District => format!("{}00", &s[..4]),
            RegionLevel::Town => s[..6].to_string(),
            RegionLevel::Village => s[..9].to_string(),
        };
        Some(RegionCode(p))
    }

    /// True when `self` is `other` or lies inside it.
    pub fn within(&self, other: &RegionCode) -> bool {
        let mut cur = Some(self.clone());
        while let Some(c) = cur {
            if &c == other {
                return true;
            }
            cur = c.parent();
        }
        false
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        RegionCode::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_follows_from_the_code() {
        let l = |c: &str| RegionCode::parse(c).unwrap().level();
        assert_eq!(l("150000"), RegionLevel::Province);
        assert_eq!(l("150300"), RegionLevel::City);
        assert_eq!(l("150303"), RegionLevel::District);
        assert_eq!(l("150303100"), RegionLevel::Town);
        assert_eq!(l("150303100201"), RegionLevel::Village);
        assert_eq!(l("150303.0"), RegionLevel::District);
    }

    #[test]
    fn parents_and_containment() {
        let v = RegionCode::parse("150303100201").unwrap();
        assert_eq!(v.parent().unwrap().as_str(), "150303100");
        assert!(v.within(&RegionCode::parse("150300").unwrap()));
        assert!(!v.within(&RegionCode::parse("150302").unwrap()));
        assert_eq!(
            RegionCode::parse("150302")
                .unwrap()
                .parent()
                .unwrap()
                .as_str(),
            "150300"
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        assert!(RegionCode::parse("15030").is_err());
        assert!(RegionCode::parse("15030A").is_err());
        assert!(RegionCode::parse("").is_err());
    }
}
