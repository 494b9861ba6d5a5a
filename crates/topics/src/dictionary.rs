//! The category dictionary: category → keywords, written by the bureau in TOML (a default
//! ships in the binary, `data/default.toml`). Errors name the file and the line, because a
//! clerk edits this file by hand.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

/// The shipped dictionary, as the bureau gets it before editing.
pub const DEFAULT_DICTIONARY: &str = include_str!("../data/default.toml");

/// The bucket for texts no category matches.
pub const OTHER: &str = "其他";

/// A dictionary that could not be read, located for the person who edits it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("类别词典 {origin} 第 {line} 行：{message}")]
pub struct DictionaryError {
    /// The file (or "内置词典", "数据库中保存的词典").
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    /// False for categories that are not complaints (表扬): counted, but never a 热点问题.
    pub problem: bool,
    /// A complaint category that yields to any other complaint category in the same text
    /// (政策咨询: a question that also complains is counted as the complaint).
    pub fallback: bool,
    /// Words and phrases; a text containing one (as a segmented word) matches.
    pub keywords: Vec<String>,
    /// `甲+乙`: every part appears in the same clause (between two punctuation marks).
    pub combinations: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dictionary {
    pub categories: Vec<Category>,
    /// Words never listed as new terms (besides the built-in function words).
    pub stopwords: Vec<String>,
    /// The TOML text it was read from, so it can be stored and shown again.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDictionary {
    #[serde(default)]
    stopwords: Vec<Spanned<String>>,
    #[serde(default)]
    category: Vec<Spanned<RawCategory>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    name: Spanned<String>,
    #[serde(default = "yes")]
    problem: bool,
    #[serde(default)]
    fallback: bool,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    #[serde(default)]
    combinations: Vec<Spanned<String>>,
}

fn yes() -> bool {
    true
}

/// Lowercases ASCII and folds full-width ASCII (ＡＰＰ, ５) to half-width, so keywords and
/// texts compare the way a reader would.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)
                .unwrap_or(c)
                .to_ascii_lowercase(),
            '\u{3000}' => ' ',
            _ => c.to_ascii_lowercase(),
        })
        .collect()
}

impl Dictionary {
    /// The shipped default.
    pub fn builtin() -> Dictionary {
        Dictionary::parse(DEFAULT_DICTIONARY, "内置词典").expect("the shipped dictionary is valid")
    }

    pub fn load(path: &Path) -> Result<Dictionary, DictionaryError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| DictionaryError {
            origin: origin.clone(),
            line: 0,
            message: format!("无法读取（{e}）"),
        })?;
        Dictionary::parse(&text, &origin)
    }

    /// Parses and checks a dictionary; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Dictionary, DictionaryError> {
        let err = |span: std::ops::Range<usize>, message: String| DictionaryError {
            origin: origin.to_string(),
            line: line_of(text, span.start),
            message,
        };
        let raw: RawDictionary = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            DictionaryError {
                origin: origin.to_string(),
                line,
                message: format!("格式错误：{}", e.message()),
            }
        })?;
        if raw.category.is_empty() {
            return Err(err(
                0..0,
                "没有任何类别：每个类别写成 [[category]]，含 name 与 keywords".into(),
            ));
        }
        let mut seen_names: HashMap<String, usize> = HashMap::new();
        let mut seen_words: HashMap<String, String> = HashMap::new();
        let mut categories = Vec::new();
        for c in raw.category {
            let span = c.span();
            let c = c.into_inner();
            let name = c.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(err(c.name.span(), "类别名称为空".into()));
            }
            if name == OTHER {
                return Err(err(
                    c.name.span(),
                    format!("“{OTHER}”由系统自动归入未匹配的文本，不能作为类别名称"),
                ));
            }
            let line = line_of(text, c.name.span().start);
            if let Some(first) = seen_names.insert(name.clone(), line) {
                return Err(err(
                    c.name.span(),
                    format!("类别“{name}”重复（第 {first} 行已定义）"),
                ));
            }
            if c.keywords.is_empty() && c.combinations.is_empty() {
                return Err(err(
                    span,
                    format!("类别“{name}”没有关键词：请填写 keywords"),
                ));
            }
            let mut keywords = Vec::new();
            for k in &c.keywords {
                let word = normalize(k.get_ref().trim());
                if word.is_empty() || word.chars().any(|ch| ch.is_whitespace() || ch == '+') {
                    return Err(err(
                        k.span(),
                        format!(
                            "类别“{name}”的关键词“{}”为空或含空格、加号；组合条件请写在 combinations 中",
                            k.get_ref()
                        ),
                    ));
                }
                if let Some(other) = seen_words.insert(word.clone(), name.clone()) {
                    let message = if other == name {
                        format!("关键词“{word}”在类别“{name}”中重复")
                    } else {
                        format!("关键词“{word}”同时出现在类别“{other}”和“{name}”中，请只保留一处")
                    };
                    return Err(err(k.span(), message));
                }
                keywords.push(word);
            }
            let mut combinations = Vec::new();
            for k in &c.combinations {
                let parts: Vec<String> = k
                    .get_ref()
                    .split('+')
                    .map(|p| normalize(p.trim()))
                    .collect();
                if parts.len() < 2 || parts.iter().any(String::is_empty) {
                    return Err(err(
                        k.span(),
                        format!(
                            "类别“{name}”的组合“{}”应写成“词甲+词乙”（至少两个词，用加号连接）",
                            k.get_ref()
                        ),
                    ));
                }
                combinations.push(parts);
            }
            categories.push(Category {
                name,
                problem: c.problem,
                fallback: c.fallback,
                keywords,
                combinations,
            });
        }
        let stopwords = raw
            .stopwords
            .iter()
            .map(|s| normalize(s.get_ref().trim()))
            .filter(|s| !s.is_empty())
            .collect();
        Ok(Dictionary {
            categories,
            stopwords,
            source: text.to_string(),
        })
    }

    /// Category names in file order, then 其他.
    pub fn names(&self) -> Vec<&str> {
        self.categories
            .iter()
            .map(|c| c.name.as_str())
            .chain(std::iter::once(OTHER))
            .collect()
    }

    /// Whether `name` is a category of this dictionary or 其他.
    pub fn knows(&self, name: &str) -> bool {
        name == OTHER || self.categories.iter().any(|c| c.name == name)
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_dictionary_is_valid() {
        let d = Dictionary::builtin();
        assert!(d.categories.len() >= 8);
        for must in [
            "服务态度",
            "办事效率",
            "排队等候",
            "材料要求",
            "系统故障",
            "收费",
            "政策咨询",
            "环境设施",
        ] {
            assert!(d.knows(must), "{must}");
        }
        assert_eq!(d.names().last(), Some(&OTHER));
    }

    fn error(text: &str) -> DictionaryError {
        Dictionary::parse(text, "词典.toml").unwrap_err()
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = error("[[category]]\nname = \"甲\"\nkeywords = [\"a\", \"b\"\n");
        assert_eq!(e.origin, "词典.toml");
        assert!(e.to_string().starts_with("类别词典 词典.toml 第 "), "{e}");
        let e = error(
            "[[category]]\nname = \"甲\"\nkeywords = [\"排队\"]\n\n[[category]]\nname = \"乙\"\nkeywords = [\"叫号\", \"排队\"]\n",
        );
        assert_eq!(e.line, 7, "{e}");
        assert!(e.message.contains("同时出现在类别“甲”和“乙”"), "{e}");
        let e = error(
            "[[category]]\nname = \"甲\"\nkeywords = [\"排队\"]\n[[category]]\nname = \"甲\"\nkeywords = [\"叫号\"]\n",
        );
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("第 2 行已定义"), "{e}");
        let e = error("[[category]]\nname = \"其他\"\nkeywords = [\"x\"]\n");
        assert_eq!(e.line, 2);
        let e = error(
            "[[category]]\nname = \"甲\"\nkeywords = [\"排队\"]\ncombinations = [\"态度\"]\n",
        );
        assert_eq!(e.line, 4, "{e}");
        let e = error("[[category]]\nname = \"甲\"\nkeyword = [\"排队\"]\n");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("格式错误"), "{e}");
        let e = error("[[category]]\nname = \"甲\"\nkeywords = [\"排 队\"]\n");
        assert_eq!(e.line, 3, "{e}");
        let e = error("stopwords = []\n");
        assert!(e.message.contains("没有任何类别"), "{e}");
    }

    #[test]
    fn keywords_are_normalized() {
        let d = Dictionary::parse(
            "[[category]]\nname = \"甲\"\nkeywords = [\"ＡＰＰ\"]\ncombinations = [\"Wifi + 连不上\"]\n",
            "x",
        )
        .unwrap();
        assert_eq!(d.categories[0].keywords, ["app"]);
        assert_eq!(d.categories[0].combinations, [vec!["wifi", "连不上"]]);
    }
}
