//! Templates embedded in the binary, each replaceable by a file of the same name in an
//! override folder (the bureau's own wording).
//!
//! All templates are compiled when the set is built, so a broken override fails before any
//! document is written, with the file and line in the message. Undefined variables are errors
//! (strict mode): a misspelt figure name must not silently print as nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{Environment, ErrorKind};
use serde::Serialize;

use crate::error::TemplateError;

/// A compiled set of templates.
pub struct Templates {
    env: Environment<'static>,
    /// Template name → override file it was read from (`None`: embedded).
    origin: BTreeMap<String, Option<PathBuf>>,
    unknown: Vec<PathBuf>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("origin", &self.origin)
            .field("unknown", &self.unknown)
            .finish()
    }
}

impl Templates {
    /// Only the embedded templates.
    pub fn embedded(list: &[(&'static str, &'static str)]) -> Result<Self, TemplateError> {
        Self::load(list, None)
    }

    /// Embedded templates `(name, source)`, each replaced by `dir/name` when that file exists.
    /// Names ending in `.html` are HTML-escaped; others (`.md`, `.txt`) are not.
    pub fn load(
        list: &[(&'static str, &'static str)],
        dir: Option<&Path>,
    ) -> Result<Self, TemplateError> {
        Self::load_with(list, dir, |_| {})
    }

    /// Like [`Templates::load`], with `configure` applied to the environment before any
    /// template is compiled: syntax settings (e.g. `trim_blocks`) only apply to templates added
    /// after them, and filters or functions the templates call must exist when they render.
    pub fn load_with(
        list: &[(&'static str, &'static str)],
        dir: Option<&Path>,
        configure: impl FnOnce(&mut Environment<'static>),
    ) -> Result<Self, TemplateError> {
        let mut env = Environment::new();
        crate::html::configure(&mut env);
        configure(&mut env);
        let mut origin = BTreeMap::new();
        for (name, source) in list {
            let file = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let text = match &file {
                Some(path) => read_override(name, path)?,
                None => (*source).to_string(),
            };
            env.add_template_owned(name.to_string(), text)
                .map_err(|e| locate(&e, file.as_deref(), name))?;
            origin.insert(name.to_string(), file);
        }
        let unknown = match dir {
            Some(d) => unknown_files(d, &origin),
            None => Vec::new(),
        };
        Ok(Self {
            env,
            origin,
            unknown,
        })
    }

    /// Renders template `name` with `ctx`; errors name the file (or embedded template) and line.
    pub fn render(&self, name: &str, ctx: impl Serialize) -> Result<String, TemplateError> {
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|e| locate(&e, None, name))?;
        tmpl.render(minijinja::value::Serde(ctx)).map_err(|e| {
            let e = innermost(&e);
            let at = e.name().unwrap_or(name).to_string();
            let file = self.origin.get(&at).cloned().flatten();
            locate(e, file.as_deref(), &at)
        })
    }

    /// The override file a template was read from, `None` when embedded.
    pub fn override_of(&self, name: &str) -> Option<&Path> {
        self.origin.get(name).and_then(|o| o.as_deref())
    }

    /// Files in the override folder that match no template name (likely misspelt), so the
    /// caller can warn that they have no effect.
    pub fn unknown_overrides(&self) -> &[PathBuf] {
        &self.unknown
    }

    /// The environment, e.g. to add filters the narrative templates use.
    pub fn env_mut(&mut self) -> &mut Environment<'static> {
        &mut self.env
    }
}

fn read_override(name: &str, path: &Path) -> Result<String, TemplateError> {
    let bytes = std::fs::read(path).map_err(|e| TemplateError {
        file: Some(path.to_path_buf()),
        name: name.to_string(),
        line: None,
        message: format!("无法读取({e})"),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        TemplateError {
            file: Some(path.to_path_buf()),
            name: name.to_string(),
            line: Some(line),
            message: "文件不是 UTF-8 编码(请用 UTF-8 保存,而非 GBK)".into(),
        }
    })
}

/// An error inside an included or imported template reaches the caller wrapped in an error
/// of the including template ("error in …"); the innermost one names the file to fix.
fn innermost(e: &minijinja::Error) -> &minijinja::Error {
    let mut best = e;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(inner) = c.downcast_ref::<minijinja::Error>()
            && inner.name().is_some()
        {
            best = inner;
        }
        cause = c.source();
    }
    best
}

fn locate(e: &minijinja::Error, file: Option<&Path>, name: &str) -> TemplateError {
    let what = match e.kind() {
        ErrorKind::SyntaxError => "语法错误",
        ErrorKind::UndefinedError => "使用了未定义的变量",
        ErrorKind::UnknownFilter => "未知的过滤器",
        ErrorKind::UnknownFunction => "未知的函数",
        ErrorKind::UnknownTest => "未知的测试",
        ErrorKind::TemplateNotFound => "找不到模板",
        ErrorKind::InvalidOperation => "无效的操作",
        ErrorKind::MissingArgument | ErrorKind::TooManyArguments => "参数个数不对",
        _ => "渲染失败",
    };
    let message = match e.detail() {
        Some(detail) => format!("{what}({detail})"),
        None => what.to_string(),
    };
    TemplateError {
        file: file.map(Path::to_path_buf),
        name: name.to_string(),
        line: e.line(),
        message,
    }
}

fn unknown_files(dir: &Path, known: &BTreeMap<String, Option<PathBuf>>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                let name = rel.to_string_lossy().replace('\\', "/");
                if !known.contains_key(&name) {
                    out.push(path);
                }
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    const LIST: &[(&str, &str)] = &[
        ("intro.md", "全市共产生评价数据{{ total }}条。"),
        ("page.html", "<p>{{ text }}</p>"),
    ];

    #[test]
    fn embedded_templates_render_and_html_is_escaped() {
        let t = Templates::embedded(LIST).unwrap();
        assert_eq!(
            t.render("intro.md", context! { total => 236816 }).unwrap(),
            "全市共产生评价数据236816条。"
        );
        assert_eq!(
            t.render("page.html", context! { text => "<b>" }).unwrap(),
            "<p>&lt;b&gt;</p>"
        );
        assert_eq!(t.override_of("intro.md"), None);
    }

    #[test]
    fn an_override_changes_the_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("intro.md"),
            "本年度共收到评价{{ total }}条。",
        )
        .unwrap();
        let t = Templates::load(LIST, Some(dir.path())).unwrap();
        assert_eq!(
            t.render("intro.md", context! { total => 5 }).unwrap(),
            "本年度共收到评价5条。"
        );
        assert_eq!(
            t.override_of("intro.md"),
            Some(dir.path().join("intro.md").as_path())
        );
        // the other template stays embedded
        assert_eq!(
            t.render("page.html", context! { text => "x" }).unwrap(),
            "<p>x</p>"
        );
    }

    #[test]
    fn a_syntax_error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("intro.md");
        std::fs::write(&path, "第一行\n第二行\n共{{ total 条。\n").unwrap();
        let err = Templates::load(LIST, Some(dir.path())).unwrap_err();
        assert_eq!(err.file.as_deref(), Some(path.as_path()));
        assert_eq!(err.line, Some(3));
        let msg = err.to_string();
        assert!(
            msg.contains(&path.display().to_string())
                && msg.contains("第 3 行")
                && msg.contains("语法错误"),
            "{msg}"
        );
    }

    #[test]
    fn an_undefined_variable_fails_at_render_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("intro.md");
        std::fs::write(&path, "总数\n{{ totl }}条\n").unwrap();
        let t = Templates::load(LIST, Some(dir.path())).unwrap();
        let err = t.render("intro.md", context! { total => 1 }).unwrap_err();
        assert_eq!(
            (err.file.as_deref(), err.line),
            (Some(path.as_path()), Some(2))
        );
        assert!(err.to_string().contains("未定义的变量"), "{err}");
    }

    #[test]
    fn an_error_in_an_included_template_names_that_file() {
        const NESTED: &[(&str, &str)] = &[
            ("main.md", "标题\n\n{% include \"part.md\" %}\n"),
            ("part.md", "正文"),
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("part.md");
        std::fs::write(&path, "第一行\n{{ totl }}\n").unwrap();
        let t = Templates::load(NESTED, Some(dir.path())).unwrap();
        let err = t.render("main.md", context! { total => 1 }).unwrap_err();
        assert_eq!(
            (err.file.as_deref(), err.line),
            (Some(path.as_path()), Some(2)),
            "{err}"
        );
    }

    #[test]
    fn non_utf8_override_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        // "ok" then "中文" in GBK, which is not UTF-8
        std::fs::write(dir.path().join("intro.md"), b"ok\n\xD6\xD0\xCE\xC4").unwrap();
        let err = Templates::load(LIST, Some(dir.path())).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }

    #[test]
    fn misspelt_override_files_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("intr.md"), "x").unwrap();
        let t = Templates::load(LIST, Some(dir.path())).unwrap();
        assert_eq!(t.unknown_overrides(), &[dir.path().join("intr.md")]);
    }
}
