//! Masking of personal data for lists and logs (domain.md §9, privacy).

/// `13912345678` → `139****5678`. Anything shorter than a mobile number would show most of
/// its digits that way, so it becomes `****`.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() < 11 {
        return "****".to_string();
    }
    let head: String = digits[..3].iter().collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_only_head_and_tail() {
        assert_eq!(mask_phone("13912345678"), "139****5678");
        assert_eq!(mask_phone("139 1234 5678"), "139****5678");
        assert_eq!(mask_phone("12345"), "****");
        assert_eq!(mask_phone("6432 1234"), "****");
    }
}
