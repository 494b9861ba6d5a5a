//! Which supervision records count as a 窗口不规范行为 or as a facility problem (服务舒适度).
//!
//! Source systems do not tag records with indicators, so the rule is explicit and lives in
//! the configuration: a third-party finding whose 评估指标 names the indicator counts; other
//! records count when their category is listed or their text contains a listed keyword.

use super::{IndicatorConfig, IndicatorKey};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TagRules {
    pub irregular: Rule,
    pub facility: Rule,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rule {
    pub keywords: Vec<String>,
    pub feedback_categories: Vec<String>,
    pub qr_domains: Vec<String>,
}

impl Rule {
    fn of(config: &IndicatorConfig, key: IndicatorKey) -> Rule {
        config
            .indicator(key)
            .map(|d| Rule {
                keywords: d.texts("keywords").to_vec(),
                feedback_categories: d.texts("feedback_categories").to_vec(),
                qr_domains: d.texts("qr_domains").to_vec(),
            })
            .unwrap_or_default()
    }

    fn mentions(&self, text: &str) -> bool {
        self.keywords.iter().any(|k| text.contains(k.as_str()))
    }

    pub fn feedback(&self, category: &str, content: &str) -> bool {
        self.feedback_categories
            .iter()
            .any(|c| c == category.trim())
            || self.mentions(content)
    }

    pub fn qr_report(&self, domain: &str, content: &str) -> bool {
        self.qr_domains.iter().any(|d| d == domain.trim()) && self.mentions(content)
    }
}

impl TagRules {
    pub fn from_config(config: &IndicatorConfig) -> TagRules {
        TagRules {
            irregular: Rule::of(config, IndicatorKey::Irregularity),
            facility: Rule::of(config, IndicatorKey::Comfort),
        }
    }

    /// A third-party finding (a row without a score) for the indicator `key`'s rule: its
    /// 评估指标 names the indicator, or it names none and its text has a keyword.
    pub fn finding(&self, key: IndicatorKey, indicator: Option<&str>, text: &str) -> bool {
        let rule = match key {
            IndicatorKey::Irregularity => &self.irregular,
            IndicatorKey::Comfort => &self.facility,
            _ => return false,
        };
        match indicator.map(str::trim).filter(|i| !i.is_empty()) {
            Some(i) => IndicatorKey::parse(i) == Some(key),
            None => rule.mentions(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_records_are_tagged_as_the_report_reads_them() {
        let rules = TagRules::from_config(&IndicatorConfig::default());
        let irr = &rules.irregular;
        assert!(irr.feedback("事项办理体验", "退休办理窗口人员服务态度较差"));
        assert!(!irr.feedback("事项办理体验", "工伤申报流程长材料多"));
        assert!(irr.qr_report("政务服务", "工作人员服务态度差、未做到“一次性告知”"));
        assert!(!irr.qr_report(
            "政务服务",
            "行政审批办在办理港澳台签注时存在审批环节多、办事耗时长的问题"
        ));
        // Only complaints about government services count, whatever their words.
        assert!(!irr.qr_report("执法监管", "执法人员服务态度差"));
        let fac = &rules.facility;
        assert!(fac.feedback("便民服务", "海勃湾区政务服务大厅缺少复印打印机"));
        assert!(fac.feedback("服务指引", "海南区政务服务大厅导办标识不清晰"));
        assert!(!fac.feedback("服务指引", "政策宣传力度不足"));
    }

    #[test]
    fn a_finding_named_for_an_indicator_counts_whatever_its_words() {
        let rules = TagRules::from_config(&IndicatorConfig::default());
        let k = IndicatorKey::Irregularity;
        assert!(rules.finding(k, Some("窗口不规范行为"), "窗口人员未按要求履职"));
        assert!(rules.finding(k, Some("irregularity"), "…"));
        // Named for another indicator: not an irregularity even with the keyword.
        assert!(!rules.finding(k, Some("服务满意度"), "服务态度需优化"));
        assert!(rules.finding(k, None, "窗口人员服务态度仍需优化"));
        assert!(!rules.finding(IndicatorKey::Maturity, None, "服务态度"));
    }
}
