"""The same flow with the asyncio client (FastAPI, aiohttp, any event loop)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pagoefectivo


async def main() -> None:
    client = pagoefectivo.AsyncClient.from_env()
    orders = [("ORD-2001", Decimal("20.00")), ("ORD-2002", Decimal("35.50"))]
    cips = await asyncio.gather(
        *(
            client.cips.create(
                currency="PEN", amount=amount, transaction_code=code, user_email="ana@example.pe"
            )
            for code, amount in orders
        )
    )
    for info in await client.cips.search([c.cip for c in cips]):
        print(f"CIP {info.cip} ({info.transaction_code}): {info.status}, {info.currency} {info.amount}")


if __name__ == "__main__":
    asyncio.run(main())
