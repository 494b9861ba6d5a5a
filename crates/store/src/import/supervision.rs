//! Supervisors and their feedback, QR complaints, third-party findings, reported figures.

use super::ImportSession;
use crate::backend::{Row, RowExt, Value};
use crate::error::StoreError;
use jianping_core::records::{
    AssessmentRecord, FeedbackRecord, QrReportRecord, ReportedStatRecord, SupervisorRecord,
};
use jianping_core::time::{fmt_date, fmt_ts};

impl ImportSession<'_> {
    pub fn supervisors(&mut self, records: &[SupervisorRecord]) -> Result<(), StoreError> {
        for s in records {
            let cols = [
                "code",
                "name",
                "category",
                "unit",
                "phone",
                "appointed_on",
                "term_end",
            ];
            let values: Vec<Value> = vec![
                s.code.as_str().into(),
                s.name.as_str().into(),
                s.category.as_str().into(),
                s.unit.as_deref().into(),
                s.phone.as_deref().into(),
                fmt_date(&s.appointed_on).into(),
                s.term_end.as_ref().map(fmt_date).into(),
            ];
            self.summary.rows_read += 1;
            let found = self.db.query(
                &format!(
                    "SELECT id, {} FROM supervisors WHERE code = ?",
                    cols.join(", ")
                ),
                &[s.code.as_str().into()],
            )?;
            let id = if let Some(row) = found.first() {
                if row[1..] == values[..] {
                    self.summary.unchanged += 1;
                } else {
                    let sets: Vec<String> = cols.iter().map(|c| format!("{c} = ?")).collect();
                    let mut p = values.clone();
                    p.push(row.int(0).into());
                    self.db.execute(
                        &format!("UPDATE supervisors SET {} WHERE id = ?", sets.join(", ")),
                        &p,
                    )?;
                    self.summary.updated += 1;
                }
                row.int(0)
            } else {
                let marks = vec!["?"; cols.len()].join(", ");
                self.summary.inserted += 1;
                self.db
                    .query(
                        &format!(
                            "INSERT INTO supervisors ({}) VALUES ({marks}) RETURNING id",
                            cols.join(", ")
                        ),
                        &values,
                    )?
                    .first()
                    .map(|r| r.int(0))
                    .unwrap_or_default()
            };
            self.dims.remember_supervisor(&s.code, &s.name, id);
        }
        Ok(())
    }

    pub fn feedback(&mut self, records: &[FeedbackRecord]) -> Result<(), StoreError> {
        let mut rows: Vec<Row> = Vec::with_capacity(records.len());
        for f in records {
            let supervisor_id = self.dims.supervisor(&f.supervisor).ok_or_else(|| {
                StoreError::NotFound(format!(
                    "意见「{}」的监督员「{}」不存在：监督员由聘任产生，请先导入监督员名单(import supervisors)",
                    f.feedback_no, f.supervisor
                ))
            })?;
            let department_id = match &f.department {
                Some(d) => Some(self.dims.department(self.db, d, f.region.as_ref())?),
                None => None,
            };
            let region_id = match &f.region {
                Some(r) => Some(self.dims.region(self.db, r)?),
                None => None,
            };
            rows.push(vec![
                f.feedback_no.as_str().into(),
                supervisor_id.into(),
                fmt_date(&f.received_on).into(),
                f.category.as_str().into(),
                f.method.as_deref().into(),
                f.content.as_str().into(),
                department_id.into(),
                region_id.into(),
                self.summary.import_id.into(),
            ]);
        }
        self.upsert_rows(
            "supervisor_feedback",
            &[
                "feedback_no",
                "supervisor_id",
                "received_on",
                "category",
                "method",
                "content",
                "department_id",
                "region_id",
                "import_id",
            ],
            0,
            rows,
        )?;
        Ok(())
    }

    pub fn qr_reports(&mut self, records: &[QrReportRecord]) -> Result<(), StoreError> {
        let mut rows: Vec<Row> = Vec::with_capacity(records.len());
        for q in records {
            let department_id = match &q.department {
                Some(d) => Some(self.dims.department(self.db, d, q.region.as_ref())?),
                None => None,
            };
            let region_id = match &q.region {
                Some(r) => Some(self.dims.region(self.db, r)?),
                None => None,
            };
            let window_id = match (&q.window, &q.region) {
                (Some(w), Some(r)) => Some(self.dims.window(self.db, w, r, department_id)?),
                _ => None,
            };
            rows.push(vec![
                q.report_no.as_str().into(),
                fmt_ts(&q.received_at).into(),
                q.domain.as_str().into(),
                region_id.into(),
                window_id.into(),
                department_id.into(),
                q.content.as_str().into(),
                q.reporter_name.as_deref().into(),
                q.reporter_phone.as_deref().into(),
                q.closed_at.as_ref().map(fmt_ts).into(),
                q.handling.as_deref().into(),
                self.summary.import_id.into(),
            ]);
        }
        self.upsert_rows(
            "qr_reports",
            &[
                "report_no",
                "received_at",
                "domain",
                "region_id",
                "window_id",
                "department_id",
                "content",
                "reporter_name",
                "reporter_phone",
                "closed_at",
                "handling",
                "import_id",
            ],
            0,
            rows,
        )?;
        Ok(())
    }

    pub fn assessments(&mut self, records: &[AssessmentRecord]) -> Result<(), StoreError> {
        let mut rows: Vec<Row> = Vec::with_capacity(records.len());
        for a in records {
            let department_id = match &a.department {
                Some(d) => Some(self.dims.department(self.db, d, a.region.as_ref())?),
                None => None,
            };
            let region_id = match &a.region {
                Some(r) => Some(self.dims.region(self.db, r)?),
                None => None,
            };
            rows.push(vec![
                a.finding_no.as_str().into(),
                a.project.as_str().into(),
                a.assessor.as_deref().into(),
                a.method.as_str().into(),
                a.role.as_deref().into(),
                fmt_date(&a.assessed_on).into(),
                department_id.into(),
                region_id.into(),
                a.indicator.as_deref().into(),
                a.score.into(),
                a.full_score.into(),
                a.finding.as_str().into(),
                a.response.as_deref().into(),
                self.summary.import_id.into(),
            ]);
        }
        self.upsert_rows(
            "assessment_findings",
            &[
                "finding_no",
                "project",
                "assessor",
                "method",
                "role",
                "assessed_on",
                "department_id",
                "region_id",
                "indicator",
                "score",
                "full_score",
                "finding",
                "response",
                "import_id",
            ],
            0,
            rows,
        )?;
        Ok(())
    }

    pub fn reported_stats(&mut self, records: &[ReportedStatRecord]) -> Result<(), StoreError> {
        for s in records {
            self.summary.rows_read += 1;
            let region = s
                .region
                .as_ref()
                .map(|r| r.as_str().to_string())
                .unwrap_or_default();
            let period_to = fmt_date(&s.period_to);
            let values: Vec<Value> = vec![
                s.name.as_str().into(),
                s.value.into(),
                s.unit.as_deref().into(),
                s.source.as_str().into(),
                s.period_from.as_ref().map(fmt_date).into(),
            ];
            let found = self.db.query(
                "SELECT id, name, value, unit, source, period_from FROM reported_stats WHERE key = ? AND region_code = ? AND period_to = ?",
                &[s.key.as_str().into(), region.as_str().into(), period_to.as_str().into()],
            )?;
            match found.first() {
                Some(row) if row[1..] == values[..] => self.summary.unchanged += 1,
                Some(row) => {
                    let mut p = values.clone();
                    p.push(row.int(0).into());
                    self.db.execute(
                        "UPDATE reported_stats SET name = ?, value = ?, unit = ?, source = ?, period_from = ? WHERE id = ?",
                        &p,
                    )?;
                    self.summary.updated += 1;
                }
                None => {
                    let mut p: Vec<Value> = vec![
                        s.key.as_str().into(),
                        region.as_str().into(),
                        period_to.as_str().into(),
                    ];
                    p.extend(values);
                    self.db.execute(
                        "INSERT INTO reported_stats (key, region_code, period_to, name, value, unit, source, period_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        &p,
                    )?;
                    self.summary.inserted += 1;
                }
            }
        }
        Ok(())
    }
}
