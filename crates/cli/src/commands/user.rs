//! `jianping user`: staff accounts from the shell (the first administrator is made here).

use crate::args::{DbArgs, TableFormat, UserAddArgs, UserCommand};
use anyhow::Context;
use jianping_app::AppError;
use jianping_app::accounts::{UserRequest, check_password, create_user, hash_password};
use jianping_core::access::UserRole;
use jianping_store::Store;
use std::io::BufRead;

pub fn run(db: &DbArgs, cmd: UserCommand) -> anyhow::Result<()> {
    let mut store = super::open_store(db)?;
    let now = chrono::Local::now().naive_local();
    match cmd {
        UserCommand::Add(a) => add(&mut store, &a, now),
        UserCommand::List(a) => list(&mut store, a.format),
        UserCommand::Passwd(a) => {
            let u = find(&mut store, &a.username)?;
            let password = password()?;
            check_password(&password, &u.username)?;
            store.set_password(u.id, &hash_password(&password)?, now)?;
            println!("已重设 {} 的密码；该用户原有的登录均已失效", u.username);
            Ok(())
        }
        UserCommand::Disable(a) => {
            let u = find(&mut store, &a.username)?;
            let change = jianping_store::accounts::UserChange {
                display_name: u.display_name.clone(),
                role: u.role.clone(),
                department_id: u.department_id,
                supervisor_id: u.supervisor_id,
                active: false,
            };
            store.update_user(u.id, &change)?;
            println!("已停用账号 {}，其所有登录已退出", u.username);
            Ok(())
        }
        UserCommand::Unlock(a) => {
            let u = find(&mut store, &a.username)?;
            store.record_login_success(u.id, now)?;
            println!("已解除 {} 的锁定", u.username);
            Ok(())
        }
    }
}

fn find(store: &mut Store, username: &str) -> anyhow::Result<jianping_store::accounts::UserRow> {
    store.user_by_username(username)?.ok_or_else(|| {
        AppError::NotFound(format!(
            "没有用户名为「{username}」的账号；可用 jianping user list 查看"
        ))
        .into()
    })
}

/// From JIANPING_PASSWORD, else the first line of standard input (never a flag: flags end
/// up in the shell's history and in `ps`).
fn password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("JIANPING_PASSWORD") {
        return Ok(p);
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!("请输入密码（至少 8 位，含大写、小写、数字、符号中的三类），回车结束：");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("无法读取密码")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn add(store: &mut Store, a: &UserAddArgs, now: chrono::NaiveDateTime) -> anyhow::Result<()> {
    let role = UserRole::parse(&a.role).map_err(AppError::Usage)?;
    let department = a
        .department
        .as_deref()
        .map(|d| store.department_by_name(d))
        .transpose()?;
    let supervisor = a
        .supervisor
        .as_deref()
        .map(|s| store.supervisor_by_code(s))
        .transpose()?;
    let req = UserRequest {
        username: a.username.clone(),
        display_name: a.name.clone(),
        role,
        department_id: department,
        supervisor_id: supervisor,
        password: password()?,
    };
    let id = create_user(store, &req, now)?;
    println!(
        "已开设账号 {}（{}，{}），编号 {id}",
        req.username,
        req.display_name,
        role.name()
    );
    Ok(())
}

fn list(store: &mut Store, format: TableFormat) -> anyhow::Result<()> {
    let users = store.users()?;
    if format == TableFormat::Json {
        println!("{}", serde_json::to_string_pretty(&users)?);
        return Ok(());
    }
    let header = ["用户名", "姓名", "角色", "部门/监督员", "状态", "最近登录"];
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                u.username.clone(),
                u.display_name.clone(),
                UserRole::from_code(&u.role).map_or(u.role.clone(), |r| r.name().to_string()),
                u.department
                    .clone()
                    .or(u.supervisor.clone())
                    .unwrap_or_default(),
                match (u.active, &u.locked_until) {
                    (false, _) => "已停用".into(),
                    (true, Some(t)) => format!("锁定至 {t}"),
                    (true, None) => "正常".into(),
                },
                u.last_login_at.clone().unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let table = jianping_report::tabular::Table {
        headers: header.iter().map(|h| h.to_string()).collect(),
        rows,
    };
    let bytes = match format {
        TableFormat::Csv => table.to_csv(),
        _ => table.to_text().into_bytes(),
    };
    crate::output::write(None, &bytes)
}
