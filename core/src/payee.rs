//! Who receives a refund: CCI bank accounts, e-wallet phones and identity documents, validated.

use crate::cip_request::DocumentType;
use crate::error::{Error, FieldError};

/// Check digit of one CCI group. The CCI (Código de Cuenta Interbancario,
/// 20 digits) is bank (3) + office (3) + account (12) + two check digits:
/// the first over bank+office, the second over the account. Each digit is
/// weighted 1, 2, 1, 2... from the left, two-digit products are replaced by
/// the sum of their digits, and the check digit is `(10 - sum % 10) % 10`.
/// Source: the CCI structure published by Peru's Cámara de Compensación
/// Electrónica (CCE) and the check-digit procedure banks use in their public
/// account-to-CCI converters (e.g. BCP's); not an official primary text, so
/// a CCI that fails only this check is reported with that caveat.
fn check_digit(group: &[u8]) -> u8 {
    let sum: u32 = group
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = u32::from(d - b'0') * if i % 2 == 0 { 1 } else { 2 };
            p / 10 + p % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Why a CCI is not valid, or `None`.
pub fn cci_problem(cci: &str) -> Option<&'static str> {
    let b = cci.as_bytes();
    if b.len() != 20 || !b.iter().all(u8::is_ascii_digit) {
        return Some("must be the 20-digit CCI (interbank account code)");
    }
    if b[18] - b'0' != check_digit(&b[..6]) || b[19] - b'0' != check_digit(&b[6..18]) {
        return Some("check digits do not match: a digit was probably mistyped");
    }
    None
}

/// [`cci_problem`] as a typed error (field `cci`), for callers that want one.
pub fn validate_cci(cci: &str) -> Result<(), Error> {
    match cci_problem(cci) {
        None => Ok(()),
        Some(p) => Err(Error::validation(vec![FieldError::invalid("cci", p)])),
    }
}

/// The CCI with its two check digits computed, from bank (3) + office (3) + account (12) digits.
pub fn cci_with_check_digits(first_18: &str) -> Option<String> {
    let b = first_18.as_bytes();
    if b.len() != 18 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(format!("{first_18}{}{}", check_digit(&b[..6]), check_digit(&b[6..18])))
}

/// A Peruvian mobile number: 9 digits starting with 9, optionally written
/// with `+51`/`51` and spaces. Returns the 9 digits.
pub fn normalize_mobile(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let digits = digits.strip_prefix("+51").or_else(|| digits.strip_prefix("0051")).unwrap_or(&digits);
    let digits = if digits.len() == 11 { digits.strip_prefix("51").unwrap_or(digits) } else { digits };
    (digits.len() == 9 && digits.starts_with('9') && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.to_owned())
}

/// Why a document number does not fit its type, or `None`.
pub fn document_problem(kind: DocumentType, number: &str) -> Option<&'static str> {
    let digits = |min: usize, max: usize| {
        (min..=max).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
    };
    let alnum = |min: usize, max: usize| {
        (min..=max).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    match kind {
        DocumentType::DNI if !digits(8, 8) => Some("a DNI has exactly 8 digits"),
        DocumentType::PAS if !alnum(6, 12) => Some("a passport number has 6 to 12 letters or digits"),
        DocumentType::LMI if !digits(8, 10) => Some("a libreta militar number has 8 to 10 digits"),
        DocumentType::PAR | DocumentType::NAN if !alnum(1, 15) => Some("must be 1 to 15 letters or digits"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cci_check_digits() {
        let cci = cci_with_check_digits("002191001234567890").unwrap();
        assert_eq!(cci.len(), 20);
        assert_eq!(cci_problem(&cci), None);
        let mut typo = cci.into_bytes();
        typo[10] = if typo[10] == b'9' { b'0' } else { typo[10] + 1 };
        assert!(cci_problem(std::str::from_utf8(&typo).unwrap()).unwrap().contains("check digits"));
        assert!(cci_problem("0021910012345678901").is_some());
        assert!(cci_problem("00219100123456789A12").is_some());
    }

    #[test]
    fn mobiles_and_documents() {
        assert_eq!(normalize_mobile("+51 987 654 321").as_deref(), Some("987654321"));
        assert_eq!(normalize_mobile("51987654321").as_deref(), Some("987654321"));
        assert_eq!(normalize_mobile("014567890"), None);
        assert_eq!(normalize_mobile("98765432"), None);
        assert_eq!(document_problem(DocumentType::DNI, "44556677"), None);
        assert!(document_problem(DocumentType::DNI, "4455667").is_some());
        assert!(document_problem(DocumentType::PAS, "AB-123").is_some());
        assert_eq!(document_problem(DocumentType::PAS, "AB123456"), None);
    }
}
