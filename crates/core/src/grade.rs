//! 好差评 grades and their code mappings.
//!
//! Two numeric orders are in use in the field and they are each other's mirror image, so a
//! bare "1" is ambiguous. Every import therefore states which order its codes follow.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A satisfaction grade. The discriminant is the GB/T 39046 code (1 = 非常满意).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Grade {
    VerySatisfied = 1,
    Satisfied = 2,
    Basic = 3,
    Unsatisfied = 4,
    VeryUnsatisfied = 5,
}

/// Which numeric order a source's grade codes follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GradeCodes {
    /// GB/T 39046-2020: 1 = 非常满意 … 5 = 非常不满意.
    #[default]
    Gbt39046,
    /// The deployed provincial interface: 1 = 非常不满意 … 5 = 非常满意.
    Interface,
}

impl FromStr for GradeCodes {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "gbt39046" | "gb/t39046" | "gbt" => Ok(Self::Gbt39046),
            "interface" | "provincial" => Ok(Self::Interface),
            other => Err(format!(
                "未知的满意度编码方案「{other}」，可选 gbt39046 或 interface"
            )),
        }
    }
}

impl Grade {
    pub const ALL: [Grade; 5] = [
        Grade::VerySatisfied,
        Grade::Satisfied,
        Grade::Basic,
        Grade::Unsatisfied,
        Grade::VeryUnsatisfied,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Grade::VerySatisfied => "非常满意",
            Grade::Satisfied => "满意",
            Grade::Basic => "基本满意",
            Grade::Unsatisfied => "不满意",
            Grade::VeryUnsatisfied => "非常不满意",
        }
    }

    /// The GB/T 39046 code, which is also the value stored in the database.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// Index 0..5 in [`Grade::ALL`] order.
    pub fn index(self) -> usize {
        self as usize - 1
    }

    pub fn from_code(code: i64, codes: GradeCodes) -> Option<Grade> {
        let gbt = match codes {
            GradeCodes::Gbt39046 => code,
            GradeCodes::Interface => 6 - code,
        };
        match gbt {
            1 => Some(Grade::VerySatisfied),
            2 => Some(Grade::Satisfied),
            3 => Some(Grade::Basic),
            4 => Some(Grade::Unsatisfied),
            5 => Some(Grade::VeryUnsatisfied),
            _ => None,
        }
    }

    /// Parses a Chinese name (always accepted) or a numeric code in the given order.
    pub fn parse(text: &str, codes: GradeCodes) -> Result<Grade, String> {
        let t = text.trim();
        if let Some(g) = Grade::from_name(t) {
            return Ok(g);
        }
        if let Ok(n) = t.parse::<f64>()
            && n.fract() == 0.0
            && let Some(g) = Grade::from_code(n as i64, codes)
        {
            return Ok(g);
        }
        Err(format!(
            "无法识别的满意度「{t}」，应为 非常满意/满意/基本满意/不满意/非常不满意 或 1-5 的编码"
        ))
    }

    pub fn from_name(name: &str) -> Option<Grade> {
        Some(match name {
            "非常满意" | "very satisfied" | "very_satisfied" => Grade::VerySatisfied,
            "满意" | "比较满意" | "satisfied" => Grade::Satisfied,
            "基本满意" | "一般" | "basic" | "basically satisfied" => Grade::Basic,
            "不满意" | "unsatisfied" | "dissatisfied" => Grade::Unsatisfied,
            "非常不满意" | "very unsatisfied" | "very dissatisfied" => Grade::VeryUnsatisfied,
            _ => return None,
        })
    }

    pub fn is_bad(self) -> bool {
        matches!(self, Grade::Unsatisfied | Grade::VeryUnsatisfied)
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<Grade> for &'static str {
    fn from(g: Grade) -> Self {
        g.name()
    }
}

impl TryFrom<String> for Grade {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Grade::parse(&s, GradeCodes::Gbt39046)
    }
}

/// Counts per grade, indexed by [`Grade::index`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeCounts(pub [u64; 5]);

impl GradeCounts {
    pub fn add(&mut self, grade: Grade, n: u64) {
        self.0[grade.index()] += n;
    }
    pub fn get(&self, grade: Grade) -> u64 {
        self.0[grade.index()]
    }
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
    pub fn merge(&mut self, other: &GradeCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a += b;
        }
    }
    pub fn sum_of(&self, grades: &[Grade]) -> u64 {
        grades.iter().map(|g| self.get(*g)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_code_orders_are_mirror_images() {
        assert_eq!(
            Grade::from_code(1, GradeCodes::Gbt39046),
            Some(Grade::VerySatisfied)
        );
        assert_eq!(
            Grade::from_code(1, GradeCodes::Interface),
            Some(Grade::VeryUnsatisfied)
        );
        assert_eq!(
            Grade::from_code(5, GradeCodes::Interface),
            Some(Grade::VerySatisfied)
        );
        assert_eq!(
            Grade::from_code(4, GradeCodes::Interface),
            Some(Grade::Satisfied)
        );
        assert_eq!(Grade::from_code(0, GradeCodes::Gbt39046), None);
        assert_eq!(Grade::from_code(6, GradeCodes::Interface), None);
    }

    #[test]
    fn chinese_names_win_over_codes() {
        assert_eq!(
            Grade::parse(" 不满意 ", GradeCodes::Interface),
            Ok(Grade::Unsatisfied)
        );
        assert_eq!(
            Grade::parse("2", GradeCodes::Interface),
            Ok(Grade::Unsatisfied)
        );
        assert_eq!(
            Grade::parse("2.0", GradeCodes::Gbt39046),
            Ok(Grade::Satisfied)
        );
        assert!(Grade::parse("很好", GradeCodes::Gbt39046).is_err());
        assert!(Grade::parse("2.5", GradeCodes::Gbt39046).is_err());
    }
}
