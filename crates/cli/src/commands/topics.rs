//! `jianping stats topics`, `jianping ledger topic` and `jianping topics dictionary`: thin
//! wrappers over jianping-report's topics model and the store's topic methods.

use crate::args::{DbArgs, LedgerTopicArgs, TableFormat, TopicStatsArgs, TopicsBy, TopicsCommand};
use anyhow::Context;
use jianping_app::Config;
use jianping_core::Grade;
use jianping_report::topics::{TopicBy, TopicSettings, topic_stats};
use jianping_store::Store;
use jianping_store::queries::topics::TopicSources;
use jianping_topics::Dictionary;

pub fn stats(db: &DbArgs, config: &Config, a: &TopicStatsArgs) -> anyhow::Result<()> {
    let policy = jianping_app::settings::rate_policy(a.rate.precision, a.rate.rounding, config)?;
    let period = jianping_app::settings::period(a.period.from, a.period.to, super::today())?;
    let dictionary = a.dictionary.as_deref().map(Dictionary::load).transpose()?;
    let rating_grades = if a.all_comments {
        Grade::ALL.to_vec()
    } else {
        config.grade_sets()?.bad
    };
    let settings = TopicSettings {
        sources: TopicSources {
            rating_grades,
            ..TopicSources::default()
        },
        dictionary,
        ..TopicSettings::default()
    };
    let by = match a.by {
        TopicsBy::Channel => TopicBy::Channel,
        TopicsBy::Department => TopicBy::Department,
        TopicsBy::Month => TopicBy::Month,
    };
    let mut store = super::open_store(db)?;
    let s = topic_stats(&mut store, &period, by, &settings, &policy)?;
    let bytes = match a.format {
        TableFormat::Json => (serde_json::to_string_pretty(&s)? + "\n").into_bytes(),
        TableFormat::Csv => s.table().to_csv(),
        TableFormat::Table => {
            let mut text = s.table().to_text();
            for line in s.notes() {
                text.push_str(&line);
                text.push('\n');
            }
            text.into_bytes()
        }
    };
    if a.format == TableFormat::Csv {
        for line in s.notes() {
            eprintln!("{line}");
        }
    }
    crate::output::write(a.output.output.as_deref(), &bytes)
}

pub fn set_topic(store: &mut Store, a: &LedgerTopicArgs) -> anyhow::Result<()> {
    let actor = super::ledger::principal(store, &a.actor)?;
    let at = super::ledger::when(a.actor.at.as_deref())?;
    let r = store.ledger_set_topic(&a.item, &a.topic, &actor, at)?;
    let suggested = r.suggested.as_deref().unwrap_or("无");
    if r.agrees {
        println!("{}：确认类别“{}”（与系统建议一致）", r.item_no, r.topic);
    } else {
        println!(
            "{}：类别更正为“{}”（系统建议“{suggested}”）",
            r.item_no, r.topic
        );
    }
    Ok(())
}

pub fn dictionary(db: &DbArgs, cmd: &TopicsCommand) -> anyhow::Result<()> {
    let TopicsCommand::Dictionary(a) = cmd;
    if let Some(path) = &a.check {
        let d = Dictionary::load(path)?;
        println!(
            "{}：词典有效，共 {} 个类别：{}",
            path.display(),
            d.categories.len(),
            d.names().join("、")
        );
        return Ok(());
    }
    let mut store = super::open_store(db)?;
    let save = |store: &mut Store, d: &Dictionary| -> anyhow::Result<()> {
        let name = a.actor.clone().filter(|n| !n.trim().is_empty()).context(
            "请用 --actor 姓名（或环境变量 JIANPING_ACTOR）指明操作人，词典的修改要记录是谁做的",
        )?;
        store.set_topic_dictionary(
            d,
            &jianping_core::access::Principal::admin(&name),
            chrono::Local::now().naive_local(),
        )?;
        Ok(())
    };
    if let Some(path) = &a.set {
        let d = Dictionary::load(path)?;
        save(&mut store, &d)?;
        println!(
            "已保存类别词典（{} 个类别）：{}",
            d.categories.len(),
            d.names().join("、")
        );
        return Ok(());
    }
    if a.reset {
        save(&mut store, &Dictionary::builtin())?;
        println!("已恢复内置类别词典");
        return Ok(());
    }
    let d = store.topic_dictionary()?;
    let origin = store.topic_dictionary_origin()?;
    match (origin.saved_at, origin.saved_by) {
        (Some(at), Some(by)) => eprintln!("正在使用 {by} 于 {at} 保存的词典"),
        _ => eprintln!("正在使用内置词典"),
    }
    print!("{}", d.source);
    Ok(())
}
