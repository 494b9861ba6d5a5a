//! Topic analysis throughput: N generated comments (deterministic per `--seed`) classified
//! with the shipped dictionary on every core, then the new terms of the 其他 texts counted.
//!
//! `bench-topics --n 1000000 [--seed 7]`
//!
//! Prints one human line and one JSON line (prefixed `JSON `). The classifier is built
//! before the clock starts (jieba's dictionary loads once per process, ~0.2 s, reported
//! apart); generating the texts is not timed.

use anyhow::{Context, bail};
use jianping_bench::metrics::peak_rss_mib;
use jianping_topics::{Classifier, Dictionary, TermCounts};
use std::time::Instant;

const WHO: &[&str] = &[
    "窗口工作人员",
    "那个大姐",
    "办事员",
    "工作人员",
    "窗口的小伙子",
    "前台",
    "保安",
    "社保窗口的人",
];
const COMPLAINTS: &[&str] = &[
    "态度太差了，问两句就不耐烦",
    "一直在玩手机不理人",
    "业务不熟练，说不清楚",
    "办得太慢了，跑了三趟",
    "排队排了两个多小时",
    "材料要求太多，又让补复印件",
    "系统又卡了，提交不了",
    "多收了五十块钱",
    "想问一下退休手续怎么办理",
    "大厅空调不开，热得要命",
    "停车位太少了",
    "说法前后不一致",
    "网站打不开，只能跑现场",
    "叫号半天不叫",
    "要证明我妈是我妈",
];
const PRAISE: &[&str] = &[
    "很耐心，点赞",
    "服务态度很好",
    "办得很快，谢谢",
    "非常满意",
    "热情周到",
];
const OTHER: &[&str] = &[
    "今天下雨路不好走",
    "还行吧",
    "随便评的",
    "第一次来",
    "给孩子办的",
    "无",
];
const TAILS: &[&str] = &[
    "",
    "。",
    "！",
    "，希望改进",
    "，差评",
    "，太失望了",
    "，请回电13812345678",
];

fn comment(rng: &mut fastrand::Rng) -> String {
    match rng.u8(0..10) {
        0..=5 => format!(
            "{}{}{}",
            WHO[rng.usize(..WHO.len())],
            COMPLAINTS[rng.usize(..COMPLAINTS.len())],
            TAILS[rng.usize(..TAILS.len())]
        ),
        6..=7 => format!(
            "{}{}",
            WHO[rng.usize(..WHO.len())],
            PRAISE[rng.usize(..PRAISE.len())]
        ),
        _ => OTHER[rng.usize(..OTHER.len())].to_string(),
    }
}

fn main() -> anyhow::Result<()> {
    let (mut n, mut seed) = (1_000_000usize, 7u64);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--n" => n = value()?.parse()?,
            "--seed" => seed = value()?.parse()?,
            other => bail!("unknown argument {other}"),
        }
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let texts: Vec<String> = (0..n).map(|_| comment(&mut rng)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t_build = Instant::now();
    let classifier = Classifier::new(&Dictionary::builtin());
    let build = t_build.elapsed();
    let t = Instant::now();
    let categories = classifier.classify_all(&texts);
    let classify = t.elapsed();
    let mut counts = vec![0u64; classifier.categories().len()];
    let mut terms = TermCounts::default();
    for (text, &c) in texts.iter().zip(&categories) {
        counts[c] += 1;
        if c == classifier.other() {
            terms.add(&classifier, text);
        }
    }
    let total = t.elapsed();
    let per_sec = n as f64 / total.as_secs_f64();
    println!(
        "{n} comments ({:.1} MB): classified in {:.2} s, with counts and new terms {:.2} s ({per_sec:.0}/s); classifier built in {:.2} s; 其他 {}; peak RSS {:.0} MiB",
        bytes as f64 / 1e6,
        classify.as_secs_f64(),
        total.as_secs_f64(),
        build.as_secs_f64(),
        counts[classifier.other()],
        peak_rss_mib().unwrap_or(0.0)
    );
    println!(
        "JSON {}",
        serde_json::json!({
            "n": n,
            "threads": std::thread::available_parallelism().map_or(1, |x| x.get()),
            "classify_seconds": classify.as_secs_f64(),
            "seconds": total.as_secs_f64(),
            "build_seconds": build.as_secs_f64(),
            "per_sec": per_sec,
            "other": counts[classifier.other()],
            "top_terms": terms.top(5, 2).iter().map(|t| t.term.clone()).collect::<Vec<_>>(),
        })
    );
    Ok(())
}
