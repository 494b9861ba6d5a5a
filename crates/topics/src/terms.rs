//! New terms: the words of uncategorized texts that no category covers, most frequent
//! first, so the bureau can see what its dictionary misses and extend it.
//!
//! Only texts that fell into 其他 are read for terms: the words of classified texts are
//! already explained by a category. Segmentation here runs jieba's HMM, which joins
//! characters the dictionary does not know into words ("蒙速办").

use crate::classify::Classifier;
use crate::dictionary::normalize;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Function words and words every government-service text contains; never a new term.
pub const STOPWORDS: &[&str] = &[
    "我们",
    "你们",
    "他们",
    "她们",
    "自己",
    "这个",
    "那个",
    "这些",
    "那些",
    "这样",
    "那样",
    "什么",
    "怎么",
    "怎么办",
    "为什么",
    "一个",
    "一下",
    "一些",
    "一直",
    "一次",
    "已经",
    "还是",
    "还有",
    "就是",
    "但是",
    "而且",
    "因为",
    "所以",
    "如果",
    "可以",
    "可能",
    "应该",
    "需要",
    "希望",
    "建议",
    "感觉",
    "觉得",
    "知道",
    "现在",
    "今天",
    "昨天",
    "上午",
    "下午",
    "时候",
    "时间",
    "之前",
    "以后",
    "然后",
    "之后",
    "其他",
    "没有",
    "不是",
    "不能",
    "不会",
    "不要",
    "有点",
    "有些",
    "比较",
    "非常",
    "特别",
    "真的",
    "实在",
    "确实",
    "还要",
    "只能",
    "只有",
    "这里",
    "那里",
    "哪里",
    "一样",
    "问题",
    "情况",
    "反映",
    "办理",
    "办事",
    "业务",
    "事项",
    "窗口",
    "工作人员",
    "工作",
    "人员",
    "群众",
    "市民",
    "大厅",
    "政务",
    "服务",
    "中心",
    "部门",
    "单位",
    "政府",
    "我市",
    "本人",
    "请问",
    "谢谢",
    "您好",
    "你好",
    "麻烦",
    "给予",
    "进行",
    "相关",
    "有关",
    "方面",
    "存在",
    "要求",
    "表示",
    "来电",
    "诉求",
    "市民来电",
    "反映人",
    "处理",
    "解决",
    "答复",
    "回复",
    "联系",
    "电话",
    "手机",
    "一点",
    "東西",
    "东西",
    "事情",
    "地方",
    "里面",
    "上面",
    "下面",
    "左右",
    "多次",
    "几次",
    "两次",
    "三次",
];

/// Counts of uncovered words over the texts read so far.
#[derive(Debug, Default, Clone)]
pub struct TermCounts {
    counts: HashMap<String, u64>,
}

/// One new term: how many 其他 texts contain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTerm {
    pub term: String,
    pub texts: u64,
}

impl TermCounts {
    /// Adds the uncovered words of one text (each word once per text).
    pub fn add(&mut self, classifier: &Classifier, text: &str) {
        let text = normalize(text);
        let mut seen: HashSet<&str> = HashSet::new();
        for w in classifier.segmenter().cut(&text, true) {
            let word = w.word;
            if word.chars().count() < 2
                || !word.chars().all(is_cjk)
                || classifier.covers(word)
                || !seen.insert(word)
            {
                continue;
            }
            *self.counts.entry(word.to_string()).or_insert(0) += 1;
        }
    }

    pub fn merge(&mut self, other: TermCounts) {
        for (k, v) in other.counts {
            *self.counts.entry(k).or_insert(0) += v;
        }
    }

    /// The `n` most frequent terms seen in at least `min_texts` texts; ties by term.
    pub fn top(&self, n: usize, min_texts: u64) -> Vec<NewTerm> {
        let mut all: Vec<NewTerm> = self
            .counts
            .iter()
            .filter(|(_, c)| **c >= min_texts)
            .map(|(t, c)| NewTerm {
                term: t.clone(),
                texts: *c,
            })
            .collect();
        all.sort_by(|a, b| b.texts.cmp(&a.texts).then_with(|| a.term.cmp(&b.term)));
        all.truncate(n);
        all
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::Dictionary;

    #[test]
    fn uncovered_words_are_counted_once_per_text() {
        let c = Classifier::new(&Dictionary::builtin());
        let mut t = TermCounts::default();
        t.add(&c, "公积金提取到账很慢，公积金提取");
        t.add(&c, "公积金贷款怎么申请");
        t.add(&c, "我们 ABC 123");
        let top = t.top(10, 2);
        assert_eq!(
            top,
            [NewTerm {
                term: "公积金".into(),
                texts: 2
            }],
            "{:?}",
            t.top(10, 1)
        );
        assert!(t.top(10, 1).iter().all(|x| x.term != "我们"));
    }
}
