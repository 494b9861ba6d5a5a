//! Invented people: names and phone numbers that look real and belong to nobody in
//! particular (common surnames × common given-name characters, random mobile numbers).

use fastrand::Rng;

/// Common surnames, most frequent first; 乌海 has a sizeable Mongolian population, so a few
/// Mongolian names are mixed in by [`person_name`].
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚",
    "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "江", "史",
    "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤", "尹", "黎", "易", "常", "武", "乔",
    "贺", "赖", "龚", "文", "乌", "云", "包", "奇",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "萍", "红", "鹏", "辉", "建", "国",
    "文", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "欢", "阳", "佳",
    "晨", "瑞", "婷", "雪", "琳", "晶", "颖", "慧", "莉", "倩", "淑", "凤", "海", "波", "东", "亮",
    "志", "春", "新", "利", "荣", "梅", "莹", "鑫", "峰", "博", "彤", "悦", "欣", "雅", "泽", "宏",
];

const MONGOLIAN: &[&str] = &[
    "巴特尔",
    "乌日娜",
    "其其格",
    "苏日娜",
    "阿拉坦",
    "萨仁",
    "额尔敦",
    "斯琴",
    "那日苏",
    "图雅",
    "朝鲁",
    "格日勒",
    "宝音",
    "乌兰",
    "特木尔",
    "敖登",
    "娜仁",
    "布和",
    "哈斯",
    "达来",
];

pub fn person_name(rng: &mut Rng) -> String {
    if rng.u32(0..100) < 4 {
        return MONGOLIAN[rng.usize(..MONGOLIAN.len())].to_string();
    }
    // Frequent surnames are frequent: square the uniform draw to favour the head of the list.
    let u = rng.f64();
    let s = SURNAMES[((u * u) * SURNAMES.len() as f64) as usize % SURNAMES.len()];
    let mut name = s.to_string();
    let len = if rng.u32(0..100) < 70 { 2 } else { 1 };
    for _ in 0..len {
        name.push_str(GIVEN[rng.usize(..GIVEN.len())]);
    }
    name
}

/// An 11-digit mobile number on a real operator prefix.
pub fn mobile(rng: &mut Rng) -> String {
    const PREFIXES: &[&str] = &[
        "130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150", "151", "152",
        "155", "156", "157", "158", "159", "177", "180", "181", "182", "183", "185", "186", "187",
        "188", "189", "191", "198", "199",
    ];
    let mut s = PREFIXES[rng.usize(..PREFIXES.len())].to_string();
    for _ in 0..8 {
        s.push(char::from(b'0' + rng.u8(0..10)));
    }
    s
}

/// Community (社区) names; real-sounding, not a list of 乌海's actual communities.
pub const COMMUNITIES: &[&str] = &[
    "团结",
    "光明",
    "人民",
    "和平",
    "胜利",
    "友谊",
    "幸福",
    "阳光",
    "康乐",
    "滨河",
    "海达",
    "新星",
    "健康",
    "金海",
    "学府",
    "甘德尔",
    "卡布其",
    "黄河",
    "明珠",
    "长青",
    "锦华",
    "民族",
    "乌珠",
    "沙湖",
    "东源",
    "西苑",
    "南苑",
    "北苑",
    "新城",
    "星光",
    "惠民",
    "兴达",
    "五虎山",
    "青山",
    "苏海",
    "巴音",
    "盛泰",
    "苇湖",
    "福海",
    "千钢",
    "矿区",
    "泰和",
    "怡园",
    "馨园",
    "桥北",
    "新风",
    "育才",
    "龙游湾",
    "滨湖",
    "宁远",
];

/// Village (村) names for the towns.
pub const VILLAGES: &[&str] = &[
    "新地",
    "东胜",
    "王元地",
    "赛汗",
    "查汗",
    "骆驼山",
    "渡口",
    "五星",
    "红旗",
    "团结",
    "乌兰",
    "巴音",
    "公乌素",
    "北山",
    "西园",
    "联合",
    "苏白音",
    "拉僧",
    "黄河",
    "桥头",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_phones_look_real() {
        let mut rng = Rng::with_seed(7);
        for _ in 0..200 {
            let n = person_name(&mut rng);
            assert!((2..=3).contains(&n.chars().count()), "{n}");
            let p = mobile(&mut rng);
            assert_eq!(p.len(), 11);
            assert!(p.starts_with('1'));
        }
    }
}
