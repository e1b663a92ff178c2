//! Session tokens and cookies. The cookie holds 32 random bytes; the database holds only their
//! SHA-256, so a leaked database cannot be replayed as cookies.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "ladder_session";
pub use crate::i18n::LANG_COOKIE;

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A cookie's value from the request headers.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The language a request asked for (its cookie), or the default.
pub fn request_lang(headers: &HeaderMap) -> crate::i18n::Lang {
    read_cookie(headers, LANG_COOKIE)
        .and_then(|c| crate::i18n::Lang::from_code(&c))
        .unwrap_or_default()
}

/// `Set-Cookie` for the session: HttpOnly, SameSite=Lax, Secure when asked.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value =
        format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` for a device cookie (`service::devices`): HttpOnly, sent only to the sign-in
/// endpoint, SameSite=Strict, Secure when asked.
pub fn device_cookie(value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    use crate::service::devices::{COOKIE, PATH};
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{COOKIE}={value}; Path={PATH}; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    session_cookie("", 0, secure)
}

/// The language choice is not a secret; a year-long, script-readable cookie.
pub fn lang_cookie(code: &str) -> HeaderValue {
    let value = format!("{LANG_COOKIE}={code}; Path=/; SameSite=Lax; Max-Age=31536000");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_named_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; ladder_session=abc; ladder_lang=en"),
        );
        assert_eq!(read_cookie(&h, COOKIE).as_deref(), Some("abc"));
        assert_eq!(read_cookie(&h, LANG_COOKIE).as_deref(), Some("en"));
        assert_eq!(read_cookie(&h, "missing"), None);
    }

    #[test]
    fn session_cookie_attributes() {
        let c = session_cookie("t", 60, true);
        let s = c.to_str().unwrap();
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.contains("Secure"));
        assert!(
            !session_cookie("t", 60, false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_token());
        assert_ne!(token_hash(&t), t);
        assert_eq!(token_hash(&t), token_hash(&t));
    }
}
