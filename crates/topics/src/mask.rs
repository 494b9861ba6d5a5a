//! Masking of a text quoted as an example in a report: stricter than the ledger's
//! [`jianping_core::privacy::mask_free_text`], because an example is printed and circulated.
//! Besides mobile and ID numbers it masks every run of seven or more digits (landlines,
//! with or without an area code), the names the caller knows (the complainant, staff), and
//! the person names jieba recognises (a common surname tagged `nr`).

use crate::classify::base_segmenter;
use jianping_core::privacy::{mask_free_text, mask_name};

/// The most common Chinese surnames (about 90% of the population).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/// Masks personal data in `text`; `known` are names to mask wherever they appear.
pub fn mask_example(text: &str, known: &[&str]) -> String {
    let mut out = mask_digit_runs(&mask_free_text(text));
    for name in known {
        let name = name.trim();
        if name.chars().count() >= 2 {
            out = out.replace(name, &mask_name(name));
        }
    }
    mask_recognised_names(&out)
}

/// Seven or more digits, possibly split by '-' or spaces ("0473-1234567"), keep their first
/// three characters.
fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        let mut digits = 0;
        while j < chars.len()
            && (chars[j].is_ascii_digit()
                || ((chars[j] == '-' || chars[j] == ' ')
                    && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
        {
            digits += usize::from(chars[j].is_ascii_digit());
            j += 1;
        }
        if digits >= 7 {
            out.extend(&chars[i..i + 3]);
            out.extend(std::iter::repeat_n('*', j - i - 3));
        } else {
            out.extend(&chars[i..j]);
        }
        i = j;
    }
    out
}

fn is_name_tag(tag: &str) -> bool {
    matches!(tag, "nr" | "nrfg" | "nrt")
}

fn masked_len(word: &str) -> String {
    mask_name(word)
}

/// Words after which a name usually follows ("工作人员李明明", "我叫王建国").
const INTRODUCERS: &[&str] = &[
    "工作人员",
    "人员",
    "叫",
    "名叫",
    "姓",
    "是",
    "办事员",
    "经办人",
    "科长",
    "主任",
    "同志",
    "窗口",
    "员工",
    "大姐",
    "师傅",
    "小伙子",
    "姑娘",
    "女士",
    "先生",
    "警官",
    "老师",
    "领导",
    "科员",
];

/// Characters that end a name guessed after an introducer ("李明明还吼人").
const NOT_IN_NAME: &str = "还说的在把给对就又很不也和都却让是了态吼骂凶办不没有";

/// Names jieba tags as person names and that start with a common surname, a surname cut
/// off from its given name ("马/志强"), and a surname with up to two characters after a word
/// that introduces a person ("工作人员李明明"): a name a citizen typed must not survive,
/// and masking a word too many is the safe side.
fn mask_recognised_names(text: &str) -> String {
    mask_after_introducers(&mask_tagged_names(text))
}

fn mask_after_introducers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let hit = INTRODUCERS
            .iter()
            .filter_map(|w| rest.find(w).map(|i| (i, w.len())))
            .min();
        let Some((i, len)) = hit else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let mut chars = rest.chars();
        let Some(first) = chars.next().filter(|c| SURNAMES.contains(*c)) else {
            continue;
        };
        let given: Vec<char> = chars
            .take_while(|c| is_cjk(*c) && !NOT_IN_NAME.contains(*c))
            .take(2)
            .collect();
        if given.is_empty() {
            continue;
        }
        out.push(first);
        out.extend(std::iter::repeat_n('*', given.len()));
        let skip = first.len_utf8() + given.iter().map(|c| c.len_utf8()).sum::<usize>();
        rest = &rest[skip..];
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}')
}

fn mask_tagged_names(text: &str) -> String {
    let tags = base_segmenter().tag(text, true);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < tags.len() {
        let t = &tags[i];
        let n = t.word.chars().count();
        let first = t.word.chars().next().unwrap_or(' ');
        let surname = SURNAMES.contains(first);
        if is_name_tag(t.tag) && surname && (2..=4).contains(&n) {
            out.push_str(&masked_len(t.word));
            i += 1;
            continue;
        }
        if n == 1
            && surname
            && let Some(next) = tags.get(i + 1)
            && is_name_tag(next.tag)
            && (1..=2).contains(&next.word.chars().count())
        {
            out.push(first);
            out.extend(std::iter::repeat_n('*', next.word.chars().count()));
            i += 2;
            continue;
        }
        out.push_str(t.word);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_do_not_survive() {
        let text = "我叫李建国，电话0473-1234567，手机13812345678，窗口的王丽丽态度很差，工作人员马志强玩手机";
        let m = mask_example(text, &["李建国"]);
        for leak in ["李建国", "1234567", "13812345678", "王丽丽", "志强"] {
            assert!(!m.contains(leak), "{leak} in {m}");
        }
        assert!(m.contains("态度很差") && m.contains("玩手机"), "{m}");
        assert!(m.contains("李**"), "{m}");
        let m = mask_example("工作人员李明明还吼人", &[]);
        assert_eq!(m, "工作人员李**还吼人");
    }

    #[test]
    fn ordinary_text_is_kept() {
        let t = "海勃湾区大厅缺少复印打印机，排队两小时，编号2023";
        assert_eq!(mask_example(t, &[]), t);
    }
}
