"""Create a CIP and read its status back (blocking client). Run against `pagoefectivo sandbox`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pagoefectivo


def main() -> None:
    # PAGOEFECTIVO_ACCESS_KEY, _SECRET_KEY, _SERVICE_ID and _ENVIRONMENT or _BASE_URL.
    client = pagoefectivo.Client.from_env()
    try:
        cip = client.cips.create(
            currency="PEN",
            amount=Decimal("149.90"),
            transaction_code="ORD-1001",
            user_email="ana@example.pe",
            date_expiry=datetime.now(timezone.utc) + timedelta(hours=48),
        )
    except pagoefectivo.ValidationError as e:
        for f in e.field_errors:
            print(f"{f.field}: {f.message}")
        raise
    except pagoefectivo.OutcomeUnknownError as e:
        print(f"order {e.transaction_code}: unknown outcome, show nothing and retry later")
        raise
    print(f"CIP {cip.cip} for {cip.currency} {cip.amount}: pay at {cip.cip_url}")
    info = client.cips.get(cip.cip)
    print(f"status: {info.status}")


if __name__ == "__main__":
    main()
