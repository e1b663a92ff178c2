//! The server's keys, kept in one file outside the database (`LADDER_KEY_FILE`, mode 0600):
//!
//! - `seal`: a 32-byte XChaCha20-Poly1305 key that seals each meeting's ballot key in the
//!   database, with the meeting and its public key as associated data;
//! - `mac`: a 32-byte HMAC-SHA-256 key that authenticates each audit row's chain hash (and
//!   turns a mistyped login into something no one can reverse from the database alone);
//! - `sign`: an Ed25519 key that signs the audit chain's checkpoints, so an auditor verifies
//!   them with the public half alone.
//!
//! A key set is named by its id, the first 16 hex digits of SHA-256 of its public signing key.
//! Rotation (`ladder keys rotate`) makes a new current set and keeps the old ones as retired:
//! rows, seals and checkpoints made under them still verify and open. Several instances share
//! one file. Nothing here is ever logged; `Debug` prints ids only.

use super::checkpoints::{self, Reason};
use crate::db::audit::{self, AuditKeys};
use crate::db::{Db, trust};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The key file's format line.
pub const FORMAT: &str = "ladder.keys/1";

/// Why the keys could not be read, written or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "there is no key file at {0}: create it with `ladder keys init` (or set LADDER_KEY_FILE)"
    )]
    Missing(PathBuf),
    #[error("the key file {0} already exists; it is never overwritten")]
    Exists(PathBuf),
    #[error(
        "the key file {0} can be read by other users (mode {1:o}); make it private: chmod 600 {0}"
    )]
    Exposed(PathBuf, u32),
    #[error("the key file {path} cannot be read: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("the key file {0} cannot be written: {1}")]
    Unwritable(PathBuf, std::io::Error),
    #[error(
        "the key file holds key {file}, but this database was last used with key {database}: \
         give every instance the same key file"
    )]
    Mismatch { file: String, database: String },
    #[error("sealed with key {0}, which the key file does not hold")]
    UnknownKey(String),
    #[error("the sealed record does not open: it was changed, or sealed for something else")]
    Unsealed,
    #[error(transparent)]
    Database(#[from] crate::db::DbError),
}

/// One generation of keys.
struct KeySet {
    id: String,
    created: DateTime<Utc>,
    seal: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
    sign: SigningKey,
}

impl KeySet {
    fn generate(created: DateTime<Utc>) -> KeySet {
        let mut seal = Zeroizing::new([0u8; 32]);
        let mut mac = Zeroizing::new([0u8; 32]);
        let mut sign = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(seal.as_mut());
        OsRng.fill_bytes(mac.as_mut());
        OsRng.fill_bytes(sign.as_mut());
        let sign = SigningKey::from_bytes(&sign);
        KeySet {
            id: key_id(&sign.verifying_key()),
            created,
            seal,
            mac,
            sign,
        }
    }

    fn stored(&self) -> StoredSet {
        StoredSet {
            id: self.id.clone(),
            created: self.created.to_rfc3339_opts(SecondsFormat::Secs, true),
            seal: hex::encode(self.seal.as_ref()),
            mac: hex::encode(self.mac.as_ref()),
            sign: hex::encode(self.sign.to_bytes()),
        }
    }

    fn read(s: &StoredSet) -> Result<KeySet, String> {
        let bytes = |name: &str, text: &str| -> Result<Zeroizing<[u8; 32]>, String> {
            let mut out = Zeroizing::new([0u8; 32]);
            hex::decode_to_slice(text.trim(), out.as_mut())
                .map_err(|_| format!("key {}: {name} is not 64 hex digits", s.id))?;
            Ok(out)
        };
        let sign = SigningKey::from_bytes(&*bytes("sign", &s.sign)?);
        let id = key_id(&sign.verifying_key());
        if id != s.id {
            return Err(format!(
                "key {}: its id does not match its signing key ({id})",
                s.id
            ));
        }
        Ok(KeySet {
            id,
            created: DateTime::parse_from_rfc3339(&s.created)
                .map_err(|_| format!("key {}: created is not an RFC 3339 time", s.id))?
                .with_timezone(&Utc),
            seal: bytes("seal", &s.seal)?,
            mac: bytes("mac", &s.mac)?,
            sign,
        })
    }
}

/// A key set's id: the first 16 hex digits of SHA-256 of its public signing key.
pub fn key_id(public: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(public.as_bytes()))[..16].to_string()
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredSet {
    id: String,
    created: String,
    seal: String,
    mac: String,
    sign: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    format: String,
    current: StoredSet,
    #[serde(default)]
    retired: Vec<StoredSet>,
}

/// A record sealed with the current key: which key, the nonce and the ciphertext (with its tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

/// The keys, the current set first. Cloned cheaply into the application state (one `Arc`).
pub struct Keyring {
    current: KeySet,
    retired: Vec<KeySet>,
    /// Where the checkpoints this process signs are also appended (outside the database).
    checkpoint_file: Option<PathBuf>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current.id)
            .field(
                "retired",
                &self.retired.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

const HEADER: &str = "# Ladder's server keys. Keep this file secret (mode 0600), give every instance the same\n\
# copy, and back it up apart from the database: it is not in `ladder backup`, and without it\n\
# the audit log's newest rows cannot be verified. See docs/security.md.\n";

impl Keyring {
    /// A new keyring with one fresh key set.
    pub fn generate(now: DateTime<Utc>) -> Keyring {
        Keyring {
            current: KeySet::generate(now),
            retired: Vec::new(),
            checkpoint_file: None,
        }
    }

    /// Writes a new key file at `path` (mode 0600; never over an existing file).
    pub fn create(path: &Path, now: DateTime<Utc>) -> Result<Keyring, KeyError> {
        if path.exists() {
            return Err(KeyError::Exists(path.to_path_buf()));
        }
        let ring = Keyring::generate(now);
        ring.write(path, true)?;
        Ok(ring)
    }

    /// Reads the key file; refuses one other users could read.
    pub fn load(path: &Path) -> Result<Keyring, KeyError> {
        use std::os::unix::fs::PermissionsExt;
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(KeyError::Missing(path.to_path_buf()));
            }
            Err(e) => {
                return Err(KeyError::Unreadable {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                });
            }
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Exposed(path.to_path_buf(), mode));
        }
        let unreadable = |reason: String| KeyError::Unreadable {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
        let stored: Stored = toml::from_str(&text).map_err(|e| unreadable(e.message().into()))?;
        if stored.format != FORMAT {
            return Err(unreadable(format!(
                "format {} (expected {FORMAT})",
                stored.format
            )));
        }
        Ok(Keyring {
            current: KeySet::read(&stored.current).map_err(unreadable)?,
            retired: stored
                .retired
                .iter()
                .map(KeySet::read)
                .collect::<Result<_, _>>()
                .map_err(unreadable)?,
            checkpoint_file: None,
        })
    }

    /// The keyring with a new current key set; the old current one is retired, not dropped.
    pub fn rotated(self, now: DateTime<Utc>) -> Keyring {
        let mut retired = self.retired;
        retired.insert(0, self.current);
        Keyring {
            current: KeySet::generate(now),
            retired,
            checkpoint_file: self.checkpoint_file,
        }
    }

    /// Writes the keyring to `path`: a new file, or (`fresh` false) a replacement written
    /// beside it and renamed into place, so a crash leaves the old file or the new, never half.
    pub fn write(&self, path: &Path, fresh: bool) -> Result<(), KeyError> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let stored = Stored {
            format: FORMAT.into(),
            current: self.current.stored(),
            retired: self.retired.iter().map(KeySet::stored).collect(),
        };
        let text = Zeroizing::new(format!(
            "{HEADER}{}",
            toml::to_string(&stored).map_err(|e| KeyError::Unreadable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?
        ));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| KeyError::Unwritable(dir.into(), e))?;
        }
        let target = if fresh {
            path.to_path_buf()
        } else {
            path.with_extension("key.new")
        };
        let fail = |e| KeyError::Unwritable(target.clone(), e);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&target)
            .map_err(fail)?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        if !fresh {
            std::fs::rename(&target, path).map_err(|e| KeyError::Unwritable(path.into(), e))?;
        }
        Ok(())
    }

    /// The same keys, also appending the checkpoints they sign to `file`.
    pub fn with_checkpoint_file(mut self, file: Option<PathBuf>) -> Keyring {
        self.checkpoint_file = file;
        self
    }

    /// The current key set's id.
    /// Where this keyring's processes append the checkpoints they sign, if anywhere.
    pub fn checkpoint_file_path(&self) -> Option<&Path> {
        self.checkpoint_file.as_deref()
    }

    pub fn id(&self) -> &str {
        &self.current.id
    }

    pub fn created(&self) -> DateTime<Utc> {
        self.current.created
    }

    /// The current public signing key, as `ladder keys show` prints it (64 hex digits).
    pub fn public_key_text(&self) -> String {
        hex::encode(self.current.sign.verifying_key().as_bytes())
    }

    /// The ids of the retired key sets, newest first.
    pub fn retired_ids(&self) -> Vec<&str> {
        self.retired.iter().map(|k| k.id.as_str()).collect()
    }

    fn set(&self, id: &str) -> Option<&KeySet> {
        std::iter::once(&self.current)
            .chain(&self.retired)
            .find(|k| k.id == id)
    }

    /// The public signing key of every set, current first: what an auditor is given.
    pub fn public_keys(&self) -> Vec<(String, VerifyingKey)> {
        std::iter::once(&self.current)
            .chain(&self.retired)
            .map(|k| (k.id.clone(), k.sign.verifying_key()))
            .collect()
    }

    /// Seals `plaintext` with the current key, bound to `context` (associated data).
    pub fn seal(&self, context: &[u8], plaintext: &[u8]) -> Sealed {
        let cipher = XChaCha20Poly1305::new((&*self.current.seal).into());
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any message under 256 GiB");
        Sealed {
            key_id: self.current.id.clone(),
            nonce: nonce.to_vec(),
            ciphertext,
        }
    }

    /// Opens a sealed record, which must have been sealed for exactly `context`.
    pub fn open(&self, sealed: &Sealed, context: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let set = self
            .set(&sealed.key_id)
            .ok_or_else(|| KeyError::UnknownKey(sealed.key_id.clone()))?;
        if sealed.nonce.len() != 24 {
            return Err(KeyError::Unsealed);
        }
        XChaCha20Poly1305::new((&*set.seal).into())
            .decrypt(
                XNonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: context,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| KeyError::Unsealed)
    }

    /// A 128-bit HMAC-SHA-256 tag of `data` under the current MAC key, with `label` naming its
    /// use (device cookies).
    pub fn tag(&self, label: &str, data: &[u8]) -> String {
        hex::encode(&hmac(&self.current.mac, label.as_bytes(), data)[..16])
    }

    /// Whether `tag` is [`Keyring::tag`] of `data` under the current or a retired key, compared
    /// in constant time.
    pub fn check_tag(&self, label: &str, data: &[u8], tag: &str) -> bool {
        let Ok(tag) = hex::decode(tag) else {
            return false;
        };
        if tag.len() != 16 {
            return false;
        }
        std::iter::once(&self.current)
            .chain(&self.retired)
            .any(|set| {
                let mut m = <Hmac<Sha256> as Mac>::new_from_slice(set.mac.as_ref())
                    .expect("HMAC takes any key length");
                m.update(label.as_bytes());
                m.update(data);
                m.verify_truncated_left(&tag).is_ok()
            })
    }

    /// HMAC-SHA-256 of a typed login that matched no account: a name for its failures that
    /// cannot be turned back into what was typed without this key.
    pub fn login_tag(&self, login: &str) -> String {
        let mac = hmac(&self.current.mac, b"ladder.login/1|", login.as_bytes());
        hex::encode(&mac[..16])
    }
}

fn hmac(key: &[u8; 32], label: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(label);
    m.update(data);
    m.finalize().into_bytes().into()
}

impl AuditKeys for Keyring {
    fn current_id(&self) -> &str {
        &self.current.id
    }

    fn mac(&self, key_id: &str, data: &[u8]) -> Option<[u8; 32]> {
        self.set(key_id)
            .map(|k| hmac(&k.mac, b"ladder.audit/1|", data))
    }

    fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.current.sign.sign(message).to_bytes()
    }

    fn checkpoint_file(&self) -> Option<&Path> {
        self.checkpoint_file.as_deref()
    }
}

/// Binds the keyring to the database at start-up: the first key file a database meets becomes
/// its key; afterwards the file's current key must be the database's (or a newer one, after
/// `ladder keys rotate`, which retires the database's). Then the audit chain is anchored if it
/// has no checkpoint yet. `db` must already carry `keys` as its audit key.
pub async fn bind(db: &Db, keys: &Keyring, at: DateTime<Utc>) -> Result<(), KeyError> {
    let known = trust::keys(db).await?;
    match known.iter().find(|k| k.current) {
        Some(k) if k.id == keys.id() => {}
        Some(k) if !keys.retired_ids().contains(&k.id.as_str()) => {
            return Err(KeyError::Mismatch {
                file: keys.id().to_string(),
                database: k.id.clone(),
            });
        }
        previous => {
            let mut tx = db.begin_write().await?;
            trust::make_current(&mut tx, keys.id(), &keys.public_key_text(), at).await?;
            audit::append(
                &mut tx,
                at,
                &audit::Actor::system("keys"),
                audit::Change {
                    action: if previous.is_some() {
                        "keys.rotated"
                    } else {
                        "keys.first_use"
                    },
                    entity_type: "server_key",
                    entity_id: keys.id().to_string(),
                    before: previous.map(|k| k.id.clone()),
                    after: Some(keys.public_key_text()),
                },
            )
            .await?;
            // A new key signs the head at once (the first one anchors the chain).
            let reason = if previous.is_some() {
                Reason::Key
            } else {
                Reason::Anchor
            };
            let cp = checkpoints::sign_in(&mut tx, reason, at).await?;
            tx.commit().await?;
            checkpoints::export(db, &cp);
        }
    }
    checkpoints::anchor(db, at).await?;
    Ok(())
}

/// Verifies a signature made by one of `keys` (an auditor's public keys, or the keyring's).
pub fn verify_signature(
    keys: &[(String, VerifyingKey)],
    key_id: &str,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    keys.iter()
        .find(|(id, _)| id == key_id)
        .is_some_and(|(_, k)| k.verify(message, &signature).is_ok())
}

/// A public key as `ladder keys show` prints it and `--public-key` reads it: 64 hex digits.
pub fn read_public_key(text: &str) -> Option<(String, VerifyingKey)> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut bytes).ok()?;
    let key = VerifyingKey::from_bytes(&bytes).ok()?;
    Some((key_id(&key), key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_796_000_000, 0).unwrap()
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ladder-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        let _ = std::fs::remove_file(&p);
        p
    }

    #[test]
    fn a_key_file_is_private_never_overwritten_and_reads_back() {
        use std::os::unix::fs::PermissionsExt;
        let path = temp("a.key");
        let now = at();
        let ring = Keyring::create(&path, now).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(matches!(
            Keyring::create(&path, now),
            Err(KeyError::Exists(_))
        ));
        let read = Keyring::load(&path).unwrap();
        assert_eq!(read.id(), ring.id());
        assert_eq!(read.login_tag("x"), ring.login_tag("x"));
        // Nothing secret in its Debug form.
        let text = std::fs::read_to_string(&path).unwrap();
        let seal = text.lines().find(|l| l.starts_with("seal")).unwrap();
        let secret = seal.split('"').nth(1).unwrap();
        assert!(!format!("{read:?}").contains(secret));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(Keyring::load(&path), Err(KeyError::Exposed(..))));
        assert!(matches!(
            Keyring::load(&temp("none.key")),
            Err(KeyError::Missing(_))
        ));
    }

    #[test]
    fn a_changed_key_file_is_refused() {
        let path = temp("b.key");
        Keyring::create(&path, at()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        // Another signing key under the same id.
        let line = text.lines().find(|l| l.starts_with("sign")).unwrap();
        let changed = text.replace(line, &format!("sign = \"{}\"", "11".repeat(32)));
        std::fs::write(&path, changed).unwrap();
        assert!(matches!(
            Keyring::load(&path),
            Err(KeyError::Unreadable { .. })
        ));
    }

    #[test]
    fn seals_open_only_in_their_context_and_after_rotation() {
        let ring = Keyring::generate(at());
        let sealed = ring.seal(b"meeting 1", b"secret");
        assert_eq!(&**ring.open(&sealed, b"meeting 1").unwrap(), b"secret");
        assert!(matches!(
            ring.open(&sealed, b"meeting 2"),
            Err(KeyError::Unsealed)
        ));
        let mut flipped = sealed.clone();
        flipped.ciphertext[0] ^= 1;
        assert!(ring.open(&flipped, b"meeting 1").is_err());
        let old_id = ring.id().to_string();
        let sig = Signature::from_bytes(&AuditKeys::sign(&ring, b"head"));
        let mac = ring.mac(&old_id, b"row").unwrap();
        let rotated = ring.rotated(at());
        assert_ne!(rotated.id(), old_id);
        assert_eq!(rotated.retired_ids(), vec![old_id.as_str()]);
        // What the old key made still opens and verifies.
        assert_eq!(&**rotated.open(&sealed, b"meeting 1").unwrap(), b"secret");
        assert_eq!(rotated.mac(&old_id, b"row"), Some(mac));
        assert!(verify_signature(
            &rotated.public_keys(),
            &old_id,
            b"head",
            &sig.to_bytes()
        ));
        assert!(!verify_signature(
            &rotated.public_keys(),
            &old_id,
            b"tail",
            &sig.to_bytes()
        ));
        assert_eq!(rotated.mac("nobody", b"row"), None);
    }

    #[test]
    fn a_printed_public_key_reads_back_with_its_id() {
        let ring = Keyring::generate(at());
        let (id, key) = &ring.public_keys()[0];
        let (read_id, read) = read_public_key(&hex::encode(key.as_bytes())).unwrap();
        assert_eq!((&read_id, &read), (id, key));
        assert!(read_public_key("zz").is_none());
    }
}
