//! Device cookies (OWASP's "device cookies" scheme, issue 20): a browser that has signed in to
//! an account carries a cookie naming that account and a random device id, authenticated with
//! the key file's MAC key. Its sign-in attempts are counted against that device alone, so
//! failures made elsewhere — someone guessing the chair's password from anywhere — never lock
//! it out; a device's own failures lock only that device. Browsers without one (untrusted
//! clients) are limited per account and per address as before.
//!
//! The cookie is only a sign-in throttle's exemption: it grants nothing else, and is sent only
//! to the sign-in endpoint.

use super::keys::Keyring;
use rand_core::{OsRng, RngCore};

/// The cookie's name.
pub const COOKIE: &str = "ladder_device";
/// The only path the browser sends it to.
pub const PATH: &str = "/api/sign_in";

/// A device the server recognised: whose it is and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub user_id: i64,
    pub id: String,
}

impl Device {
    /// The key its failures are counted under (beside `user:…` and `unknown:…`).
    pub fn counter_key(&self) -> String {
        format!("device:{}", self.id)
    }
}

const LABEL: &str = "ladder.device/1|";

/// A new device cookie's value for `user_id`: `user.id.tag`.
pub fn issue(keys: &Keyring, user_id: i64) -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let id = hex::encode(bytes);
    let tag = keys.tag(LABEL, format!("{user_id}.{id}").as_bytes());
    format!("{user_id}.{id}.{tag}")
}

/// The device a cookie value names, if the key file (current or retired keys) vouches for it.
pub fn read(keys: &Keyring, value: &str) -> Option<Device> {
    let mut parts = value.splitn(3, '.');
    let (user, id, tag) = (parts.next()?, parts.next()?, parts.next()?);
    let user_id: i64 = user.parse().ok()?;
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    keys.check_tag(LABEL, format!("{user_id}.{id}").as_bytes(), tag)
        .then(|| Device {
            user_id,
            id: id.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn ring() -> Keyring {
        Keyring::generate(Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap())
    }

    #[test]
    fn a_device_cookie_reads_back_only_with_its_keys_and_unchanged() {
        let keys = ring();
        let cookie = issue(&keys, 42);
        let device = read(&keys, &cookie).expect("reads back");
        assert_eq!(device.user_id, 42);
        assert_eq!(device.counter_key(), format!("device:{}", device.id));
        // Two sign-ins, two devices.
        assert_ne!(read(&keys, &issue(&keys, 42)).unwrap().id, device.id);
        // Another account's number, another id, another tag, another key file: nothing.
        let (_, rest) = cookie.split_once('.').unwrap();
        assert_eq!(read(&keys, &format!("43.{rest}")), None);
        let mut altered = cookie.clone();
        let last = altered.pop().unwrap();
        altered.push(if last == '0' { '1' } else { '0' });
        assert_eq!(read(&keys, &altered), None);
        assert_eq!(read(&ring(), &cookie), None);
        for junk in ["", "42", "42.x.y", "x.0123456789abcdef0123456789abcdef.00"] {
            assert_eq!(read(&keys, junk), None, "{junk}");
        }
        // After a rotation the browser is still known.
        let rotated = keys.rotated(Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap());
        assert_eq!(read(&rotated, &cookie), Some(device));
    }
}
