//! Signing in and out, the current session, the language choice and one's own password.

use super::AppError;
use crate::domain::role::{Grant, Role};
use crate::domain::zone::DisplayZone;
use crate::i18n::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One role as shown in the header: the role and the name of its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleLabel {
    pub role: Role,
    pub scope: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub must_change_password: bool,
    pub grants: Vec<Grant>,
    pub roles: Vec<RoleLabel>,
}

/// What every page needs: the language, who is signed in (if anyone) and the zone times are
/// shown in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SessionState {
    pub lang: Lang,
    pub user: Option<UserInfo>,
    pub zone: DisplayZone,
    /// The zone and its offset now, as pages state it: "Asia/Shanghai, UTC+08:00".
    pub zone_label: String,
}

#[server(endpoint = "session_info")]
pub async fn session_info() -> Result<SessionState, AppError> {
    use super::ssr::{context, respond};
    respond(
        async {
            let ctx = context().await?;
            let lang = ctx.lang();
            let user = ctx.caller.map(|c| UserInfo {
                id: c.user_id,
                username: c.username,
                name: c.name,
                must_change_password: c.must_change_password,
                // Until the user replaces an admin-set password the server allows nothing
                // else, so the navigation offers nothing else either.
                grants: if c.must_change_password {
                    Vec::new()
                } else {
                    c.grants
                },
                roles: c
                    .grant_labels
                    .into_iter()
                    .filter_map(|(code, scope)| {
                        Role::parse(&code)
                            .ok()
                            .map(|role| RoleLabel { role, scope })
                    })
                    .collect(),
            });
            let zone = ctx.state.settings.time_zone.0.as_ref().clone();
            let zone_label = zone.label(ctx.now);
            Ok(SessionState {
                lang,
                user,
                zone,
                zone_label,
            })
        }
        .await,
    )
}

/// Only same-site paths are followed after sign-in, so `next` cannot send people elsewhere:
/// a single `/` then a path character (no `//`, `/\`, control characters or spaces, which
/// browsers drop or reinterpret when they parse a Location).
pub fn safe_next(next: &str) -> &str {
    let mut chars = next.chars();
    let safe = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if safe { next } else { "/" }
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    login: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::server::{session, signin};
    respond(
        async {
            let ctx = context().await?;
            let headers = &ctx.parts.headers;
            let address = ctx.address();
            let device = session::read_cookie(headers, crate::service::devices::COOKIE);
            let previous = session::read_cookie(headers, session::COOKIE);
            let client = signin::Client {
                address: &address,
                device: device.as_deref(),
                session: previous.as_deref().filter(|t| !t.is_empty()),
            };
            let signed_in = signin::sign_in_with(
                ctx.db(),
                &ctx.state.keys,
                &ctx.state.settings,
                &ctx.state.refusals,
                &login,
                &password,
                client,
                ctx.now,
            )
            .await?;
            let settings = &ctx.state.settings;
            let secure = ctx.secure_cookies();
            ctx.set_header(
                axum::http::header::SET_COOKIE,
                session::session_cookie(&signed_in.token, settings.session_hours * 3600, secure),
            );
            ctx.set_header(
                axum::http::header::SET_COOKIE,
                session::device_cookie(&signed_in.device, settings.device_days * 86_400, secure),
            );
            leptos_axum::redirect(safe_next(next.as_deref().unwrap_or("/")));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::server::{session, signin};
    respond(
        async {
            let ctx = context().await?;
            if let (Some(caller), Some(token)) = (
                &ctx.caller,
                session::read_cookie(&ctx.parts.headers, session::COOKIE),
            ) {
                signin::sign_out(ctx.db(), &caller.actor(), &token, ctx.now).await?;
            }
            ctx.set_header(
                axum::http::header::SET_COOKIE,
                session::clear_session_cookie(ctx.secure_cookies()),
            );
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<Lang, AppError> {
    use super::ssr::{context, respond};
    use crate::i18n::Key;
    use crate::server::session;
    respond(
        async {
            let ctx = context().await?;
            let lang = Lang::from_code(&lang)
                .ok_or_else(|| AppError::invalid("lang", Key::ErrRequired))?;
            ctx.set_header(
                axum::http::header::SET_COOKIE,
                session::lang_cookie(lang.code()),
            );
            Ok(lang)
        }
        .await,
    )
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::i18n::Key;
    use crate::server::{accounts, session};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            if new != confirm {
                return Err(AppError::invalid("confirm", Key::ErrPasswordsDiffer));
            }
            let current_session = session::read_cookie(&ctx.parts.headers, session::COOKIE)
                .map(|t| session::token_hash(&t))
                .unwrap_or_default();
            accounts::change_password(
                ctx.db(),
                &caller.actor(),
                caller.user_id,
                &current,
                &new,
                &current_session,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next("/admin/users"), "/admin/users");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/a\r\nSet-Cookie: x"), "/");
        assert_eq!(safe_next("/ /evil"), "/");
        assert_eq!(safe_next("/"), "/");
    }
}
