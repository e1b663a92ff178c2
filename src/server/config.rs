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
    /// How long a browser stays a known device of the account it signed in to, in days: its
    /// sign-ins are not refused for failures made elsewhere (OWASP device cookies).
    #[arg(long, env = "LADDER_DEVICE_DAYS", default_value_t = 180)]
    pub device_days: i64,
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
    /// Bearer token a Prometheus scraper sends for `/metrics`. Unset: only scrapers on this
    /// machine are answered, and none behind a reverse proxy.
    #[arg(long, env = "LADDER_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The time zone pages show times in, an IANA name. Legal clocks (notice working days,
    /// deadlines, the review tick) count in China Standard Time whatever it is.
    #[arg(long, env = "LADDER_TIME_ZONE", default_value = "Asia/Shanghai", value_parser = parse_zone)]
    pub time_zone: Zone,
    #[command(flatten)]
    pub import: ImportSettings,
}

/// The display zone, with its offsets worked out once when the setting is read.
#[derive(Debug, Clone)]
pub struct Zone(pub std::sync::Arc<crate::domain::zone::DisplayZone>);

impl Default for Zone {
    fn default() -> Self {
        Zone(std::sync::Arc::new(
            crate::domain::zone::DisplayZone::default(),
        ))
    }
}

/// Reads `LADDER_TIME_ZONE` / `--time-zone`.
pub fn parse_zone(name: &str) -> Result<Zone, String> {
    super::clock::display_zone(name.trim()).map(|z| Zone(std::sync::Arc::new(z)))
}

/// Limits and safety margins of roster and attendance imports (`serve` and `ladder import`).
#[derive(Debug, Clone, Copy, Args)]
pub struct ImportSettings {
    /// Largest spreadsheet accepted for import, in MiB.
    #[arg(long, env = "LADDER_MAX_IMPORT_MIB", default_value_t = 20)]
    pub max_import_mib: usize,
    /// Last row a sheet may use.
    #[arg(long, env = "LADDER_MAX_IMPORT_ROWS", default_value_t = 200_000)]
    pub max_import_rows: u32,
    /// An import that would update more than this share (in percent) of a cohort's people
    /// needs an explicit confirmation.
    #[arg(long, env = "LADDER_IMPORT_CONFIRM_PERCENT", default_value_t = 20)]
    pub import_confirm_percent: u32,
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings {
            max_import_mib: 20,
            max_import_rows: 200_000,
            import_confirm_percent: 20,
        }
    }
}

impl ImportSettings {
    pub fn limits(&self) -> crate::import::sheet::Limits {
        crate::import::sheet::Limits {
            max_bytes: self.max_import_mib << 20,
            max_rows: self.max_import_rows,
            ..crate::import::sheet::Limits::default()
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            login_max_per_account: 5,
            device_days: 180,
            login_max_per_address: 20,
            login_window_minutes: 15,
            session_hours: 12,
            secure_cookies: None,
            trust_proxy: false,
            max_body_kib: 2048,
            max_evidence_mib: 10,
            metrics_token: None,
            time_zone: Zone::default(),
            import: ImportSettings::default(),
        }
    }
}
