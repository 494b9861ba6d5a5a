//! Renderers of the report model. Markdown goes through minijinja templates embedded in the
//! binary (one per section, each overridable by a bureau: see `narrative` and
//! `docs/templates.md`); JSON is the serialized model.

use crate::ReportError;
use crate::model::AnnualReport;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, escape_formatter};

/// The annual report's templates: (name, source).
pub const ANNUAL_TEMPLATES: &[(&str, &str)] = &[
    (
        "annual/report.md.j2",
        include_str!("../templates/annual/report.md.j2"),
    ),
    (
        "annual/macros.j2",
        include_str!("../templates/annual/macros.j2"),
    ),
    (
        "annual/s1_system.j2",
        include_str!("../templates/annual/s1_system.j2"),
    ),
    (
        "annual/s2_basics.j2",
        include_str!("../templates/annual/s2_basics.j2"),
    ),
    (
        "annual/s3_hotline.j2",
        include_str!("../templates/annual/s3_hotline.j2"),
    ),
    (
        "annual/s4_ratings.j2",
        include_str!("../templates/annual/s4_ratings.j2"),
    ),
    (
        "annual/s5_supervisors.j2",
        include_str!("../templates/annual/s5_supervisors.j2"),
    ),
    (
        "annual/s6_qr.j2",
        include_str!("../templates/annual/s6_qr.j2"),
    ),
    (
        "annual/s7_assessment.j2",
        include_str!("../templates/annual/s7_assessment.j2"),
    ),
    (
        "annual/s8_topics.j2",
        include_str!("../templates/annual/s8_topics.j2"),
    ),
    (
        "annual/appendix.j2",
        include_str!("../templates/annual/appendix.j2"),
    ),
    (
        "annual/rectification.j2",
        include_str!("../templates/annual/rectification.j2"),
    ),
    (
        "annual/credibility.j2",
        include_str!("../templates/annual/credibility.j2"),
    ),
];

const MARKDOWN: &str = "markdown";

fn is_markdown(a: &AutoEscape) -> bool {
    matches!(a, AutoEscape::Custom(name) if name == MARKDOWN)
}

/// Backslash-escapes the characters that would turn free text (a citizen's comment, a masked
/// phone "138****5678") into Markdown markup.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// 1 → 一, 12 → 十二, 23 → 二十三 (up to 99; larger numbers in digits).
pub fn chinese_number(n: u64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

/// Joins the lines of a block into one line: Chinese text needs no spaces, so a template
/// can wrap a long sentence over several indented lines.
fn inline(value: Value) -> Value {
    let text = value.to_string();
    let joined: String = text.lines().map(str::trim).collect();
    if value.is_safe() {
        Value::from_safe_string(joined)
    } else {
        Value::from(joined)
    }
}

/// Like `inline`, ending the paragraph with a newline so the blank line a template leaves
/// after it separates it from the next.
fn para(value: Value) -> Value {
    let line = inline(value);
    let text = format!("{line}\n");
    if line.is_safe() {
        Value::from_safe_string(text)
    } else {
        Value::from(text)
    }
}

/// The Markdown environment with the annual templates loaded. Every interpolated value is
/// Markdown-escaped unless a template marks it safe; printing a missing value is an error.
pub fn markdown_environment() -> Result<Environment<'static>, ReportError> {
    let mut env = Environment::new();
    configure_markdown(&mut env);
    for (name, source) in ANNUAL_TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

/// What every narrative template relies on: strict undefined values, Markdown escaping of
/// interpolated values, `trim_blocks`/`lstrip_blocks`, the `para` and `inline` filters and
/// the `cn` function. Must be applied before templates are added (syntax settings only
/// apply to templates compiled after them).
pub fn configure_markdown(env: &mut Environment<'static>) {
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Custom(MARKDOWN.into()));
    env.set_formatter(|out, state, value| {
        if value.is_none() || value.is_undefined() {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "模板输出了空值（请先用 if 判断该字段是否存在）",
            ));
        }
        if is_markdown(state.auto_escape()) && !value.is_safe() {
            return out
                .write_str(&escape_markdown(&value.to_string()))
                .map_err(Error::from);
        }
        escape_formatter(out, state, value)
    });
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .expect("the default delimiters are valid");
    env.set_syntax(syntax);
    env.add_filter("para", para);
    env.add_filter("inline", inline);
    env.add_function("cn", |n: u64| chinese_number(n));
}

fn template_error(name: &str, e: &Error) -> ReportError {
    ReportError::Template {
        name: e.name().unwrap_or(name).to_string(),
        message: e.to_string(),
    }
}

/// The annual report in Markdown, from the embedded templates.
pub fn annual_markdown(report: &AnnualReport) -> Result<String, ReportError> {
    let templates = crate::to_document::annual_templates(None)?;
    crate::to_document::annual_markdown_with(report, &templates)
}

/// The annual report model as pretty JSON.
pub fn annual_json(report: &AnnualReport) -> Result<String, ReportError> {
    let mut s = serde_json::to_string_pretty(report).map_err(|e| ReportError::Template {
        name: "json".into(),
        message: e.to_string(),
    })?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 7, 10, 12, 20, 23, 99, 100]
            .iter()
            .map(|n| chinese_number(*n))
            .collect();
        assert_eq!(
            got,
            ["一", "七", "十", "十二", "二十", "二十三", "九十九", "100"]
        );
    }

    #[test]
    fn free_text_cannot_become_markup() {
        assert_eq!(
            escape_markdown("电话138****5678"),
            "电话138\\*\\*\\*\\*5678"
        );
        assert_eq!(escape_markdown("# 标题 [链接]"), "\\# 标题 \\[链接\\]");
    }

    #[test]
    fn values_are_escaped_and_blocks_join_into_paragraphs() {
        let mut env = markdown_environment().unwrap();
        env.add_template(
            "t",
            "{% filter para %}\n  甲{{ x }}，\n  乙**{{ cn(3) }}**。\n{% endfilter %}",
        )
        .unwrap();
        let out = env
            .get_template("t")
            .unwrap()
            .render(minijinja::context! { x => "a*b" })
            .unwrap();
        assert_eq!(out, "甲a\\*b，乙**三**。\n");
        let err = env
            .render_str("{{ y }}", minijinja::context! { y => () })
            .unwrap_err();
        assert!(err.to_string().contains("空值"), "{err}");
    }
}
