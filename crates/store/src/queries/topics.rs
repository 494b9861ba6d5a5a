//! The texts topic analysis reads: rating comments, 12345 ticket contents, QR complaints
//! and supervisor feedback of a period, each with its channel, department and month.

use crate::backend::{RowExt, Value};
use crate::{Store, StoreError};
use jianping_core::ledger::SourceKind;
use jianping_core::{Grade, Period};
use serde::Serialize;

/// One text, not yet masked (the caller masks what it prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicText {
    /// `Rating`, `Ticket`, `QrReport` or `Feedback`.
    pub source: SourceKind,
    /// The source record's number (rating_no, ticket_no …).
    pub number: String,
    /// When it was given, `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    pub department: Option<String>,
    pub text: String,
    /// The person who wrote it (rater, caller, reporter, supervisor), for masking.
    pub person: Option<String>,
}

impl TopicText {
    /// `2023-10`.
    pub fn month(&self) -> &str {
        self.at.get(..7).unwrap_or(&self.at)
    }
}

/// Which texts to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSources {
    /// Ratings whose comment is read; the bad grades by default (a comment on a good rating
    /// is rarely a complaint). Empty: no rating comments.
    pub rating_grades: Vec<Grade>,
    pub tickets: bool,
    pub qr: bool,
    pub feedback: bool,
}

impl Default for TopicSources {
    fn default() -> Self {
        TopicSources {
            rating_grades: vec![Grade::Unsatisfied, Grade::VeryUnsatisfied],
            tickets: true,
            qr: true,
            feedback: true,
        }
    }
}

impl Store {
    /// The period's texts, oldest first per source; empty texts are left out. Ratings an
    /// upheld appeal took out of the statistics are left out too.
    pub fn topic_texts(
        &mut self,
        period: &Period,
        sources: &TopicSources,
    ) -> Result<Vec<TopicText>, StoreError> {
        let range: Vec<Value> = vec![period.start_ts().into(), period.end_ts().into()];
        let mut specs: Vec<(SourceKind, String)> = Vec::new();
        if !sources.rating_grades.is_empty() {
            let codes: Vec<String> = sources
                .rating_grades
                .iter()
                .map(|g| g.code().to_string())
                .collect();
            let hint = super::bad_index_hint(&sources.rating_grades);
            specs.push((
                SourceKind::Rating,
                format!(
                    "SELECT r.rating_no, r.rated_at, d.name, r.comment, r.rater_name
                     FROM ratings r LEFT JOIN departments d ON d.id = r.department_id
                     WHERE {hint}r.rated_at >= ? AND r.rated_at <= ? AND r.grade IN ({})
                       AND r.comment IS NOT NULL AND TRIM(r.comment) <> ''
                       AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.rating_id = r.id AND a.state = 'upheld')
                     ORDER BY r.rated_at, r.rating_no",
                    codes.join(", ")
                ),
            ));
        }
        if sources.tickets {
            specs.push((
                SourceKind::Ticket,
                "SELECT t.ticket_no, t.received_at, d.name, t.content, t.citizen_name
                 FROM tickets t LEFT JOIN departments d ON d.id = t.department_id
                 WHERE t.received_at >= ? AND t.received_at <= ?
                   AND t.content IS NOT NULL AND TRIM(t.content) <> ''
                 ORDER BY t.received_at, t.ticket_no"
                    .into(),
            ));
        }
        if sources.qr {
            specs.push((
                SourceKind::QrReport,
                "SELECT q.report_no, q.received_at, d.name, q.content, q.reporter_name
                 FROM qr_reports q LEFT JOIN departments d ON d.id = q.department_id
                 WHERE q.received_at >= ? AND q.received_at <= ? AND TRIM(q.content) <> ''
                 ORDER BY q.received_at, q.report_no"
                    .into(),
            ));
        }
        if sources.feedback {
            specs.push((
                SourceKind::Feedback,
                "SELECT f.feedback_no, f.received_on || ' 00:00:00', d.name, f.content, s.name
                 FROM supervisor_feedback f JOIN supervisors s ON s.id = f.supervisor_id
                 LEFT JOIN departments d ON d.id = f.department_id
                 WHERE f.received_on || ' 00:00:00' >= ? AND f.received_on || ' 00:00:00' <= ?
                   AND TRIM(f.content) <> ''
                 ORDER BY f.received_on, f.feedback_no"
                    .into(),
            ));
        }
        let mut out = Vec::new();
        for (source, sql) in specs {
            for r in self.backend().query(&sql, &range)? {
                out.push(TopicText {
                    source,
                    number: r.text(0),
                    at: r.text(1),
                    department: r.opt_text(2),
                    text: r.text(3),
                    person: r.opt_text(4),
                });
            }
        }
        Ok(out)
    }

    /// Names of staff and supervisors: masked wherever an example quotes them.
    pub fn person_names(&mut self) -> Result<Vec<String>, StoreError> {
        let rows = self.backend().query(
            "SELECT name FROM staff UNION SELECT name FROM supervisors",
            &[],
        )?;
        Ok(rows.iter().map(|r| r.text(0)).collect())
    }
}
