//! `jianping qr device add|list|revoke`: the API keys of hall pads (评价器).

use super::qr::now;
use crate::args::{QrDeviceAddArgs, QrDeviceCommand, QrDeviceListArgs, QrDeviceRevokeArgs};
use jianping_report::tabular::Table;
use jianping_store::Store;
use jianping_store::codes::PadDevice;

pub fn run(store: &mut Store, cmd: QrDeviceCommand) -> anyhow::Result<()> {
    match cmd {
        QrDeviceCommand::Add(a) => add(store, &a),
        QrDeviceCommand::List(a) => list(store, &a),
        QrDeviceCommand::Revoke(a) => revoke(store, &a),
    }
}

fn add(store: &mut Store, a: &QrDeviceAddArgs) -> anyhow::Result<()> {
    let w = store.find_window(&a.window)?;
    let new = store.register_pad_device(w.window_id, &a.name, now())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&new)?);
        return Ok(());
    }
    let d = &new.device;
    println!(
        "已登记评价器「{}」（编号 #{}），窗口「{}」（{}）。",
        d.name,
        d.id,
        w.window_name,
        w.hall_name.as_deref().unwrap_or("未归属大厅")
    );
    println!(
        "设备密钥只显示这一次，请现在配置到评价器上（系统只保存其摘要，遗失后只能作废重新登记）："
    );
    println!("{}", new.key);
    Ok(())
}

fn list(store: &mut Store, a: &QrDeviceListArgs) -> anyhow::Result<()> {
    let devices = store.pad_devices(a.all)?;
    let bytes = super::stats::render(
        a.format,
        || serde_json::to_string_pretty(&devices),
        || table(&devices),
    )?;
    crate::output::write(a.output.output.as_deref(), &bytes)
}

fn table(devices: &[PadDevice]) -> Table {
    let headers = [
        "编号",
        "名称",
        "窗口",
        "大厅",
        "登记时间",
        "最近使用",
        "状态",
    ];
    Table::new(
        headers.map(String::from).to_vec(),
        devices
            .iter()
            .map(|d| {
                let state = match (&d.revoked_at, &d.revoke_reason) {
                    (Some(at), reason) => {
                        format!("{at} 作废（{}）", reason.as_deref().unwrap_or(""))
                    }
                    (None, _) => "在用".into(),
                };
                vec![
                    format!("#{}", d.id),
                    d.name.clone(),
                    d.window.window_name.clone(),
                    d.window.hall_name.clone().unwrap_or_default(),
                    d.created_at.clone(),
                    d.last_seen_at.clone().unwrap_or_else(|| "从未".into()),
                    state,
                ]
            })
            .collect(),
    )
}

fn revoke(store: &mut Store, a: &QrDeviceRevokeArgs) -> anyhow::Result<()> {
    let actor = a.actor.as_deref().unwrap_or_default();
    anyhow::ensure!(
        !actor.trim().is_empty(),
        "请用 --actor 姓名（或环境变量 JIANPING_ACTOR）指明操作人，作废记录要写明是谁办的"
    );
    let d = store.find_pad_device(&a.device)?;
    let d = store.revoke_pad_device(d.id, actor, &a.reason, now())?;
    println!(
        "已作废评价器「{}」（编号 #{}，窗口「{}」）：其密钥即刻失效。如需继续使用该窗口的评价器，请用 jianping qr device add 重新登记。",
        d.name, d.id, d.window.window_name
    );
    Ok(())
}
