//! Password hashing (argon2id with the crate's recommended parameters) and the password policy.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use std::sync::LazyLock;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("a password needs at least {MIN_LEN} characters")]
    TooShort,
    #[error("a password has at most {MAX_LEN} characters")]
    TooLong,
}

pub fn check_policy(password: &str) -> Result<(), PolicyError> {
    let n = password.chars().count();
    if n < MIN_LEN {
        Err(PolicyError::TooShort)
    } else if n > MAX_LEN {
        Err(PolicyError::TooLong)
    } else {
        Ok(())
    }
}

/// A PHC string (`$argon2id$v=19$...`).
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        // Hashing fails only for parameter errors, which the defaults cannot have.
        .unwrap_or_default()
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashes at once, at most: half the cores (at least one). A burst of sign-ins (the first
/// attempts of a credential-stuffing flood, a class signing in at nine) then queues for
/// those, and the other cores keep serving pages.
static HASHING: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    tokio::sync::Semaphore::new(cores.div_ceil(2))
});

/// Runs a hash or a check (tens of milliseconds of CPU) on the blocking pool, not on one of
/// the few threads that serve every other request, and no more of them at once than
/// [`HASHING`] allows.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, crate::api::AppError> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "password work did not finish");
        crate::api::AppError::Internal
    };
    let _turn = HASHING.acquire().await.map_err(|e| failed(&e))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| failed(&e))
}

/// [`hash`], off the request threads.
pub async fn hashed(password: &str) -> Result<String, crate::api::AppError> {
    let text = password.to_string();
    off_thread(move || hash(&text)).await
}

/// [`verify`], off the request threads.
pub async fn verified(password: &str, phc: &str) -> Result<bool, crate::api::AppError> {
    let (text, phc) = (password.to_string(), phc.to_string());
    off_thread(move || verify(&text, &phc)).await
}

/// [`verify_dummy`], off the request threads: always false.
pub async fn verified_dummy(password: &str) -> Result<bool, crate::api::AppError> {
    let text = password.to_string();
    off_thread(move || {
        verify_dummy(&text);
        false
    })
    .await
}

/// Spends the same time as a real check when the account does not exist, so response time
/// does not reveal which usernames are registered.
pub fn verify_dummy(password: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash("not-a-real-password"));
    let _ = verify(password, &DUMMY);
}

/// A random password for resets and new accounts, shown once to the admin.
pub fn generate() -> String {
    use argon2::password_hash::rand_core::RngCore;
    // No 0/O, 1/l/I: people type these from a screen or a phone call.
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 14];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("correct horse");
        let b = hash("correct horse");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify("correct horse", &a));
        assert!(!verify("wrong horse", &a));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn policy_bounds() {
        assert_eq!(check_policy("short"), Err(PolicyError::TooShort));
        assert_eq!(check_policy("长度足够的中文密码"), Ok(()));
        assert_eq!(check_policy(&"x".repeat(129)), Err(PolicyError::TooLong));
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        let p = generate();
        assert_eq!(p.len(), 14);
        assert_eq!(check_policy(&p), Ok(()));
        assert_ne!(p, generate());
    }
}
