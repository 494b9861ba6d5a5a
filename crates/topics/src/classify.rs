//! The classifier: a text is segmented by jieba (the dictionary's keywords added as words,
//! so "排长队" stays one word), every word is looked up in the keyword index, and
//! combinations ("态度+差") are tested clause by clause.
//!
//! The rule, in order: (1) a text that names any complaint category goes to the complaint
//! category with most matches, ties to the one mentioned first; (2) otherwise a text with an
//! un-negated match of a non-complaint category (表扬) goes there; (3) otherwise a fallback
//! category (政策咨询, matched by question words, the weakest evidence); (4) otherwise 其他. Praise
//! matters less than a complaint in the same text, because 热点问题 count problems.

use crate::dictionary::{Dictionary, OTHER, normalize};
use jieba_rs::Jieba;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Words that turn a following praise word into its opposite ("不耐心", "没有热情").
const NEGATORS: &[&str] = &[
    "不",
    "没",
    "没有",
    "未",
    "不太",
    "不够",
    "不是",
    "毫无",
    "缺乏",
    "并不",
    "一点也不",
    "很不",
    "太不",
    "非常不",
    "不怎么",
    "无",
];

/// jieba with its shipped dictionary, loaded once per process (~0.2 s).
pub fn base_segmenter() -> &'static Jieba {
    static BASE: OnceLock<Jieba> = OnceLock::new();
    BASE.get_or_init(Jieba::new)
}

/// One category as the classifier knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryInfo {
    pub name: String,
    pub problem: bool,
    pub fallback: bool,
}

/// Why a text got its category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// Index into [`Classifier::categories`]; [`Classifier::other`] for 其他.
    pub category: usize,
    /// The keywords and combinations that matched, in text order.
    pub matched: Vec<String>,
}

pub struct Classifier {
    jieba: Jieba,
    index: HashMap<String, usize>,
    /// Every distinct part of every combination, found in one pass over a clause.
    parts: Option<aho_corasick::AhoCorasick>,
    /// (category, part ids, "甲+乙" for explanations).
    combinations: Vec<(usize, Vec<usize>, String)>,
    categories: Vec<CategoryInfo>,
    stopwords: std::collections::HashSet<String>,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    category: usize,
    position: usize,
}

impl Classifier {
    pub fn new(dictionary: &Dictionary) -> Classifier {
        let mut jieba = base_segmenter().clone();
        let mut index = HashMap::new();
        let mut combinations = Vec::new();
        let mut part_ids: HashMap<String, usize> = HashMap::new();
        for (i, c) in dictionary.categories.iter().enumerate() {
            for k in &c.keywords {
                if k.chars().count() > 1 {
                    jieba.add_word(k, None, None);
                }
                index.insert(k.clone(), i);
            }
            for parts in &c.combinations {
                let ids = parts
                    .iter()
                    .map(|p| {
                        let next = part_ids.len();
                        *part_ids.entry(p.clone()).or_insert(next)
                    })
                    .collect();
                combinations.push((i, ids, parts.join("+")));
            }
        }
        let mut categories: Vec<CategoryInfo> = dictionary
            .categories
            .iter()
            .map(|c| CategoryInfo {
                name: c.name.clone(),
                problem: c.problem,
                fallback: c.fallback,
            })
            .collect();
        categories.push(CategoryInfo {
            name: OTHER.to_string(),
            problem: false,
            fallback: false,
        });
        let stopwords = crate::terms::STOPWORDS
            .iter()
            .map(|s| s.to_string())
            .chain(dictionary.stopwords.iter().cloned())
            .collect();
        let mut patterns: Vec<(usize, String)> =
            part_ids.into_iter().map(|(p, i)| (i, p)).collect();
        patterns.sort();
        let parts = (!patterns.is_empty()).then(|| {
            aho_corasick::AhoCorasick::new(patterns.iter().map(|(_, p)| p.as_str()))
                .expect("combination parts are plain strings")
        });
        Classifier {
            jieba,
            index,
            parts,
            combinations,
            categories,
            stopwords,
        }
    }

    /// The categories in dictionary order, 其他 last.
    pub fn categories(&self) -> &[CategoryInfo] {
        &self.categories
    }

    /// The index of 其他.
    pub fn other(&self) -> usize {
        self.categories.len() - 1
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.name == name)
    }

    pub fn name(&self, category: usize) -> &str {
        &self.categories[category].name
    }

    /// The category of `text`.
    pub fn classify(&self, text: &str) -> usize {
        self.decide(&self.hits(&normalize(text), None))
    }

    /// The category with the keywords that decided it.
    pub fn explain(&self, text: &str) -> Classification {
        let mut matched = Vec::new();
        let hits = self.hits(&normalize(text), Some(&mut matched));
        Classification {
            category: self.decide(&hits),
            matched,
        }
    }

    pub(crate) fn segmenter(&self) -> &Jieba {
        &self.jieba
    }

    pub(crate) fn covers(&self, word: &str) -> bool {
        self.index.contains_key(word) || self.stopwords.contains(word)
    }

    fn hits(&self, text: &str, mut matched: Option<&mut Vec<String>>) -> Vec<Hit> {
        let mut hits = Vec::new();
        let words = self.jieba.cut(text, false);
        let mut clause_start = 0;
        for (i, w) in words.iter().enumerate() {
            let word = w.word;
            if is_break(word) {
                self.clause_combinations(text, &words[clause_start..i], &mut hits, &mut matched);
                clause_start = i + 1;
                continue;
            }
            let Some((category, keyword)) = self.lookup(word) else {
                continue;
            };
            if !self.categories[category].problem
                && (negated(&words[clause_start..i])
                    || (keyword.len() < word.len() && starts_negated(word)))
            {
                continue;
            }
            hits.push(Hit {
                category,
                position: w.byte_start,
            });
            if let Some(m) = matched.as_deref_mut() {
                m.push(keyword.to_string());
            }
        }
        self.clause_combinations(text, &words[clause_start..], &mut hits, &mut matched);
        hits
    }

    /// The keyword a word is, or else the longest keyword inside a word of three or more
    /// characters (jieba keeps "服务周到" whole; "周到" is the keyword).
    fn lookup<'w>(&self, word: &'w str) -> Option<(usize, &'w str)> {
        if let Some(&c) = self.index.get(word) {
            return Some((c, word));
        }
        let bounds: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(word.len()))
            .collect();
        let n = bounds.len() - 1;
        if n < 3 {
            return None;
        }
        for len in (2..n).rev() {
            for start in 0..=n - len {
                let sub = &word[bounds[start]..bounds[start + len]];
                if let Some(&c) = self.index.get(sub) {
                    return Some((c, sub));
                }
            }
        }
        None
    }

    /// Combinations are tested on the clause's text, so a part may sit inside a longer word
    /// ("差" in "太差了"). One automaton pass finds every part present in the clause.
    fn clause_combinations(
        &self,
        text: &str,
        clause: &[jieba_rs::Token<'_>],
        hits: &mut Vec<Hit>,
        matched: &mut Option<&mut Vec<String>>,
    ) {
        let Some(parts) = &self.parts else {
            return;
        };
        if clause.is_empty() {
            return;
        }
        let from = clause[0].byte_start;
        let s = &text[from..clause[clause.len() - 1].byte_end];
        // (part id, first position) of the parts present; a clause has few.
        let mut found: Vec<(usize, usize)> = Vec::new();
        for m in parts.find_overlapping_iter(s) {
            let id = m.pattern().as_usize();
            if !found.iter().any(|(p, _)| *p == id) {
                found.push((id, m.start()));
            }
        }
        if found.len() < 2 {
            return;
        }
        let at = |id: &usize| found.iter().find(|(p, _)| p == id).map(|(_, pos)| *pos);
        for (category, ids, label) in &self.combinations {
            let Some(first) = ids.iter().map(at).collect::<Option<Vec<usize>>>() else {
                continue;
            };
            if !self.categories[*category].problem && clause.iter().any(is_negator) {
                continue;
            }
            hits.push(Hit {
                category: *category,
                position: from + first.into_iter().min().unwrap_or(0),
            });
            if let Some(m) = matched.as_deref_mut() {
                m.push(label.clone());
            }
        }
    }

    /// 0 = complaint, 1 = not a complaint (表扬), 2 = fallback (政策咨询): a question word is
    /// weaker evidence than praise.
    fn tier(&self, category: usize) -> u8 {
        let c = &self.categories[category];
        match (c.problem, c.fallback) {
            (true, false) => 0,
            (false, _) => 1,
            (true, true) => 2,
        }
    }

    fn decide(&self, hits: &[Hit]) -> usize {
        let Some(tier) = hits.iter().map(|h| self.tier(h.category)).min() else {
            return self.other();
        };
        // (count, first position) per category: most matches, then first mentioned.
        let mut best: Option<(usize, usize, usize)> = None;
        let mut score: HashMap<usize, (usize, usize)> = HashMap::new();
        for h in hits {
            if self.tier(h.category) != tier {
                continue;
            }
            let e = score.entry(h.category).or_insert((0, h.position));
            e.0 += 1;
            e.1 = e.1.min(h.position);
        }
        for (&c, &(n, first)) in &score {
            let better = match best {
                None => true,
                // The category order of the dictionary settles the rest, so the result
                // never depends on hash order.
                Some((bn, bfirst, bc)) => {
                    n > bn || (n == bn && (first < bfirst || (first == bfirst && c < bc)))
                }
            };
            if better {
                best = Some((n, first, c));
            }
        }
        best.map_or(self.other(), |(_, _, c)| c)
    }
}

fn is_break(word: &str) -> bool {
    word.chars().all(|c| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || matches!(
                c,
                '，' | '。'
                    | '！'
                    | '？'
                    | '；'
                    | '：'
                    | '、'
                    | '…'
                    | '（'
                    | '）'
                    | '“'
                    | '”'
                    | '‘'
                    | '’'
                    | '《'
                    | '》'
                    | '～'
                    | '—'
                    | '·'
            )
    })
}

/// A negator among the (last two) words before a praise keyword, or anywhere in the clause
/// of a praise combination.
fn negated(before: &[jieba_rs::Token<'_>]) -> bool {
    before.iter().rev().take(2).any(is_negator)
}

/// "不满意", "没耐心": a word that opens with a negation.
fn starts_negated(word: &str) -> bool {
    word.starts_with(['不', '没', '未', '无', '难', '非'])
}

fn is_negator(w: &jieba_rs::Token<'_>) -> bool {
    NEGATORS.contains(&w.word) || w.word.ends_with('不')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier() -> Classifier {
        Classifier::new(&Dictionary::builtin())
    }

    #[test]
    fn a_complaint_outranks_praise_and_ties_go_to_the_first_mention() {
        let c = classifier();
        let name = |t: &str| c.name(c.classify(t)).to_string();
        assert_eq!(name("态度挺好的，就是排队排了两个小时"), "排队等候");
        assert_eq!(name("窗口工作人员很耐心，点赞"), "表扬");
        assert_eq!(name("工作人员一点也不耐心"), "服务态度");
        assert_eq!(name("今天下雨了"), OTHER);
    }

    #[test]
    fn explain_lists_the_matches() {
        let c = classifier();
        let x = c.explain("排队太久了，叫号机还坏了");
        assert_eq!(c.name(x.category), "排队等候");
        assert!(x.matched.len() >= 2, "{:?}", x.matched);
    }
}
