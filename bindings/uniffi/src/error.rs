//! The core's typed `Error` as one uniffi error (a Kotlin exception carrying the stable code and every detail).

/// One field that failed validation. `detail`, not `message`: that name breaks the generated Kotlin.
#[derive(Clone, Debug, uniffi::Record)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub detail: String,
}

/// Every failure of the SDK (signed numbers: Java cannot call Kotlin's unsigned ones), with the core's stable `code` (`validation_error`, `not_found`, ...).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum PagoEfectivoError {
    #[error("{code}: {detail}")]
    Failed {
        code: String,
        detail: String,
        http_status: Option<i32>,
        pe_code: Option<String>,
        pe_detail: Option<String>,
        retryable: bool,
        attempts: i32,
        reason: Option<String>,
        hint: Option<String>,
        transaction_code: Option<String>,
        request_id: Option<String>,
        field_errors: Vec<FieldError>,
    },
}

impl From<pagoefectivo::Error> for PagoEfectivoError {
    fn from(e: pagoefectivo::Error) -> Self {
        let owned = |s: Option<&str>| s.map(str::to_owned);
        PagoEfectivoError::Failed {
            code: e.code().as_str().to_owned(),
            detail: e.message().to_owned(),
            http_status: e.http_status().map(i32::from),
            pe_code: owned(e.pe_code()),
            pe_detail: owned(e.pe_message()),
            retryable: e.is_retryable(),
            attempts: i32::try_from(e.attempts()).unwrap_or(i32::MAX),
            reason: owned(e.reason()),
            hint: owned(e.hint()),
            transaction_code: owned(e.transaction_code()),
            request_id: owned(e.request_id()),
            field_errors: e
                .field_errors()
                .iter()
                .map(|f| FieldError {
                    field: f.field.clone(),
                    code: f.code.clone(),
                    detail: f.message.clone(),
                })
                .collect(),
        }
    }
}

pub type Result<T> = std::result::Result<T, PagoEfectivoError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detail_of_the_core_error_is_carried() {
        let core = pagoefectivo::Error::invalid_field("amount", "must be positive").with_reason("why");
        let PagoEfectivoError::Failed { code, detail, field_errors, reason, retryable, .. } = core.into();
        assert_eq!(code, "validation_error");
        assert!(detail.contains("amount"), "{detail}");
        assert_eq!(field_errors[0].field, "amount");
        assert_eq!(field_errors[0].detail, "must be positive");
        assert_eq!(reason.as_deref(), Some("why"));
        assert!(!retryable);
    }
}
