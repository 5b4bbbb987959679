//! Operations that need no client: webhook verification, hashing, parsing, validation, reconciliation.

use pagoefectivo::{
    CipStatus, Config, CreateCipRequest, CreateRefundRequest, Error, reconcile, time, webhook,
};
use serde_json::{Value, json};

use crate::envelope::{data, string, u32_of, unsigned};

fn optional_str<'a>(args: &'a Value, key: &str) -> Result<Option<&'a str>, Error> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid_field(key, "must be a string or null")),
    }
}

/// Verifies a raw webhook body; shared by `pe_call("webhook.verify")` and `pe_webhook_verify`.
pub fn verify_webhook(body: &[u8], signature: Option<&str>, secret: &str) -> Result<Value, Error> {
    data(webhook::verify(body, signature, secret)?)
}

pub fn call(op: &str, args: &Value) -> Result<Value, Error> {
    match op {
        "hash_string" | "auth.hash_string" => Ok(json!(pagoefectivo::hash_string(
            u32_of(unsigned(args, "idService")?, "idService")?,
            string(args, "accessKey")?,
            string(args, "secretKey")?,
            string(args, "dateRequest")?,
        ))),
        "webhook.verify" => verify_webhook(
            string(args, "body")?.as_bytes(),
            optional_str(args, "signature")?,
            string(args, "secret")?,
        ),
        "webhook.sign" => Ok(json!(webhook::sign(string(args, "body")?.as_bytes(), string(args, "secret")?))),
        "time.parse" => {
            let text = args.as_str().ok_or_else(|| Error::invalid_field("time", "must be a string"))?;
            Ok(json!(time::format(&time::parse(text)?)))
        }
        "cip.status" => {
            let code =
                args.as_u64().ok_or_else(|| Error::invalid_field("status", "must be a status code"))?;
            Ok(json!(CipStatus::from_code(u32_of(code, "status")?).as_str()))
        }
        "cip.validate_create" => {
            CreateCipRequest::from_json(args)?.validate(time::now_lima()).map(|_| Value::Null)
        }
        "refund.validate" => CreateRefundRequest::from_json(args).map(|_| Value::Null),
        "payee.cci" => {
            let cci = args.as_str().ok_or_else(|| Error::invalid_field("cci", "must be a string"))?;
            pagoefectivo::validate_cci(cci).map(|_| Value::Null)
        }
        "config.from_env" => Ok(Config::from_env_map(args)?.settings()),
        "reconcile.run" => data(reconcile::reconcile_json(args)?),
        "reconcile.business_days" => {
            let date: chrono::NaiveDate = string(args, "date")?
                .parse()
                .map_err(|_| Error::invalid_field("date", "must be a date (YYYY-MM-DD)"))?;
            let days = u32_of(unsigned(args, "days")?, "days")?;
            let calendar = reconcile::Calendar::peru();
            Ok(json!({"due": calendar.add_business_days(date, days).to_string(),
                      "isBusinessDay": calendar.is_business_day(date)}))
        }
        other => Err(unknown_op(other)),
    }
}

pub fn unknown_op(op: &str) -> Error {
    let shown: String = op.chars().take(60).collect();
    Error::invalid_field("op", format!("unknown operation {shown:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_ops_answer_and_refuse_with_typed_errors() {
        assert_eq!(call("cip.status", &json!(23)).unwrap(), "paid");
        assert_eq!(call("time.parse", &json!("2026-01-02T03:04:05Z")).unwrap(), "2026-01-01T22:04:05-05:00");
        let body = r#"{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN","amount":1.00}}"#;
        let sig = call("webhook.sign", &json!({"body": body, "secret": "k"})).unwrap();
        let event = call("webhook.verify", &json!({"body": body, "signature": sig, "secret": "k"})).unwrap();
        assert_eq!(event["type"], "cip_paid");
        for (op, args) in [
            ("cip.status", json!("x")),
            ("cip.status", json!(u64::MAX)),
            ("time.parse", json!({"nested": [[[]]]})),
            ("webhook.verify", json!({"body": 1})),
            ("reconcile.run", json!({"orders": "x"})),
            ("nope", json!(null)),
        ] {
            assert_eq!(call(op, &args).unwrap_err().code().as_str(), "validation_error", "{op} {args}");
        }
    }
}
