//! Topics on the ledger: the bureau's category dictionary kept in the database (so imports,
//! statistics and reports use one), a clerk's review of an item's suggested category, kept
//! beside the suggestion, and the agreement between the two.

use crate::backend::{Backend, RowExt};
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::Period;
use jianping_core::access::{Operation, Principal, Scope, authorize};
use jianping_core::time::fmt_ts;
use jianping_topics::Dictionary;
use serde::Serialize;

/// The dictionary in force: the latest saved one, else the shipped default.
pub(crate) fn dictionary_in(db: &mut dyn Backend) -> Result<Dictionary, StoreError> {
    let rows = db.query(
        "SELECT source, saved_at FROM topic_dictionaries ORDER BY id DESC LIMIT 1",
        &[],
    )?;
    match rows.first() {
        None => Ok(Dictionary::builtin()),
        Some(r) => Dictionary::parse(&r.text(0), &format!("数据库中保存的词典（{}）", r.text(1)))
            .map_err(|e| StoreError::Invalid(e.to_string())),
    }
}

/// Where the dictionary in force came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DictionaryOrigin {
    /// None: the shipped default.
    pub saved_at: Option<String>,
    pub saved_by: Option<String>,
}

/// A clerk's review of an item's category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicReview {
    pub item_no: String,
    pub suggested: Option<String>,
    pub previous: Option<String>,
    pub topic: String,
    /// The clerk kept the suggestion.
    pub agrees: bool,
}

/// How often the clerks kept the suggested category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TopicAgreement {
    /// Items with a suggested category.
    pub suggested: u64,
    /// Of those, reviewed by a clerk.
    pub reviewed: u64,
    /// Reviewed and kept.
    pub agreed: u64,
    /// (suggested, clerk's category, items) for the reviews that changed it, most first.
    pub corrections: Vec<(String, String, u64)>,
}

impl Store {
    pub fn topic_dictionary(&mut self) -> Result<Dictionary, StoreError> {
        dictionary_in(self.backend())
    }

    pub fn topic_dictionary_origin(&mut self) -> Result<DictionaryOrigin, StoreError> {
        let rows = self.backend().query(
            "SELECT saved_at, saved_by FROM topic_dictionaries ORDER BY id DESC LIMIT 1",
            &[],
        )?;
        Ok(DictionaryOrigin {
            saved_at: rows.first().map(|r| r.text(0)),
            saved_by: rows.first().map(|r| r.text(1)),
        })
    }

    /// Saves a (checked) dictionary; it applies to every later statistic, report and
    /// suggestion. Items already suggested keep their suggestion.
    pub fn set_topic_dictionary(
        &mut self,
        dictionary: &Dictionary,
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<(), StoreError> {
        authorize(who, Operation::Administer, &Scope::City)
            .map_err(|e| StoreError::Forbidden(e.to_string()))?;
        self.tx(|db| {
            db.execute(
                "INSERT INTO topic_dictionaries (saved_at, saved_by, source) VALUES (?, ?, ?)",
                &[
                    fmt_ts(&at).into(),
                    who.user.as_str().into(),
                    dictionary.source.as_str().into(),
                ],
            )?;
            Ok::<_, StoreError>(())
        })
    }

    /// A clerk sets an item's category (confirming or correcting the suggestion). The
    /// suggestion is never overwritten; every review is kept in `topic_reviews`.
    pub fn ledger_set_topic(
        &mut self,
        item_no: &str,
        topic: &str,
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<TopicReview, StoreError> {
        let topic = topic.trim();
        self.tx(|db| {
            let dictionary = dictionary_in(db)?;
            if !dictionary.knows(topic) {
                return Err(StoreError::Invalid(format!(
                    "没有名为「{topic}」的类别，可选：{}",
                    dictionary.names().join("、")
                )));
            }
            let rows = db.query(
                &format!(
                    "SELECT l.id, l.topic_suggested, l.topic_confirmed, {} FROM ledger_items l
                     WHERE l.item_no = ?",
                    super::scope_columns("l")
                ),
                &[item_no.into()],
            )?;
            let r = rows.first().ok_or_else(|| {
                StoreError::NotFound(format!(
                    "没有编号为「{item_no}」的整改事项；可用 jianping ledger list 查看事项编号"
                ))
            })?;
            authorize(
                who,
                Operation::LabelTopic,
                &Scope::item(r.opt_int(3), r.opt_int(4)),
            )
            .map_err(|e| StoreError::Forbidden(format!("整改事项 {item_no}：{e}")))?;
            let (id, suggested, previous) = (r.int(0), r.opt_text(1), r.opt_text(2));
            db.execute(
                "UPDATE ledger_items SET topic_confirmed = ?, topic_confirmed_by = ?,
                     topic_confirmed_at = ? WHERE id = ?",
                &[
                    topic.into(),
                    who.user.as_str().into(),
                    fmt_ts(&at).into(),
                    id.into(),
                ],
            )?;
            db.execute(
                "INSERT INTO topic_reviews (item_id, at, actor, suggested, previous, topic)
                 VALUES (?, ?, ?, ?, ?, ?)",
                &[
                    id.into(),
                    fmt_ts(&at).into(),
                    who.user.as_str().into(),
                    suggested.as_deref().into(),
                    previous.as_deref().into(),
                    topic.into(),
                ],
            )?;
            Ok(TopicReview {
                item_no: item_no.to_string(),
                agrees: suggested.as_deref() == Some(topic),
                suggested,
                previous,
                topic: topic.to_string(),
            })
        })
    }

    /// Agreement between suggestions and clerks' categories, over the items whose problem
    /// arose in `period` (all items without one).
    pub fn topic_agreement(
        &mut self,
        period: Option<&Period>,
    ) -> Result<TopicAgreement, StoreError> {
        let (cond, params) = match period {
            Some(p) => (
                " AND raised_at >= ? AND raised_at <= ?",
                vec![p.start_ts().into(), p.end_ts().into()],
            ),
            None => ("", Vec::new()),
        };
        let sql = format!(
            "SELECT topic_suggested, topic_confirmed, COUNT(*) FROM ledger_items
             WHERE topic_suggested IS NOT NULL{cond}
             GROUP BY topic_suggested, topic_confirmed"
        );
        let mut a = TopicAgreement::default();
        for r in self.backend().query(&sql, &params)? {
            let n = r.int(2).max(0) as u64;
            a.suggested += n;
            let Some(confirmed) = r.opt_text(1) else {
                continue;
            };
            a.reviewed += n;
            let suggested = r.text(0);
            if suggested == confirmed {
                a.agreed += n;
            } else {
                a.corrections.push((suggested, confirmed, n));
            }
        }
        a.corrections
            .sort_by(|x, y| y.2.cmp(&x.2).then_with(|| (&x.0, &x.1).cmp(&(&y.0, &y.1))));
        Ok(a)
    }
}
