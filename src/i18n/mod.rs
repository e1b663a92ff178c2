//! The two languages. Chinese (zh-CN) is the default; English is complete. Every user-visible
//! string is a [`Key`]; the tables in `zh.rs` and `en.rs` give its text, and a test fails when
//! either table misses a key, repeats one, or leaves one empty.

mod en;
mod zh;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The cookie that keeps the language choice.
pub const LANG_COOKIE: &str = "ladder_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The cookie and form value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The language from a `Cookie:`-style string (`a=1; ladder_lang=en`); the default when the
    /// cookie is absent or names no known language.
    pub fn from_cookie_header(cookies: &str) -> Lang {
        cookies
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| Lang::from_code(v))
            .unwrap_or_default()
    }

    /// The value of `<html lang>`.
    pub fn html_lang(self) -> &'static str {
        self.code()
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn text(self, key: Key) -> &'static str {
        let table = match self {
            Lang::Zh => zh::TABLE,
            Lang::En => en::TABLE,
        };
        lookup(table, key).unwrap_or_else(|| key.name())
    }
}

/// Tables are kept in key order, so lookup is an index; the search is a fallback for a table
/// out of order (which the tests reject).
fn lookup(table: &[(Key, &'static str)], key: Key) -> Option<&'static str> {
    match table.get(key as usize) {
        Some((k, text)) if *k == key => Some(text),
        _ => table.iter().find(|(k, _)| *k == key).map(|(_, text)| *text),
    }
}

/// The reactive language of the running app.
#[derive(Clone, Copy)]
pub struct LangCtx(pub RwSignal<Lang>);

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<LangCtx>().map_or_else(|| RwSignal::new(Lang::default()), |c| c.0)
}

/// A key's text that follows the language switch.
pub fn t(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().text(key)
}

/// The browser's cookies (empty outside a browser).
#[cfg(feature = "hydrate")]
pub fn document_cookie() -> String {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| d.cookie().ok())
        .unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
pub fn document_cookie() -> String {
    String::new()
}

macro_rules! keys {
    ($($k:ident),* $(,)?) => {
        /// Every user-visible string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Key { $($k),* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$k),*];

            pub fn name(self) -> &'static str {
                match self { $(Key::$k => stringify!($k)),* }
            }
        }
    };
}

include!("keys.rs");

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn check(name: &str, table: &[(Key, &str)]) {
        let mut seen = HashSet::new();
        for (i, (k, text)) in table.iter().enumerate() {
            assert!(seen.insert(*k), "{name}: {k:?} appears twice");
            assert!(!text.trim().is_empty(), "{name}: {k:?} is empty");
            assert_eq!(*k as usize, i, "{name}: {k:?} is out of key order");
        }
        let missing: Vec<_> = Key::ALL.iter().filter(|k| !seen.contains(k)).collect();
        assert!(missing.is_empty(), "{name} is missing {missing:?}");
    }

    #[test]
    fn both_languages_have_every_key() {
        check("zh", zh::TABLE);
        check("en", en::TABLE);
    }

    /// English pages write amounts in English: no "万元" anywhere in the English texts.
    #[test]
    fn english_amounts_are_in_english() {
        for (k, text) in en::TABLE {
            assert!(!text.contains('万'), "{k:?}: {text}");
        }
        assert_eq!(Lang::En.text(Key::Wan), "×10k CNY");
    }

    #[test]
    fn chinese_is_default_and_codes_round_trip() {
        assert_eq!(Lang::default(), Lang::Zh);
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_cookie_header("a=1; ladder_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("ladder_lang=fr"), Lang::Zh);
        assert_eq!(Lang::Zh.text(Key::AppName), "Ladder 技术经理人评价");
    }
}
