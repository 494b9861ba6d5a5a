//! The bulletin's annex tables as plain rows of printed cells: the Markdown annexes are
//! rendered from them, and a DOCX/XLSX converter can take them as they are (one sheet each).

use super::{BulletinReport, ItemStatus, MovementRow};
use crate::tabular::Table;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinTable {
    /// `departments`, `bad`, `movement`, `attention`, `ranking`.
    pub key: String,
    /// "附件1：各部门“好差评”情况".
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl BulletinTable {
    fn new(key: &str, title: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Self {
        BulletinTable {
            key: key.into(),
            title: title.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
        }
    }

    /// For the terminal and CSV renderers.
    pub fn to_table(&self) -> Table {
        Table::new(self.headers.clone(), self.rows.clone())
    }
}

fn or_dash(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or("—").to_string()
}

impl BulletinReport {
    /// The five annexes, in the order the text refers to them.
    pub fn tables(&self) -> Vec<BulletinTable> {
        vec![
            self.department_table(),
            self.bad_table(),
            self.movement_table(),
            self.attention_table(),
            self.ranking_table(),
        ]
    }

    fn department_table(&self) -> BulletinTable {
        let rows = self
            .ratings
            .departments
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let s = &d.summary;
                let mut row = vec![
                    (i + 1).to_string(),
                    d.department.clone(),
                    s.total.to_string(),
                ];
                row.extend(s.grades.0.iter().map(u64::to_string));
                row.extend([
                    s.satisfied_rate.printed.clone(),
                    s.bad.to_string(),
                    d.followup.callback_rate.printed.clone(),
                    d.followup.rectification_rate.printed.clone(),
                ]);
                row
            })
            .collect();
        BulletinTable::new(
            "departments",
            "附件1：各部门“好差评”情况",
            &[
                "序号",
                "部门",
                "评价数",
                "非常满意",
                "满意",
                "基本满意",
                "不满意",
                "非常不满意",
                "满意率",
                "差评数",
                "实名差评回访率",
                "差评整改率",
            ],
            rows,
        )
    }

    fn bad_table(&self) -> BulletinTable {
        let rows = self
            .bad
            .items
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let l = b.ledger.as_ref();
                vec![
                    (i + 1).to_string(),
                    b.rated_at.clone(),
                    b.department.clone(),
                    or_dash(b.matter.as_deref()),
                    b.grade.name().to_string(),
                    or_dash(b.comment.as_deref()),
                    if b.named { "是" } else { "否" }.to_string(),
                    l.map_or_else(|| "未纳入台账".to_string(), |l| l.item_no.clone()),
                    l.map_or_else(|| "—".to_string(), state_with_flag),
                    or_dash(l.and_then(|l| l.due_on.as_deref())),
                ]
            })
            .collect();
        BulletinTable::new(
            "bad",
            "附件2：差评明细及整改情况",
            &[
                "序号",
                "评价时间",
                "责任单位",
                "事项",
                "评价等级",
                "评价内容",
                "实名",
                "整改事项编号",
                "整改状态",
                "整改时限",
            ],
            rows,
        )
    }

    fn movement_table(&self) -> BulletinTable {
        let row = |m: &MovementRow| {
            vec![
                m.name.clone(),
                m.open_at_start.to_string(),
                m.new.to_string(),
                m.closed.to_string(),
                m.reopened.to_string(),
                m.open_at_end.to_string(),
                m.awaiting_check_at_end.to_string(),
            ]
        };
        let mut rows: Vec<Vec<String>> = self.ledger.movement.iter().map(row).collect();
        rows.push(row(&self.ledger.total));
        BulletinTable::new(
            "movement",
            "附件3：问题整改台账变动情况",
            &[
                "问题来源",
                "期初未办结",
                "本期新增",
                "本期办结",
                "重新打开",
                "期末未办结",
                "其中已整改待核验",
            ],
            rows,
        )
    }

    fn attention_table(&self) -> BulletinTable {
        let rows = self
            .ledger
            .overdue
            .iter()
            .chain(&self.ledger.warning)
            .enumerate()
            .map(|(i, it)| {
                vec![
                    (i + 1).to_string(),
                    it.item_no.clone(),
                    it.source_name.clone(),
                    or_dash(it.department.as_deref()),
                    it.title.clone(),
                    it.raised_at.clone(),
                    it.state_name.clone(),
                    or_dash(it.due_on.as_deref()),
                    it.deadline.clone(),
                ]
            })
            .collect();
        BulletinTable::new(
            "attention",
            "附件4：逾期及预警事项",
            &[
                "序号",
                "事项编号",
                "问题来源",
                "责任单位",
                "问题描述",
                "发生时间",
                "整改状态",
                "整改时限",
                "预警情况",
            ],
            rows,
        )
    }

    fn ranking_table(&self) -> BulletinTable {
        let r = &self.ranking;
        let mut rows: Vec<Vec<String>> = r
            .entries
            .iter()
            .map(|e| {
                let mut row = vec![
                    e.rank.to_string(),
                    e.department.clone(),
                    e.ratings.to_string(),
                    e.satisfied_rate.printed.clone(),
                    e.rectification_rate.printed.clone(),
                ];
                if r.score_name.is_some() {
                    row.push(or_dash(e.score.as_deref()));
                }
                row
            })
            .collect();
        let dept_rates = |name: &str| {
            self.ratings
                .departments
                .iter()
                .find(|d| d.department == name)
                .map(|d| {
                    (
                        d.summary.satisfied_rate.printed.clone(),
                        d.followup.rectification_rate.printed.clone(),
                    )
                })
                .unwrap_or_else(|| ("—".into(), "—".into()))
        };
        for d in &r.insufficient {
            let (s, c) = dept_rates(&d.name);
            let mut row = vec!["数据不足".into(), d.name.clone(), d.count.to_string(), s, c];
            if r.score_name.is_some() {
                row.push("—".into());
            }
            rows.push(row);
        }
        let mut headers = vec!["名次", "部门", "评价数", "满意率", "差评整改率"];
        if let Some(name) = &r.score_name {
            headers.push(name);
        }
        BulletinTable::new("ranking", "附件5：部门排名", &headers, rows)
    }
}

fn state_with_flag(l: &ItemStatus) -> String {
    if l.overdue || l.warning {
        format!("{}，{}", l.state_name, l.deadline)
    } else {
        l.state_name.clone()
    }
}
