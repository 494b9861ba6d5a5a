//! One rating per case and attempt: a case (办件) gets at most one 首评 and one 追评, whatever
//! channel they come from. The intake's idempotency key is the 评价编号; this is the check
//! the API and the pads make before submitting a rating that names its case.

use crate::backend::RowExt;
use crate::{Store, StoreError};

impl Store {
    /// The 评价编号 of the rating already stored for `case_no` with this attempt (1 = 首评,
    /// 2 = 追评), if any.
    pub fn case_rating(
        &mut self,
        case_no: &str,
        attempt: u8,
    ) -> Result<Option<String>, StoreError> {
        let rows = self.backend().query(
            "SELECT rating_no FROM ratings WHERE case_no = ? AND attempt = ? ORDER BY id LIMIT 1",
            &[case_no.trim().into(), i64::from(attempt).into()],
        )?;
        Ok(rows.first().map(|r| r.text(0)))
    }
}
