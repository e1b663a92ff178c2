//! Runtime configuration, from the command line and the environment (clap reads both).

use clap::Args;

/// Settings shared by `serve` and the tests. Every default here is a product default that an
/// operator can change without a rebuild.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Failed sign-ins allowed per account inside the window before further attempts get 429.
    #[arg(long, env = "LADDER_LOGIN_MAX_PER_ACCOUNT", default_value_t = 5)]
    pub login_max_per_account: i64,
    /// Failed sign-ins allowed per client address inside the window.
    #[arg(long, env = "LADDER_LOGIN_MAX_PER_ADDRESS", default_value_t = 20)]
    pub login_max_per_address: i64,
    /// Length of the failed-sign-in window, in minutes.
    #[arg(long, env = "LADDER_LOGIN_WINDOW_MINUTES", default_value_t = 15)]
    pub login_window_minutes: i64,
    /// How long a sign-in lasts, in hours.
    #[arg(long, env = "LADDER_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: i64,
    /// Mark the session cookie Secure. Default: only when the request arrived over https
    /// (X-Forwarded-Proto: https from a trusted proxy).
    #[arg(long, env = "LADDER_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Trust X-Forwarded-For / X-Forwarded-Proto (set when behind a reverse proxy).
    #[arg(long, env = "LADDER_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// Largest accepted request body, in KiB.
    #[arg(long, env = "LADDER_MAX_BODY_KIB", default_value_t = 2048)]
    pub max_body_kib: usize,
    /// Largest evidence file (PDF, JPEG, PNG) a record may carry, in MiB.
    #[arg(long, env = "LADDER_MAX_EVIDENCE_MIB", default_value_t = 10)]
    pub max_evidence_mib: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            login_max_per_account: 5,
            login_max_per_address: 20,
            login_window_minutes: 15,
            session_hours: 12,
            secure_cookies: None,
            trust_proxy: false,
            max_body_kib: 2048,
            max_evidence_mib: 10,
        }
    }
}
