//! `jianping ledger`: the rectification ledger from the command line. Thin: parse, call the
//! store, print (masked: the store masks personal data in every view).

use super::ledger_export;
use crate::args::{
    ActorArgs, DbArgs, LedgerCommand, LedgerContactArgs, LedgerFilterArgs, LedgerListArgs,
    LedgerShowArgs, TableFormat,
};
use anyhow::Context;
use chrono::{Local, NaiveDate, NaiveDateTime};
use jianping_core::Response;
use jianping_core::access::Principal;
use jianping_core::ledger::{Command, LedgerConfig, Role, SourceKind};
use jianping_core::time::parse_datetime;
use jianping_store::Store;
use jianping_store::ledger::{ItemView, LedgerFilter, NewItem, StepOutcome};
use unicode_width::UnicodeWidthStr;

pub fn run(db: &DbArgs, cmd: LedgerCommand) -> anyhow::Result<()> {
    let mut store = super::open_store(db)?;
    match cmd {
        LedgerCommand::List(a) => list(&mut store, &a),
        LedgerCommand::Show(a) => show(&mut store, &a),
        LedgerCommand::Contact(a) => contact(&mut store, &a),
        LedgerCommand::AccessLog(a) => access_log(&mut store, a.actor.as_deref(), a.limit),
        LedgerCommand::Sync(a) => sync(&mut store, a.at.as_deref()),
        LedgerCommand::Add(a) => add(&mut store, a),
        LedgerCommand::Export(a) => ledger_export::run(&mut store, &a),
        LedgerCommand::Config(a) => config(&mut store, a.file.as_deref()),
        LedgerCommand::Topic(a) => super::topics::set_topic(&mut store, &a),
        other => {
            let (item, command, actor) = step_of(other)?;
            step(&mut store, &item, command, &actor)
        }
    }
}

/// The workflow subcommands as (item, step, actor).
fn step_of(cmd: LedgerCommand) -> anyhow::Result<(String, Command, ActorArgs)> {
    Ok(match cmd {
        LedgerCommand::Claim(a) => (a.item, Command::Claim { note: a.note }, a.actor),
        LedgerCommand::Return(a) => (a.item, Command::Return { reason: a.reason }, a.actor),
        LedgerCommand::Reassign(a) => {
            let c = Command::Reassign {
                department: a.department,
                note: a.note,
            };
            (a.item, c, a.actor)
        }
        LedgerCommand::Rectify(a) => {
            let c = Command::Rectify {
                measures: a.measures,
            };
            (a.item, c, a.actor)
        }
        LedgerCommand::Close(a) => (a.item, Command::Close { note: a.note }, a.actor),
        LedgerCommand::Reopen(a) => (a.item, Command::Reopen { reason: a.reason }, a.actor),
        LedgerCommand::Extend(a) => {
            let c = match (a.days, a.approve, a.refuse) {
                (Some(days), false, false) => Command::RequestExtension {
                    days,
                    reason: a.reason.unwrap_or_default(),
                },
                (None, true, false) | (None, false, true) => Command::DecideExtension {
                    approve: a.approve,
                    note: a.note.or(a.reason),
                },
                _ => anyhow::bail!(
                    "请给出 --days N --reason 理由（申请延期），或 --approve / --refuse（审批延期）"
                ),
            };
            (a.item, c, a.actor)
        }
        LedgerCommand::Appeal(a) => {
            let c = match (a.reason, a.uphold, a.reject) {
                (Some(reason), false, false) => Command::FileAppeal {
                    reason,
                    evidence: a.evidence,
                },
                (None, true, false) | (None, false, true) => Command::DecideAppeal {
                    uphold: a.uphold,
                    note: a.note,
                },
                _ => anyhow::bail!(
                    "请给出 --reason 理由（提出申诉），或 --uphold / --reject（复核申诉）"
                ),
            };
            (a.item, c, a.actor)
        }
        LedgerCommand::Callback(a) => {
            let response = Response::parse(&a.response).map_err(anyhow::Error::msg)?;
            let c = Command::Callback {
                response,
                note: a.note,
            };
            (a.item, c, a.actor)
        }
        _ => anyhow::bail!("内部错误：该子命令不是整改步骤"),
    })
}

fn sync(store: &mut Store, at: Option<&str>) -> anyhow::Result<()> {
    let at = when(at)?;
    let config = store.ledger_config()?;
    let s = store.sync_ledger(&config, at)?;
    if s.total() == 0 {
        println!("没有需要补登的问题：各渠道的问题均已在台账中");
    } else {
        let parts: Vec<String> = s
            .created
            .iter()
            .map(|(k, n)| format!("{} {n} 件", source_name(k)))
            .collect();
        println!("已登记 {} 件整改事项：{}", s.total(), parts.join("，"));
    }
    Ok(())
}

fn add(store: &mut Store, a: crate::args::LedgerAddArgs) -> anyhow::Result<()> {
    let actor = principal(store, &a.actor)?;
    let at = when(a.actor.at.as_deref())?;
    let raised_at = match &a.raised_at {
        Some(t) => parse_datetime(t).map_err(anyhow::Error::msg)?,
        None => at,
    };
    let item = NewItem {
        title: a.title,
        description: a.description,
        department: a.department,
        raised_at,
        limit_days: a.days,
    };
    let no = store.ledger_add(&item, &actor, at)?;
    println!("已登记整改事项 {no}");
    Ok(())
}

fn step(store: &mut Store, item: &str, c: Command, a: &ActorArgs) -> anyhow::Result<()> {
    let actor = principal(store, a)?;
    let at = when(a.at.as_deref())?;
    let out: StepOutcome = store.ledger_step(item, &c, &actor, at)?;
    let mut line = format!(
        "{}：{}（{} → {}）",
        out.item_no,
        out.action.name(),
        out.from.name(),
        out.to.name()
    );
    if let Some(due) = &out.due_on {
        line.push_str(&format!("，整改时限 {due}"));
    }
    println!("{line}");
    Ok(())
}

/// The principal the flags describe: `--role bureau` acts as the bureau's administrator,
/// `--role department` as a clerk of `--actor-department` (resolved to its id).
pub(crate) fn principal(store: &mut Store, a: &ActorArgs) -> anyhow::Result<Principal> {
    let name = a.actor.clone().filter(|n| !n.trim().is_empty()).context(
        "请用 --actor 姓名（或环境变量 JIANPING_ACTOR）指明操作人，处理记录要写明是谁办的",
    )?;
    match Role::parse(&a.role).map_err(anyhow::Error::msg)? {
        Role::Bureau => Ok(Principal::admin(&name)),
        Role::Department => {
            let dept = a.actor_department.as_deref().filter(|d| !d.trim().is_empty()).context(
                "部门经办人须注明所在部门（--actor-department 或 JIANPING_ACTOR_DEPARTMENT），只能办理本部门的事项",
            )?;
            Ok(Principal::clerk(&name, store.department_by_name(dept)?))
        }
    }
}

/// Reads at the shell (list, show, export) act for the bureau: whoever runs them holds
/// the database itself.
pub fn shell_reader() -> Principal {
    Principal::admin("命令行")
}

pub(crate) fn when(at: Option<&str>) -> anyhow::Result<NaiveDateTime> {
    match at {
        Some(t) => parse_datetime(t).map_err(anyhow::Error::msg),
        None => Ok(Local::now().naive_local()),
    }
}

pub fn today(t: Option<NaiveDate>) -> NaiveDate {
    t.unwrap_or_else(|| Local::now().date_naive())
}

pub fn filter(a: &LedgerFilterArgs) -> anyhow::Result<LedgerFilter> {
    let q = jianping_app::ledger::LedgerQuery {
        department: a.department.clone(),
        source: a.source.clone(),
        state: a.state.clone(),
        overdue: a.overdue,
        supervisor: a.supervisor.clone(),
        from: a.from,
        to: a.to,
        topic: a.topic.clone(),
    };
    Ok(q.filter()?)
}

fn source_name(code: &str) -> &'static str {
    SourceKind::from_code(code).map_or("其他", SourceKind::name)
}

fn list(store: &mut Store, a: &LedgerListArgs) -> anyhow::Result<()> {
    let items = store.ledger_items(&shell_reader(), &filter(&a.filter)?, today(a.filter.today))?;
    let out = match a.format {
        TableFormat::Json => serde_json::to_string_pretty(&items)? + "\n",
        TableFormat::Csv => csv_lines(&items),
        TableFormat::Table => {
            if items.is_empty() {
                eprintln!("没有符合条件的整改事项");
                return Ok(());
            }
            table(&items)
        }
    };
    crate::output::write(a.output.output.as_deref(), out.as_bytes())
}

const LIST_HEADER: [&str; 8] = [
    "编号",
    "来源",
    "责任单位",
    "问题",
    "状态",
    "时限",
    "期限",
    "发生时间",
];

fn list_row(i: &ItemView) -> [String; 8] {
    [
        i.item_no.clone(),
        i.source.name().to_string(),
        i.department.clone().unwrap_or_else(|| "（未指定）".into()),
        i.title.clone(),
        i.state_text(),
        i.due_on.clone().unwrap_or_else(|| "—".into()),
        i.deadline.name().to_string(),
        i.raised_at.clone(),
    ]
}

fn table(items: &[ItemView]) -> String {
    let rows: Vec<[String; 8]> = items.iter().map(list_row).collect();
    let mut widths: Vec<usize> = LIST_HEADER.iter().map(|h| h.width()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.width().min(40));
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                let c = clip(c, 40);
                let pad = w.saturating_sub(c.width());
                format!("{c}{}", " ".repeat(pad))
            })
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    };
    line(LIST_HEADER.to_vec());
    for r in &rows {
        line(r.iter().map(String::as_str).collect());
    }
    out.push_str(&format!("共 {} 件\n", items.len()));
    out
}

fn clip(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for ch in s.chars() {
        if out.width() + 3 > max {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

fn csv_lines(items: &[ItemView]) -> String {
    let mut out = LIST_HEADER.join(",") + "\n";
    for i in items {
        let cells: Vec<String> = list_row(i)
            .iter()
            .map(|c| jianping_app::ledger::csv_cell(c))
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The contact in clear, for a callback; the store logs who looked and why.
fn contact(store: &mut Store, a: &LedgerContactArgs) -> anyhow::Result<()> {
    let now = Local::now().naive_local();
    let viewer = Principal::admin(a.actor.as_deref().unwrap_or_default());
    let c = store.ledger_contact(
        &viewer,
        &a.item,
        a.reason.as_deref().unwrap_or_default(),
        now,
    )?;
    println!("整改事项 {} 的{}：", c.item_no, c.role);
    println!("  姓名：{}", c.name.as_deref().unwrap_or("（未留姓名）"));
    println!("  电话：{}", c.phone.as_deref().unwrap_or("（未留电话）"));
    eprintln!("本次查看已记入个人信息访问日志（jianping ledger access-log）");
    Ok(())
}

/// Read as an auditor named by `--actor`: at the shell, whoever holds the database file
/// may read the log; the role separation applies to the server's users.
fn access_log(store: &mut Store, actor: Option<&str>, limit: u64) -> anyhow::Result<()> {
    let auditor = Principal::auditor(actor.unwrap_or("命令行"));
    let entries = store.access_log(&auditor, limit)?;
    if entries.is_empty() {
        println!("访问日志为空：尚无人查看过明文个人信息");
    }
    for e in entries {
        println!(
            "{}  {}（{}）  {}  用途：{}",
            e.at,
            e.actor,
            match jianping_core::access::UserRole::from_code(&e.role) {
                Some(r) => r.name(),
                None if e.role == "handler" => "回访经办人",
                None => e.role.as_str(),
            },
            e.what,
            e.reason.as_deref().unwrap_or("—")
        );
    }
    Ok(())
}

fn show(store: &mut Store, a: &LedgerShowArgs) -> anyhow::Result<()> {
    let d = store.ledger_item(&shell_reader(), &a.item, today(a.today))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(());
    }
    let i = &d.item;
    println!("整改事项 {}  {}", i.item_no, i.title);
    for (k, v) in item_fields(i) {
        println!("  {k}：{v}");
    }
    if !d.source_fields.is_empty() {
        println!("来源记录：");
        for (k, v) in &d.source_fields {
            println!("  {k}：{v}");
        }
    }
    println!("处理记录：");
    for e in &d.events {
        println!("  {}", event_line(e));
    }
    for x in &d.extensions {
        println!(
            "延期申请：{} {} 申请 {} 个工作日（{}），{}",
            x.requested_at,
            x.requested_by,
            x.days,
            x.reason,
            extension_state(&x.state)
        );
    }
    for x in &d.appeals {
        let state = appeal_state(&x.state);
        println!("申诉：{} {}：{}，{state}", x.filed_at, x.filed_by, x.reason);
    }
    let names = |v: &[jianping_core::ledger::Action]| {
        if v.is_empty() {
            "无".to_string()
        } else {
            v.iter().map(|a| a.name()).collect::<Vec<_>>().join("、")
        }
    };
    println!(
        "可执行：部门 {}；政务服务局 {}",
        names(&d.allowed_department),
        names(&d.allowed_bureau)
    );
    Ok(())
}

fn item_fields(i: &ItemView) -> Vec<(&'static str, String)> {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let source_no = i
        .source_no
        .as_ref()
        .map(|n| format!(" {n}"))
        .unwrap_or_default();
    vec![
        ("问题来源", format!("{}{source_no}", i.source.name())),
        (
            "责任单位",
            i.department
                .clone()
                .unwrap_or_else(|| "（未指定，待局端改派）".into()),
        ),
        ("整改状态", i.state_label()),
        ("问题发生", i.raised_at.clone()),
        (
            "整改时限",
            format!("{}（{}）", or_dash(&i.due_on), i.deadline.name()),
        ),
        ("回访时限", or_dash(&i.callback_due_on)),
        ("问题描述", or_dash(&i.description)),
        ("整改措施", or_dash(&i.measures)),
        ("反馈情况", or_dash(&i.feedback)),
    ]
}

fn event_line(e: &jianping_store::ledger::EventView) -> String {
    let role = e
        .role
        .as_deref()
        .map(|r| format!("（{r}）"))
        .unwrap_or_default();
    let change = match &e.from {
        Some(f) if f != &e.to => format!("{f} → {}", e.to),
        _ => e.to.clone(),
    };
    let note = e
        .note
        .as_deref()
        .map(|n| format!("：{n}"))
        .unwrap_or_default();
    format!("{} {}{role} {}［{change}］{note}", e.at, e.actor, e.action)
}

fn extension_state(s: &str) -> &'static str {
    match s {
        "pending" => "待审批",
        "approved" => "已批准",
        "refused" => "已驳回",
        "withdrawn" => "已撤回",
        _ => "状态未知",
    }
}

fn appeal_state(s: &str) -> &'static str {
    match s {
        "pending" => "待复核",
        "upheld" => "申诉成立",
        "rejected" => "申诉不成立",
        _ => "状态未知",
    }
}

fn config(store: &mut Store, file: Option<&std::path::Path>) -> anyhow::Result<()> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("无法读取配置文件 {}", path.display()))?;
        let cfg = parse_config(&text)
            .map_err(|e| anyhow::anyhow!("配置文件 {} 有误：{e}", path.display()))?;
        store.set_ledger_config(&cfg)?;
        println!("已保存整改台账配置；此后登记的事项按新时限计算（已登记的事项不变）");
    }
    let cfg = store.ledger_config()?;
    print!("{}", toml::to_string(&cfg).context("无法显示配置")?);
    Ok(())
}

/// TOML with bare dates (`since = 2023-01-01`) as well as quoted ones.
fn parse_config(text: &str) -> Result<LedgerConfig, String> {
    fn dates_as_text(v: toml::Value) -> toml::Value {
        match v {
            toml::Value::Datetime(d) => toml::Value::String(d.to_string()),
            toml::Value::Table(t) => {
                toml::Value::Table(t.into_iter().map(|(k, v)| (k, dates_as_text(v))).collect())
            }
            toml::Value::Array(a) => toml::Value::Array(a.into_iter().map(dates_as_text).collect()),
            other => other,
        }
    }
    let value: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
    let cfg: LedgerConfig = dates_as_text(value)
        .try_into()
        .map_err(|e: toml::de::Error| e.to_string())?;
    cfg.validate()?;
    Ok(cfg)
}
