//! Masking of personal data. Every view, export and log goes through these functions unless
//! the viewer's role may see the clear text.

use serde::{Deserialize, Serialize};

/// Who is looking. Only roles for which [`Role::sees_personal_data`] is true get clear text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Bureau staff handling callbacks: may see contact data, and each unmasking is logged.
    Handler,
    /// Bureau staff compiling statistics and reports.
    #[default]
    Analyst,
    /// A department clerk working its ledger items.
    Department,
    /// An appointed supervisor.
    Supervisor,
    /// Anyone else (public pages).
    Public,
}

impl Role {
    pub fn sees_personal_data(self) -> bool {
        matches!(self, Role::Handler)
    }
}

/// "13812345678" → "138****5678"; landlines keep their area code and last two digits.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.trim().chars().collect();
    let n = digits.len();
    if n >= 11 {
        let head: String = digits[..3].iter().collect();
        let tail: String = digits[n - 4..].iter().collect();
        format!("{head}****{tail}")
    } else if n > 4 {
        let head: String = digits[..n.min(4) - 2].iter().collect();
        let tail: String = digits[n - 2..].iter().collect();
        format!("{head}{}{tail}", "*".repeat(n - head.chars().count() - 2))
    } else {
        "*".repeat(n)
    }
}

/// "张三" → "张*", "欧阳娜娜" → "欧***".
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

/// 18-digit ID numbers keep the 6-digit region prefix and the last 4 characters.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    let n = chars.len();
    if n <= 10 {
        return "*".repeat(n);
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[n - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(n - 10))
}

/// Masks 11-digit mobile numbers and 18-character ID numbers inside free text
/// (comments, complaint contents), which citizens often type in.
pub fn mask_free_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == 'X' || **c == 'x')
            .count();
        if run >= 11 && chars[i].is_ascii_digit() {
            let s: String = chars[i..i + run].iter().collect();
            out.push_str(&if run >= 15 {
                mask_id_number(&s)
            } else {
                mask_phone(&s)
            });
            i += run;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Applies the role's right to see personal data.
pub fn show(role: Role, value: &str, mask: fn(&str) -> String) -> String {
    if role.sees_personal_data() {
        value.to_string()
    } else {
        mask(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("4731234567"), "47******67");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_id_number("150303198001011234"), "150303********1234");
        assert_eq!(
            mask_free_text("请回电13812345678，身份证15030319800101123X谢谢"),
            "请回电138****5678，身份证150303********123X谢谢"
        );
        assert_eq!(mask_free_text("编号2023"), "编号2023");
    }

    #[test]
    fn only_handlers_see_clear_text() {
        assert_eq!(
            show(Role::Handler, "13812345678", mask_phone),
            "13812345678"
        );
        assert_eq!(
            show(Role::Analyst, "13812345678", mask_phone),
            "138****5678"
        );
    }
}
