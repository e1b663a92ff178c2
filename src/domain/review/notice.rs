//! The result's public notice (domain.md §6.1, issue 6 item 7): what an objection must carry,
//! how its contact details are masked in lists, and the certificate numbers issued on
//! confirmation.

use crate::domain::privacy::mask_phone;

/// Longest name, contact and text an objection may carry (characters).
pub const MAX_NAME: usize = 50;
pub const MAX_CONTACT: usize = 100;
pub const MAX_BODY: usize = 2000;

/// How to reach the person who objects: a phone number or an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contact {
    Phone(String),
    Email(String),
}

/// Why a contact is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("a contact is required")]
    Missing,
    #[error("neither a phone number nor an e-mail address")]
    Unusable,
}

impl Contact {
    /// A phone number (7 to 15 digits, with optional `+`, spaces, dashes or parentheses) or an
    /// e-mail address (`local@domain.tld`), as stored: spaces and dashes of a phone dropped.
    pub fn parse(text: &str) -> Result<Contact, ContactError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ContactError::Missing);
        }
        if text.chars().count() > MAX_CONTACT {
            return Err(ContactError::Unusable);
        }
        if let Some((local, domain)) = text.split_once('@') {
            let ok = !local.is_empty()
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace);
            return if ok {
                Ok(Contact::Email(text.to_string()))
            } else {
                Err(ContactError::Unusable)
            };
        }
        let (plus, rest) = match text.strip_prefix('+') {
            Some(r) => ("+", r),
            None => ("", text),
        };
        if !rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
        {
            return Err(ContactError::Unusable);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if !(7..=15).contains(&digits.len()) {
            return Err(ContactError::Unusable);
        }
        Ok(Contact::Phone(format!("{plus}{digits}")))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Contact::Phone(s) | Contact::Email(s) => s,
        }
    }
}

/// A stored contact as lists show it: a phone as `139****5678`, an address as `z***@example.cn`.
pub fn mask_contact(contact: &str) -> String {
    match contact.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => mask_phone(contact),
    }
}

/// The certificate number of the `seq`th certificate (from 1) issued in a session: the session's
/// code and a four-digit sequence, e.g. `2026-SH-TT-0001`.
pub fn certificate_number(session_code: &str, seq: u32) -> String {
    format!("{session_code}-{seq:04}")
}

/// A number as typed into the lookup: trimmed, upper case, full-width forms folded.
pub fn normalize_number(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '－' | '—' | '–' => '-',
            c if ('０'..='９').contains(&c)
                || ('Ａ'..='Ｚ').contains(&c)
                || ('ａ'..='ｚ').contains(&c) =>
            {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            c => c,
        })
        .collect::<String>()
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_phones_or_addresses() {
        assert_eq!(
            Contact::parse(" 139-1234-5678 "),
            Ok(Contact::Phone("13912345678".into()))
        );
        assert_eq!(
            Contact::parse("+86 21 6432 1234"),
            Ok(Contact::Phone("+862164321234".into()))
        );
        assert_eq!(
            Contact::parse("li.na@example.cn"),
            Ok(Contact::Email("li.na@example.cn".into()))
        );
        assert_eq!(Contact::parse("  "), Err(ContactError::Missing));
        for bad in [
            "12345",
            "call me",
            "a@b",
            "@example.cn",
            "a@@b.cn",
            "a b@c.cn",
            "x@y.",
        ] {
            assert_eq!(Contact::parse(bad), Err(ContactError::Unusable), "{bad}");
        }
        assert_eq!(
            Contact::parse(&"1".repeat(200)),
            Err(ContactError::Unusable)
        );
    }

    #[test]
    fn lists_show_contacts_masked() {
        assert_eq!(mask_contact("13912345678"), "139****5678");
        assert_eq!(mask_contact("li.na@example.cn"), "l***@example.cn");
        assert_eq!(mask_contact("1234567"), "****");
    }

    #[test]
    fn certificate_numbers_are_the_session_and_a_sequence() {
        assert_eq!(certificate_number("2026-SH-TT", 1), "2026-SH-TT-0001");
        assert_eq!(certificate_number("2026-SH-TT", 12345), "2026-SH-TT-12345");
        assert_eq!(
            normalize_number(" ２０２６－sh-tt-０００１ "),
            "2026-SH-TT-0001"
        );
    }
}
