//! A small macro for the many closed vocabularies of the domain: each variant has a stable
//! numeric code (what the database stores), a Chinese display name, and accepted aliases.

/// Defines an enum with `ALL`, `name()`, `code()`, `from_code()`, `parse()` (name, alias or
/// code), `Display`, and serde as the Chinese name.
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $ty:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $var:ident = $code:literal => $name:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(into = "&'static str", try_from = "String")]
        $vis enum $ty { $( $(#[$vmeta])* $var = $code ),+ }

        impl $ty {
            pub const ALL: &'static [$ty] = &[ $( $ty::$var ),+ ];

            pub fn name(self) -> &'static str {
                match self { $( $ty::$var => $name ),+ }
            }

            pub fn code(self) -> i64 {
                self as i64
            }

            pub fn from_code(code: i64) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Accepts the Chinese name, a documented alias, or the numeric code.
            pub fn parse(text: &str) -> Result<$ty, String> {
                let t = text.trim();
                let lower = t.to_lowercase();
                $(
                    if t == $name $(|| lower == $alias)* {
                        return Ok($ty::$var);
                    }
                )+
                if let Ok(n) = t.parse::<i64>()
                    && let Some(v) = Self::from_code(n)
                {
                    return Ok(v);
                }
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.name()).collect();
                Err(format!("无法识别的{}「{}」，应为 {}", $what, t, names.join("/")))
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl From<$ty> for &'static str {
            fn from(v: $ty) -> Self {
                v.name()
            }
        }

        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $ty::parse(&s)
            }
        }
    };
}
